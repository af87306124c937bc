import type { JobCommand } from '../domain/commands.js';
import type { JobEvent } from '../domain/events.js';
import type { JobState } from '../domain/state.js';
import type { Milestone } from '../domain/shared/schema.js';
import { deepFreeze } from '../domain/shared/freeze.js';
import { EscrowAssertionError } from './assertion.js';
import { decideAll } from './given.js';

/*
 * The seed's two example jobs (spec §6) as ready histories. Each is built by deciding commands,
 * so every history is one `decide` wrote; the stages are its prefixes, to start a test from.
 */

/** A point in a fixture's story: the commands so far, their events and the state. */
export interface FixtureStage {
  readonly commands: readonly JobCommand[];
  readonly events: readonly JobEvent[];
  readonly state: JobState;
}

/** One of the seed's jobs: its parties, the seed's terms, the whole story and its stages. */
export interface JobFixture<Stage extends string> extends FixtureStage {
  readonly jobId: string;
  readonly title: string;
  readonly clientId: string;
  readonly freelancerId: string;
  readonly currency: string;
  /** The seed's milestones, as the accepted terms carry them. */
  readonly terms: readonly Milestone[];
  /** The story up to each stage (`stages.accepted.events` is a history ending with the acceptance). */
  readonly stages: { readonly [S in Stage]: FixtureStage };
}

type Script<Stage extends string> = readonly (JobCommand | Stage)[];

function build<Stage extends string>(
  about: Omit<JobFixture<Stage>, 'commands' | 'events' | 'state' | 'stages'>,
  script: Script<Stage>,
): JobFixture<Stage> {
  const commands: JobCommand[] = [];
  const stages: Partial<Record<Stage, FixtureStage>> = {};
  let decided = decideAll([]);
  for (const item of script) {
    if (typeof item === 'string') {
      stages[item] = { commands: [...commands], events: [...decided.events], state: decided.state };
      continue;
    }
    let next: ReturnType<typeof decideAll>;
    try {
      next = decideAll([item], decided.state);
    } catch (error) {
      throw new EscrowAssertionError(
        `fixture ${about.jobId}: command ${String(commands.length + 1)} (${item.type}) failed: ${error instanceof Error ? error.message : String(error)}`,
        { cause: error },
      );
    }
    decided = { events: [...decided.events, ...next.events], state: next.state };
    commands.push(item);
  }
  return deepFreeze({
    ...about,
    commands,
    events: decided.events,
    state: decided.state,
    stages: stages as Record<Stage, FixtureStage>,
  });
}

/** The instant `minutes` after 09:00 UTC on a November 2014 day. */
function on(day: number, minutes = 0): string {
  return new Date(Date.UTC(2014, 10, day, 9, minutes)).toISOString().replace('.000Z', 'Z');
}

const LOGO = {
  jobId: 'logo-design',
  title: 'Logo design',
  clientId: 'acme-bakery',
  freelancerId: 'fiona-designs',
  currency: 'USD',
};

const LOGO_TERMS: readonly Milestone[] = [
  {
    milestoneId: 'start-fee',
    title: 'Start fee deposit',
    description: '',
    dueDate: '2014-11-03',
    amount: 7500,
  },
  {
    milestoneId: 'concepts',
    title: '6 concepts',
    description: '',
    dueDate: '2014-11-10',
    amount: 7500,
  },
  {
    milestoneId: 'revision-1',
    title: '1st Revision of chosen concept',
    description: '',
    dueDate: '2014-11-15',
    amount: 7500,
  },
  {
    milestoneId: 'revision-2',
    title: '2nd Revision of chosen concept',
    description: '',
    dueDate: '2014-11-20',
    amount: 7500,
  },
  {
    milestoneId: 'final-files',
    title: 'Final: Delivery of final print-ready files',
    description: '',
    dueDate: '2014-11-24',
    amount: 10000,
  },
];

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

function logoStory(): Script<LogoDesignStage> {
  const client = LOGO.clientId;
  const freelancer = LOGO.freelancerId;
  const card = 'card:visa-4242';
  const fund = (
    milestoneId: string,
    fundingId: string,
    at: string,
    comment?: string,
  ): JobCommand => ({
    type: 'FundMilestone',
    actor: client,
    at,
    data:
      comment === undefined
        ? { milestoneId, fundingId, source: card }
        : { milestoneId, fundingId, source: card, comment },
  });
  const submit = (milestoneId: string, at: string, note: string): JobCommand => ({
    type: 'SubmitWork',
    actor: freelancer,
    at,
    data: { milestoneId, note },
  });
  const release = (milestoneId: string, at: string): JobCommand => ({
    type: 'ReleaseFunds',
    actor: client,
    at,
    data: { milestoneId },
  });
  return [
    { type: 'AwardJob', actor: client, at: on(3), data: { ...LOGO } },
    'awarded',
    {
      type: 'ProposeTerms',
      actor: client,
      at: on(3, 5),
      data: { proposalId: 'terms-1', milestones: LOGO_TERMS.map((m) => ({ ...m })) },
    },
    'proposed',
    // Prefunding (R7): the start fee goes into escrow before the freelancer has accepted.
    fund('start-fee', 'fund-1', on(3, 10), 'Start fee deposit'),
    'prefunded',
    { type: 'AcceptTerms', actor: freelancer, at: on(3, 30), data: { proposalId: 'terms-1' } },
    'accepted',
    release('start-fee', on(3, 45)),
    fund('concepts', 'fund-2', on(4)),
    submit('concepts', on(10), '6 concepts attached'),
    'conceptsSubmitted',
    release('concepts', on(10, 60)),
    fund('revision-1', 'fund-3', on(11)),
    submit('revision-1', on(15), 'First revision of concept 4'),
    {
      type: 'RequestChanges',
      actor: client,
      at: on(15, 60),
      data: { milestoneId: 'revision-1', note: 'A warmer brown, please.' },
    },
    submit('revision-1', on(16), 'Warmer brown'),
    'inProgress',
    release('revision-1', on(16, 60)),
    fund('revision-2', 'fund-4', on(17)),
    submit('revision-2', on(20), 'Second revision'),
    release('revision-2', on(20, 60)),
    fund('final-files', 'fund-5', on(21)),
    submit('final-files', on(24), 'Print-ready files: AI, EPS, PDF'),
    release('final-files', on(24, 60)),
    'completed',
    { type: 'CloseJob', actor: client, at: on(25), data: { reason: 'Delivered and paid.' } },
    'closed',
  ];
}

