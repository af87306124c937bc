import type { JobEvent } from '../domain/events.js';
import type { JobState } from '../domain/state.js';
import { parseCommand, type JobCommand } from '../domain/commands.js';
import type { Milestone, MilestoneInput } from '../domain/shared/schema.js';
import { deepFreeze } from '../domain/shared/freeze.js';
import { thrownText } from '../domain/shared/parse.js';
import { EscrowAssertionError } from './assertion.js';
import { decideAll } from './given.js';
import {
  ACCESS_JOB,
  ACCESS_TERMS,
  LOGO_JOB,
  LOGO_TERMS,
  logoDesignScript,
  microsoftAccessScript,
  type LogoDesignStage,
  type MicrosoftAccessStage,
  type SeedScript,
} from './seed.js';

export type { LogoDesignStage, MicrosoftAccessStage } from './seed.js';

/*
 * The seed's two example jobs (spec §6) as ready histories, from their one version in `seed.ts`.
 * Each is built by deciding commands, so every history is one `decide` wrote; the stages are its
 * prefixes, to start a test from.
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

function build<Stage extends string>(
  about: Omit<JobFixture<Stage>, 'commands' | 'events' | 'state' | 'stages'>,
  script: SeedScript<Stage>,
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
        `fixture ${about.jobId}: command ${String(commands.length + 1)} (${item.type}) failed: ${thrownText(error)}`,
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

/**
 * The seed's Microsoft Access job ($800 in four milestones), the story of the guides: the client
 * prefunds the schema of its proposal; the freelancer's counter-proposal (the seed's terms)
 * supersedes it and the prefund goes back to its card in the same decision; the client accepts;
 * the schema is funded, reviewed once and released; the implementation is funded (`inProgress`);
 * then a price cut is declined, the implementation's money is sent back and the client closes the
 * job after the schema, by agreement (`closed`).
 */
export const microsoftAccess: JobFixture<MicrosoftAccessStage> = build(
  { ...ACCESS_JOB, terms: asAccepted(ACCESS_TERMS) },
  microsoftAccessScript(),
);
