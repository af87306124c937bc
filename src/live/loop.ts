import { assertNever } from '../domain/shared/never.js';

/*
 * The pacing every live loop shares: what to wait after a step, by what the step did.
 */

/** What a step of a live loop did, as far as pacing goes. */
export type StepKind = 'standby' | 'idle' | 'handled' | 'failed';

/** The waits of a live loop. */
export interface Pacing {
  /** After an idle step (nothing to do). */
  readonly pollMs: number;
  /** After a standby step (another process holds the lock). */
  readonly lockRetryMs: number;
  /** After `failures` failed steps in a row. */
  readonly backoff: (failures: number) => number;
}

/** Milliseconds to wait after a step: none after work (more may be waiting). */
export function waitAfter(kind: StepKind, failures: number, pacing: Pacing): number {
  switch (kind) {
    case 'handled':
      return 0;
    case 'idle':
      return pacing.pollMs;
    case 'standby':
      return pacing.lockRetryMs;
    case 'failed':
      return pacing.backoff(failures);
    default:
      return assertNever(kind, 'step kind');
  }
}