/**
 * The seed's logo-design job ($400 in five milestones): the client proposes the seed's terms and
 * prefunds the start fee, the freelancer accepts, and milestone by milestone the work is funded,
 * submitted (one round of changes on the first revision) and released; then the client closes.
 */
export const logoDesign: JobFixture<LogoDesignStage> = build(
  { ...LOGO, terms: LOGO_TERMS },
  logoStory(),
);

const ACCESS = {
  jobId: 'access-database',
  title: 'Microsoft Access database',
  clientId: 'northwind-traders',
  freelancerId: 'dana-dev',
  currency: 'USD',
};

const ACCESS_TERMS: readonly Milestone[] = [
  {
    milestoneId: 'schema',
    title: 'Initial schema design',
    description: '',
    dueDate: '2014-11-10',
    amount: 20000,
  },
  {
    milestoneId: 'implementation',
    title: 'Implementation',
    description: '',
    dueDate: '2014-11-15',
    amount: 20000,
  },
  { milestoneId: 'qa', title: 'QA', description: '', dueDate: '2014-11-24', amount: 20000 },
  {
    milestoneId: 'final',
    title: 'Final: Release/Final Product',
    description: '',
    dueDate: '2014-11-30',
    amount: 20000,
  },
];

/** Stages of the Microsoft Access story. */
export type MicrosoftAccessStage =
  'awarded' | 'proposed' | 'prefunded' | 'countered' | 'accepted' | 'inProgress';

function accessStory(): Script<MicrosoftAccessStage> {
  const client = ACCESS.clientId;
  const freelancer = ACCESS.freelancerId;
  const draft = ACCESS_TERMS.filter((m) => m.milestoneId !== 'qa').map((m) => ({ ...m }));
  return [
    { type: 'AwardJob', actor: client, at: on(3), data: { ...ACCESS } },
    'awarded',
    // The client's draft has no QA milestone.
    {
      type: 'ProposeTerms',
      actor: client,
      at: on(3, 10),
      data: { proposalId: 'draft', milestones: draft },
    },
    'proposed',
    {
      type: 'FundMilestone',
      actor: client,
      at: on(3, 20),
      data: {
        milestoneId: 'schema',
        fundingId: 'fund-1',
        source: 'bank:northwind-ops',
        amount: 20000,
      },
    },
    'prefunded',
    // The freelancer answers with the seed's terms (a QA milestone added): the counter-proposal
    // supersedes the draft, whose prefund goes back to its source in the same decision (R3, R8).
    {
      type: 'ProposeTerms',
      actor: freelancer,
      at: on(4),
      data: { proposalId: 'with-qa', milestones: ACCESS_TERMS.map((m) => ({ ...m })) },
    },
    'countered',
    { type: 'AcceptTerms', actor: client, at: on(4, 30), data: { proposalId: 'with-qa' } },
    'accepted',
    {
      type: 'FundMilestone',
      actor: client,
      at: on(4, 40),
      data: { milestoneId: 'schema', fundingId: 'fund-2', source: 'bank:northwind-ops' },
    },
    {
      type: 'SubmitWork',
      actor: freelancer,
      at: on(10),
      data: { milestoneId: 'schema', note: 'Tables, relations and the ER diagram.' },
    },
    { type: 'ReleaseFunds', actor: client, at: on(10, 60), data: { milestoneId: 'schema' } },
    {
      type: 'FundMilestone',
      actor: client,
      at: on(11),
      data: { milestoneId: 'implementation', fundingId: 'fund-3', source: 'card:amex-1005' },
    },
    'inProgress',
  ];
}

/**
 * The seed's Microsoft Access job ($800 in four milestones): the client's draft lacks QA and is
 * prefunded; the freelancer's counter-proposal (the seed's terms) supersedes it and the prefund
 * is refunded automatically; the client accepts, the schema is funded, delivered and released,
 * and the implementation is funded: a job in progress.
 */
export const microsoftAccess: JobFixture<MicrosoftAccessStage> = build(
  { ...ACCESS, terms: ACCESS_TERMS },
  accessStory(),
);
