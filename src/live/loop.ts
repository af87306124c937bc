import { assertNever } from '../domain/shared/never.js';
import type { Clock } from './clock.js';

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

/** A loop's `start` and `stop`, as the dispatcher and the timer runner expose them. */
export interface StepLoop {
  /** Runs steps until `stop`; calling it again while running returns the same run. */
  start(): Promise<void>;
  /** Lets the running step finish, then releases what `release` releases. */
  stop(): Promise<void>;
}

/**
 * Runs `step` over and over: again at once after a step that did work (more may be waiting),
 * after `pollMs` when it found nothing, with backoff after failures (reported to `onError`).
 * When the loop ends, or on `stop` when it never started, `release` frees what the loop held.
 */
export function stepLoop(options: {
  readonly clock: Clock;
  readonly pacing: Pacing;
  /** One step; true when it did work. */
  readonly step: () => Promise<boolean>;
  readonly onError?: ((error: unknown) => void) | undefined;
  readonly release: () => Promise<void>;
}): StepLoop {
  const { clock, pacing, step, onError, release } = options;
  let stopping: AbortController | undefined;
  let loop: Promise<void> | undefined;

  async function run(signal: AbortSignal): Promise<void> {
    let failures = 0;
    while (!signal.aborted) {
      let wait: number;
      try {
        const busy = await step();
        failures = 0;
        wait = busy ? 0 : pacing.pollMs;
      } catch (error) {
        failures += 1;
        onError?.(error);
        wait = waitAfter('failed', failures, pacing);
      }
      if (wait > 0) await clock.sleep(wait, signal);
    }
  }

  return {
    start() {
      if (loop !== undefined) return loop;
      stopping = new AbortController();
      loop = run(stopping.signal).finally(async () => {
        await release();
        loop = undefined;
      });
      return loop;
    },
    async stop() {
      stopping?.abort();
      if (loop !== undefined) await loop;
      else await release();
    },
  };
}
