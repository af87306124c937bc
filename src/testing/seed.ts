import type { JobCommandInput } from '../domain/commands.js';
import type { MilestoneInput } from '../domain/shared/schema.js';

/*
 * The seed's jobs (spec §6) as data: the cast, the ids and the commands, written once. The
 * fixtures (`fixtures.ts`) decide them into histories, the demo (`src/cli/demo.ts`) plays the logo
 * job, `DEFAULT_CAST` (generated jobs) takes its parties, and the tests take their jobs, ids and
 * amounts from here; the docs and examples write them out in full, and a test holds them equal. Nothing here decides, so the CLI
 * can import it without building the fixtures.
 */

/**
 * The seed's cast: one client and one freelancer, the same in both jobs, the demo, the docs and
 * the tests; and the marketplace (part two's platform) that runs their timers and disputes.
 */
export const SEED_CAST = Object.freeze({
  client: 'clara',
  freelancer: 'felix',
  platform: 'elance',
});

/** The client's card, the source of every funding unless a story says otherwise. */
export const SEED_CARD = 'card:visa-4242';

/** The client's second payment source. */
export const SEED_PAYPAL = 'paypal:clara@example.com';

/** The logo job's award: ids, parties and currency. */
export const LOGO_JOB = Object.freeze({
  jobId: 'logo-2014',
  title: 'Logo design',
  clientId: SEED_CAST.client,
  freelancerId: SEED_CAST.freelancer,
  currency: 'USD',
});

/** The logo job's terms as the seed's table has them ($400 in five milestones, m1–m5). */
export const LOGO_TERMS: readonly MilestoneInput[] = Object.freeze([
  {
    milestoneId: 'm1',
    title: 'Start fee deposit',
    description: 'Paid on the award date.',
    dueDate: '2014-11-03',
    amount: 7500,
  },
  { milestoneId: 'm2', title: '6 concepts', dueDate: '2014-11-10', amount: 7500 },
  {
    milestoneId: 'm3',
    title: '1st Revision of chosen concept',
    dueDate: '2014-11-15',
    amount: 7500,
  },
  {
    milestoneId: 'm4',
    title: '2nd Revision of chosen concept',
    dueDate: '2014-11-20',
    amount: 7500,
  },
  {
    milestoneId: 'm5',
    title: 'Final: Delivery of final print-ready files',
    dueDate: '2014-11-24',
    amount: 10000,
  },
]);

/** The first proposal: the seed's terms, but the 2nd revision a day earlier than it ends up. */
const FIRST_TERMS: readonly MilestoneInput[] = LOGO_TERMS.map((m) =>
  m.milestoneId === 'm4' ? { ...m, dueDate: '2014-11-19' } : m,
);

const BUSINESS_CARDS: MilestoneInput = {
  milestoneId: 'm6',
  title: 'Business card design',
  dueDate: '2014-11-28',
  amount: 5000,
};

/** A story: commands in order, with the names of the stages between them. */
export type SeedScript<Stage extends string> = readonly (JobCommandInput | Stage)[];

/** Stages of the logo-design story. */
export type LogoDesignStage =
  | 'awarded'
  | 'proposed'
  | 'prefunded'
  | 'accepted'
  | 'conceptsSubmitted'
  | 'inProgress'
  | 'completed'
  | 'closed';

/** A command without its actor and instant. */
type CommandBody = JobCommandInput extends infer C
  ? C extends JobCommandInput
    ? Omit<C, 'actor' | 'at'>
    : never
  : never;

function by(who: 'client' | 'freelancer', at: string, command: CommandBody): JobCommandInput {
  return { ...command, actor: SEED_CAST[who], at };
}

function fund(
  milestoneId: string,
  fundingId: string,
  at: string,
  source = SEED_CARD,
): JobCommandInput {
  return by('client', at, { type: 'FundMilestone', data: { milestoneId, fundingId, source } });
}
function release(milestoneId: string, at: string): JobCommandInput {
  return by('client', at, { type: 'ReleaseFunds', data: { milestoneId } });
}
function submit(milestoneId: string, at: string, note: string): JobCommandInput {
  return by('freelancer', at, { type: 'SubmitWork', data: { milestoneId, note } });
}

/**
 * The logo job played end to end: the client proposes the five milestones and prefunds the start
 * fee; the freelancer accepts, so the job begins at once; a due date moves by agreement; work is
 * submitted, changes requested once; an added milestone is prefunded, declined and refunded
 * automatically; every milestone is released and the job closed. The terms end exactly as the
 * seed's table.
 */
