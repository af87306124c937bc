import { fail } from '../domain/shared/errors.js';
import { describe } from '../domain/shared/parse.js';
import { waitOption } from '../shared/options.js';

/*
 * The clock of the live loops (consumers, the dispatcher, the timer runner). The domain never reads
 * a clock; the loops at the edge take one injected, so tests run them on a fake clock and
 * production passes the system's.
 */

/** What a loop needs of time: the current instant and a way to wait. */
export interface Clock {
  /** Milliseconds since the epoch (as `Date.now()`; a fraction is rounded down). */
  now(): number;
  /** Resolves after `ms` milliseconds, or at once when `signal` aborts (never rejects). */
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
}

// The last millisecond of the year 9999: the instants the domain writes have four-digit years.
const LATEST = 253_402_300_799_999;

/**
 * The clock's now as the loops use it (the `bigint` columns of leases and deadlines, the `at` of
 * a timer's command): whole milliseconds, a fraction rounded down (`performance.timeOrigin +
 * performance.now()` failed every step with PostgreSQL's "invalid input syntax for type bigint").
 * Anything but a number from 0 to the end of the year 9999 is `INVALID_INPUT` at `clock.now()`.
 */
export function nowOf(clock: Clock): number {
  const now: unknown = clock.now();
  if (typeof now === 'number' && now >= 0 && now <= LATEST) return Math.floor(now);
  return fail(
    'INVALID_INPUT',
    `clock.now() must return milliseconds since 1970 (as Date.now()), not ${describe(now)}`,
    { path: 'clock.now()' },
  );
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
