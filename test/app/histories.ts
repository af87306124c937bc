import fc from 'fast-check';
import {
  decide,
  fold,
  initialState,
  isDomainError,
  type JobCommandInput,
  type JobEvent,
  type JobState,
} from '../../src/index.js';
import { SEED_CAST } from '../../src/testing/seed.js';

/*
 * Valid job histories for the application-layer properties: random commands from both parties
 * (many rejected), decided one by one from an empty job; the accepted decisions form the history.
 */

// The seed's parties, declared once in src/testing/seed.ts.
export const CLIENT: string = SEED_CAST.client;
export const FREELANCER: string = SEED_CAST.freelancer;
export const JOB = 'job-1';
const BASE = Date.parse('2014-11-03T09:00:00Z');

/** The instant `minutes` after the job's start. */
export function at(minutes: number): string {
  return new Date(BASE + minutes * 60_000).toISOString().replace('.000Z', 'Z');
}

export function award(jobId = JOB, minutes = 0): JobCommandInput {
  return {
    type: 'AwardJob',
    actor: CLIENT,
    at: at(minutes),
    data: {
      jobId,
      title: 'Logo design',
      clientId: CLIENT,
      freelancerId: FREELANCER,
      currency: 'USD',
    },
  };
}

export function propose(
  proposalId: string,
  milestones: ReadonlyArray<readonly [string, number]>,
  actor = CLIENT,
  minutes = 1,
): JobCommandInput {
  return {
    type: 'ProposeTerms',
    actor,
    at: at(minutes),
    data: {
      proposalId,
      milestones: milestones.map(([milestoneId, amount]) => ({
        milestoneId,
        title: `Milestone ${milestoneId}`,
        dueDate: '2014-11-24',
        amount,
      })),
    },
  };
}

export const MILESTONES = ['m1', 'm2', 'm3', 'm4'] as const;

/** A command template: ids that must be unique are filled in by position when decided. */
type Template =
  | { kind: 'propose'; by: 'client' | 'freelancer'; milestones: Array<[string, number]> }
  | { kind: 'accept' | 'decline' | 'withdraw' }
  | { kind: 'fund'; milestone: string }
  | { kind: 'release' | 'submit' | 'changes'; milestone: string }
  | { kind: 'refund'; milestone: string }
  | { kind: 'close' };

const role = fc.constantFrom<'client' | 'freelancer'>('client', 'freelancer');
const milestone = fc.constantFrom(...MILESTONES);
const amount = fc.constantFrom(5000, 7500, 10000);
const proposal = fc
  .record({
    m1: amount,
    m2: amount,
    m3: fc.option(amount),
    m4: fc.option(amount),
    reverse: fc.boolean(),
  })
  .map(({ m1, m2, m3, m4, reverse }) => {
    const list: Array<[string, number]> = [
      ['m1', m1],
      ['m2', m2],
    ];
    if (m3 !== null) list.push(['m3', m3]);
    if (m4 !== null) list.push(['m4', m4]);
    return reverse ? list.reverse() : list;
  });
const template: fc.Arbitrary<Template> = fc.oneof(
  {
    weight: 15,
    arbitrary: fc.record({ kind: fc.constant('propose' as const), by: role, milestones: proposal }),
  },
  {
    weight: 15,
    arbitrary: fc.record({
      kind: fc.constantFrom(
        'accept' as const,
        'accept' as const,
        'decline' as const,
        'withdraw' as const,
      ),
    }),
  },
  { weight: 30, arbitrary: fc.record({ kind: fc.constant('fund' as const), milestone }) },
  {
    weight: 25,
    arbitrary: fc.record({
      kind: fc.constantFrom(
        'release' as const,
        'submit' as const,
        'changes' as const,
        'refund' as const,
      ),
      milestone,
    }),
  },
  { weight: 1, arbitrary: fc.constant({ kind: 'close' as const }) },
);

function actorOf(by: 'client' | 'freelancer'): string {
  return by === 'client' ? CLIENT : FREELANCER;
}

/** Turns a template into a command against the current state (the n-th command of the history). */
export function commandFrom(t: Template, state: JobState, n: number): JobCommandInput {
  const when = at(n + 2);
  const pending = state.terms.pending?.proposalId ?? 'none';
  const proposer = state.terms.pending?.by ?? 'client';
  const other = proposer === 'client' ? 'freelancer' : 'client';
  switch (t.kind) {
    case 'propose':
      return propose(`p${String(n)}`, t.milestones, actorOf(t.by), n + 2);
    case 'accept':
      return {
        type: 'AcceptTerms',
        actor: actorOf(other),
        at: when,
        data: { proposalId: pending },
      };
    case 'decline':
      return {
        type: 'DeclineTerms',
        actor: actorOf(other),
        at: when,
        data: { proposalId: pending },
      };
    case 'withdraw':
      return {
        type: 'WithdrawTerms',
        actor: actorOf(proposer),
        at: when,
        data: { proposalId: pending },
      };
    case 'fund':
      return {
        type: 'FundMilestone',
        actor: CLIENT,
        at: when,
        data: {
          milestoneId: t.milestone,
          fundingId: `f${String(n)}`,
          source: `card:${String(n % 3)}`,
        },
      };
    case 'release':
      return { type: 'ReleaseFunds', actor: CLIENT, at: when, data: { milestoneId: t.milestone } };
    case 'refund':
      return {
        type: 'RefundMilestone',
        actor: FREELANCER,
        at: when,
        data: { milestoneId: t.milestone },
      };
    case 'submit':
      return {
        type: 'SubmitWork',
        actor: FREELANCER,
        at: when,
        data: { milestoneId: t.milestone },
      };
    case 'changes':
      return {
        type: 'RequestChanges',
        actor: CLIENT,
        at: when,
        data: { milestoneId: t.milestone },
      };
    case 'close':
      return { type: 'CloseJob', actor: CLIENT, at: when, data: {} };
  }
}

/** A generated valid history, with its decisions (each command's events). */
export interface History {
  readonly events: readonly JobEvent[];
  readonly decisions: ReadonlyArray<readonly JobEvent[]>;
  readonly commands: readonly JobCommandInput[];
}

export function historyFrom(templates: readonly Template[]): History {
  let state = initialState();
  const decisions: JobEvent[][] = [];
  const commands: JobCommandInput[] = [];
  const start: JobCommandInput[] = [
    award(),
    propose('p-start', [
      ['m1', 7500],
      ['m2', 7500],
    ]),
    { type: 'AcceptTerms', actor: FREELANCER, at: at(2), data: { proposalId: 'p-start' } },
  ];
  const next = (i: number): JobCommandInput =>
    i < start.length
      ? (start[i] as JobCommandInput)
      : commandFrom(templates[i - start.length] as Template, state, i);
  for (let i = 0; i < start.length + templates.length; i++) {
    const command = next(i);
    try {
      const events = decide(command, state);
      decisions.push(events);
      commands.push(command);
      state = fold(events, state);
    } catch (error) {
      if (!isDomainError(error)) throw error;
    }
  }
  return { events: decisions.flat(), decisions, commands };
}

/** Valid histories of a started job (award, first terms accepted) and up to `maxCommands` more commands. */
export function histories(maxCommands = 30): fc.Arbitrary<History> {
  return fc
    .array(template, { minLength: Math.min(5, maxCommands), maxLength: maxCommands, size: 'max' })
    .map(historyFrom);
}

/** Command templates, for tests that decide them against a state of their own. */
export const templates = template;
export type { Template };