export function logoDesignScript(): SeedScript<LogoDesignStage> {
  return [
    by('client', '2014-11-03T08:30:00Z', { type: 'AwardJob', data: { ...LOGO_JOB } }),
    'awarded',
    by('client', '2014-11-03T08:45:00Z', {
      type: 'ProposeTerms',
      data: { proposalId: 'p1', milestones: [...FIRST_TERMS] },
    }),
    'proposed',
    // Prefunding (R7): the start fee is in escrow before the freelancer answers.
    fund('m1', 'f1', '2014-11-03T09:00:00Z'),
    'prefunded',
    // Accepted unchanged: the prefund is held and the job begins immediately (R8).
    by('freelancer', '2014-11-03T10:00:00Z', { type: 'AcceptTerms', data: { proposalId: 'p1' } }),
    'accepted',
    release('m1', '2014-11-03T10:15:00Z'),
    fund('m2', 'f2', '2014-11-04T09:00:00Z'),
    submit('m2', '2014-11-10T17:00:00Z', 'Six concepts are in the workroom.'),
    'conceptsSubmitted',
    by('client', '2014-11-11T09:00:00Z', {
      type: 'RequestChanges',
      data: { milestoneId: 'm2', note: 'Concept 4 in a darker blue, please.' },
    }),
    submit('m2', '2014-11-11T16:00:00Z', 'Concept 4 in navy.'),
    release('m2', '2014-11-12T09:00:00Z'),
    fund('m3', 'f3', '2014-11-12T09:05:00Z'),
    'inProgress',
    // A terms change (R4): the freelancer asks one more day for the 2nd revision.
    by('freelancer', '2014-11-13T10:00:00Z', {
      type: 'ProposeTerms',
      data: { proposalId: 'p2', milestones: [...LOGO_TERMS] },
    }),
    by('client', '2014-11-13T12:00:00Z', { type: 'AcceptTerms', data: { proposalId: 'p2' } }),
    submit('m3', '2014-11-15T17:00:00Z', 'Revision 1 of concept 4.'),
    release('m3', '2014-11-16T09:00:00Z'),
    fund('m4', 'f4', '2014-11-16T09:05:00Z', SEED_PAYPAL),
    // A change that adds a milestone, prefunded, then declined: the prefund goes back (R8).
    by('client', '2014-11-17T09:00:00Z', {
      type: 'ProposeTerms',
      data: { proposalId: 'p3', milestones: [...LOGO_TERMS, BUSINESS_CARDS] },
    }),
    fund('m6', 'f5', '2014-11-17T09:05:00Z'),
    by('freelancer', '2014-11-18T10:00:00Z', {
      type: 'DeclineTerms',
      data: { proposalId: 'p3', reason: 'Business cards are not part of this job.' },
    }),
    submit('m4', '2014-11-20T17:00:00Z', 'Revision 2 of concept 4.'),
    release('m4', '2014-11-21T09:00:00Z'),
    fund('m5', 'f6', '2014-11-21T09:05:00Z'),
    submit('m5', '2014-11-24T17:00:00Z', 'AI, EPS, PDF and PNG files.'),
    release('m5', '2014-11-25T09:00:00Z'),
    'completed',
    by('client', '2014-11-25T09:30:00Z', { type: 'CloseJob', data: { reason: 'Logo delivered.' } }),
    'closed',
  ];
}

// ---------------------------------------------------------------- the Microsoft Access job

/** The Microsoft Access job's award: ids, parties and currency (the same cast as the logo job). */
export const ACCESS_JOB = Object.freeze({
  jobId: 'access-2014',
  title: 'Microsoft Access database',
  clientId: SEED_CAST.client,
  freelancerId: SEED_CAST.freelancer,
  currency: 'USD',
});

/**
 * What the Access job's award adds on a marketplace (part two, spec §7): the platform that runs
 * its timers and rules on disputes, and its 10 % service fee.
 */
export const ACCESS_MARKETPLACE = Object.freeze({
  platformId: SEED_CAST.platform,
  policy: Object.freeze({ serviceFeeBps: 1000 }),
});

/** The Access job's terms as the seed's table has them ($800 in four milestones). */
export const ACCESS_TERMS: readonly MilestoneInput[] = Object.freeze([
  { milestoneId: 'schema', title: 'Initial schema design', dueDate: '2014-11-10', amount: 20000 },
  { milestoneId: 'impl', title: 'Implementation', dueDate: '2014-11-15', amount: 20000 },
  { milestoneId: 'qa', title: 'QA', dueDate: '2014-11-24', amount: 20000 },
  {
    milestoneId: 'final',
    title: 'Final: Release/Final Product',
    dueDate: '2014-11-30',
    amount: 20000,
  },
]);

