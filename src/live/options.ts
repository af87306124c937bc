import { fail } from '../domain/shared/errors.js';
import { describe } from '../domain/shared/parse.js';

/*
 * The numeric options of the live loops (consumers, the summary table, the dispatcher, the timer
 * runner), checked where a runner is created. Unchecked, a wait that was not a positive number
 * (`-1`, `0`, `NaN`) never slept and the idle loop spun; a size of `NaN` or `1.5` read nothing or
 * everything. Each is `INVALID_INPUT` naming the option in `details.path`.
 */

/**
 * The longest wait a loop can take: `setTimeout` runs a delay of 2^31 ms or more after 1 ms, so a
 * longer wait would spin too.
 */
export const MAX_WAIT_MS = 2 ** 31 - 1;

/** The smallest and largest value an integer option takes, and what it counts. */
interface IntegerRange {
  readonly min: number;
  readonly max: number;
  /** The allowed values in words, for the message. */
  readonly allowed: string;
}

const COUNT: IntegerRange = { min: 1, max: Number.MAX_SAFE_INTEGER, allowed: 'a whole number ≥ 1' };
const SIZE: IntegerRange = {
  min: 0,
  max: Number.MAX_SAFE_INTEGER,
  allowed: 'a whole number ≥ 0 (0 keeps nothing)',
};
const WAIT: IntegerRange = {
  min: 1,
  max: MAX_WAIT_MS,
  allowed: `a whole number of milliseconds from 1 to ${String(MAX_WAIT_MS)} (about 24.8 days)`,
};

function integerOption(value: unknown, path: string, range: IntegerRange): number {
  if (
    typeof value === 'number' &&
    Number.isSafeInteger(value) &&
    value >= range.min &&
    value <= range.max
  )
    return value;
  return fail('INVALID_INPUT', `${path} must be ${range.allowed}, not ${describe(value)}`, {
    path,
  });
}

/** A count of things per step (`batchSize`, `fireSize`, `maxAttempts`): an integer ≥ 1. */
export function countOption(value: unknown, path: string): number {
  return integerOption(value, path, COUNT);
}

/** How many things stay in memory (`cacheSize`): an integer ≥ 0. */
export function sizeOption(value: unknown, path: string): number {
  return integerOption(value, path, SIZE);
}

/** A wait or a lease (`pollMs`, `lockRetryMs`, `leaseMs`): 1 to {@link MAX_WAIT_MS} ms. */
export function waitOption(value: unknown, path: string): number {
  return integerOption(value, path, WAIT);
}

/** A function option (`backoff`, `retryDelay`, `send`, `handle`). */
export function functionOption<F>(value: F, path: string): F {
  if (typeof value === 'function') return value;
  return fail('INVALID_INPUT', `${path} must be a function, not ${describe(value)}`, { path });
}
