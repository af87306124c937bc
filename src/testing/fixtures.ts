import type { JobEvent } from '../domain/events.js';
import type { JobState } from '../domain/state.js';
import { parseCommand, type JobCommand } from '../domain/commands.js';
import type { Milestone, MilestoneInput } from '../domain/shared/schema.js';
import { deepFreeze } from '../domain/shared/freeze.js';
import { EscrowAssertionError } from './assertion.js';
import { decideAll } from './given.js';
import {
  LOGO_JOB,
  LOGO_TERMS,
  logoDesignScript,
  type LogoDesignStage,
  type SeedScript,
} from './seed.js';

export type { LogoDesignStage } from './seed.js';

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

type Script<Stage extends string> = SeedScript<Stage>;

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
    commands.push(parseCommand(item));
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

/** The seed's milestones as the state carries them: a missing description is empty. */
function asAccepted(terms: readonly MilestoneInput[]): Milestone[] {
  return terms.map((m) => ({ ...m, description: m.description ?? '' }));
}

/**
 * The seed's logo-design job ($400 in five milestones, m1–m5), the demo's story: the client
 * proposes the terms and prefunds the start fee, the freelancer accepts, a due date moves by
 * agreement, a prefunded extra milestone is declined and refunded, and milestone by milestone the
 * work is funded, submitted (one round of changes on the concepts) and released; then the client
 * closes.
 */
export const logoDesign: JobFixture<LogoDesignStage> = build(
  { ...LOGO_JOB, terms: asAccepted(LOGO_TERMS) },
  logoDesignScript(),
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
