import fc from 'fast-check';
import {
  decide,
  fold,
  initialState,
  isDomainError,
  type DomainError,
  type JobCommandInput,
  type JobEvent,
  type JobState,
} from '../../src/index.js';
import { escrowArbitraries, type GeneratedScript, type Intent } from '../../src/testing/index.js';

/** fast-check's number of runs: the default here, or `FC_NUM_RUNS` to go further. */
export function numRuns(fallback: number): number {
  const fromEnv = Number(process.env['FC_NUM_RUNS']);
  return Number.isSafeInteger(fromEnv) && fromEnv > 0 ? fromEnv : fallback;
}

/** The toolkit's arbitraries, made with our fast-check (dogfooding `milestone-escrow/testing`). */
export const arb = escrowArbitraries(fc);

/** Mixed scripts: valid moves, attacks on each rule and random commands, from all three actors. */
export const scripts = arb.script({ maxSteps: 50 });

/** One step of a script as the real decider took it. */
export type StepOutcome =
  | {
      readonly accepted: true;
      readonly command: unknown;
      readonly intent: Intent;
      readonly before: JobState;
      readonly events: readonly JobEvent[];
      readonly after: JobState;
    }
  | {
      readonly accepted: false;
      readonly command: unknown;
      readonly intent: Intent;
      readonly before: JobState;
      readonly snapshot: JobState;
      readonly error: DomainError;
      readonly after: JobState;
    };

/**
 * Plays a script against the real decider from the job's start, step by step: an accepted
 * command's events are folded in, a rejected one leaves the state (`snapshot` is a deep copy of
 * the state taken before the command was decided). A throw that is not a
 * DomainError escapes (and fails the property).
 */
export function play(
  script: GeneratedScript,
  onStep: (outcome: StepOutcome) => void = () => {},
): { events: JobEvent[]; state: JobState; outcomes: StepOutcome[] } {
  let state = initialState();
  const events: JobEvent[] = [];
  const outcomes: StepOutcome[] = [];
  for (const { command, intent } of script.steps) {
    const before = state;
    const snapshot = structuredClone(state);
    let outcome: StepOutcome;
    try {
      const decided = decide(command as JobCommandInput, state);
      state = fold(decided, state);
      events.push(...decided);
      outcome = { accepted: true, command, intent, before, events: decided, after: state };
    } catch (error) {
      if (!isDomainError(error)) throw error;
      outcome = { accepted: false, command, intent, before, snapshot, error, after: state };
    }
    outcomes.push(outcome);
    onStep(outcome);
  }
  return { events, state, outcomes };
}

/** True when every object inside `value` is frozen. */
export function isDeepFrozen(value: unknown): boolean {
  if (value === null || typeof value !== 'object') return true;
  if (!Object.isFrozen(value)) return false;
  return Object.values(value).every(isDeepFrozen);
}
