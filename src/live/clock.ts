import { waitOption } from '../shared/options.js';

/*
 * The clock of the live loops (consumers, the dispatcher, the timer runner). The domain never reads
 * a clock; the loops at the edge take one injected, so tests run them on a fake clock and
 * production passes the system's.
 */

/** What a loop needs of time: the current instant and a way to wait. */
export interface Clock {
  /** Milliseconds since the epoch (as `Date.now()`). */
  now(): number;
  /** Resolves after `ms` milliseconds, or at once when `signal` aborts (never rejects). */
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
}

/** The system clock: `Date.now()` and `setTimeout`. */
export const systemClock: Clock = {
  now: () => Date.now(),
  sleep: (ms, signal) =>
    new Promise<void>((resolve) => {
      if (signal?.aborted === true) {
        resolve();
        return;
      }
      const done = (): void => {
        clearTimeout(timer);
        signal?.removeEventListener('abort', done);
        resolve();
      };
      const timer = setTimeout(done, Math.max(0, ms));
      signal?.addEventListener('abort', done, { once: true });
    }),
};

/**
 * Exponential backoff with a ceiling: `base × 2^(failures − 1)`, at most `max` (milliseconds).
 * No jitter: the delays are a function of the count alone, so a fake clock can predict them.
 */
export function exponentialBackoff(base = 100, max = 30_000): (failures: number) => number {
  waitOption(base, 'base');
  waitOption(max, 'max');
  return (failures) => Math.min(max, base * 2 ** Math.max(0, Math.min(failures - 1, 30)));
}