/** The client's first proposal: the seed's terms, but QA due three days earlier. */
const ACCESS_DRAFT: readonly MilestoneInput[] = ACCESS_TERMS.map((m) =>
  m.milestoneId === 'qa' ? { ...m, dueDate: '2014-11-21' } : m,
);

/** Stages of the Microsoft Access story. */
export type MicrosoftAccessStage =
  'awarded' | 'proposed' | 'prefunded' | 'countered' | 'accepted' | 'inProgress' | 'closed';

/**
 * The Access job from award to closing: the client prefunds the schema of its proposal; the
 * freelancer's counter-proposal (QA three days later, the seed's terms) supersedes it and the
 * prefund goes back to its card in the same decision; the client accepts; the schema is funded,
 * reviewed once and released; the implementation is funded (a job in progress); a cut of QA's
 * price is declined; the freelancer sends the implementation's money back, proposes and withdraws
 * a smaller job, and the client closes it after the schema, by agreement.
 */
export function microsoftAccessScript(): SeedScript<MicrosoftAccessStage> {
  const cheaperQa = ACCESS_TERMS.map((m) => (m.milestoneId === 'qa' ? { ...m, amount: 10000 } : m));
  return [
    by('client', '2014-11-03T09:00:00Z', { type: 'AwardJob', data: { ...ACCESS_JOB } }),
    'awarded',
    by('client', '2014-11-03T09:05:00Z', {
      type: 'ProposeTerms',
      data: { proposalId: 'p1', milestones: [...ACCESS_DRAFT] },
    }),
    'proposed',
    by('client', '2014-11-03T09:10:00Z', {
      type: 'FundMilestone',
      data: { milestoneId: 'schema', fundingId: 'f1', source: SEED_CARD, comment: 'Prefund' },
    }),
    'prefunded',
    // The counter-proposal supersedes p1, whose prefund goes back in the same decision (R3, R8).
    by('freelancer', '2014-11-03T11:00:00Z', {
      type: 'ProposeTerms',
      data: { proposalId: 'p2', milestones: [...ACCESS_TERMS] },
    }),
    'countered',
    by('client', '2014-11-03T12:00:00Z', { type: 'AcceptTerms', data: { proposalId: 'p2' } }),
    'accepted',
    by('client', '2014-11-03T12:05:00Z', {
      type: 'FundMilestone',
      data: { milestoneId: 'schema', fundingId: 'f2', source: SEED_CARD, amount: 20000 },
    }),
    submit('schema', '2014-11-10T16:00:00Z', 'Schema v1'),
    by('client', '2014-11-10T18:00:00Z', {
      type: 'RequestChanges',
      data: { milestoneId: 'schema', note: 'Add an invoices table' },
    }),
    submit('schema', '2014-11-11T10:00:00Z', 'Schema v2'),
    release('schema', '2014-11-11T12:00:00Z'),
    fund('impl', 'f3', '2014-11-11T12:05:00Z', SEED_PAYPAL),
    'inProgress',
    by('client', '2014-11-12T09:00:00Z', {
      type: 'ProposeTerms',
      data: { proposalId: 'p3', milestones: cheaperQa },
    }),
    by('freelancer', '2014-11-12T10:00:00Z', {
      type: 'DeclineTerms',
      data: { proposalId: 'p3', reason: 'QA needs the whole budget' },
    }),
    by('freelancer', '2014-11-13T09:00:00Z', {
      type: 'RefundMilestone',
      data: { milestoneId: 'impl' },
    }),
    by('freelancer', '2014-11-13T09:30:00Z', {
      type: 'ProposeTerms',
      data: { proposalId: 'p4', milestones: ACCESS_TERMS.slice(0, 1) },
    }),
    by('freelancer', '2014-11-13T09:45:00Z', { type: 'WithdrawTerms', data: { proposalId: 'p4' } }),
    by('client', '2014-11-14T09:00:00Z', {
      type: 'CloseJob',
      data: { reason: 'Stopped after the schema, by agreement' },
    }),
    'closed',
  ];
}

/** The commands of a story, without its stage names. */
export function commandsOf<Stage extends string>(script: SeedScript<Stage>): JobCommandInput[] {
  return script.filter((item): item is JobCommandInput => typeof item !== 'string');
}
