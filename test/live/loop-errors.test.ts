import { describe, expect, it } from 'vitest';
import type { Clock } from '../../src/live/clock.js';
import { down, runner as downRunner, RUNNERS, type Runner } from './down-runners.js';

/*
 * A clock whose `sleep` rejects (or throws) ends a runner's loop, as a `sleep` that returns no
 * promise does (docs/live.md): reported to `onError` first, then `start()` rejects with it. It
 * ended the loop unreported: `start()` rejected and `onError` never heard of it. No database:
 * every step fails, as against a database that is down, so every loop sleeps its backoff.
 */

const runner = (kind: Runner, clock: Clock, errors: unknown[]) =>
  downRunner(kind, clock, errors, 'loop-errors');

const asleep = new Error('the clock has no timer left');
const SLEEPS: readonly (readonly [string, Clock['sleep']])[] = [
  ['rejects', () => Promise.reject(asleep)],
  [
    'throws',
    () => {
      throw asleep;
    },
  ],
];

describe("a clock whose sleep fails ends a runner's loop, reported to onError", () => {
  const cases = RUNNERS.flatMap((kind) =>
    SLEEPS.map(([how, sleep]) => [kind, how, sleep] as const),
  );
  it.each(cases)('%s: a sleep that %s', async (kind, _, sleep) => {
    const clock: Clock = { now: () => Date.parse('2026-01-01T00:00:00Z'), sleep };
    const errors: unknown[] = [];
    const outcome = await runner(kind, clock, errors)
      .start()
      .then(
        () => 'resolved',
        (error: unknown) => error,
      );
    expect(outcome).toBe(asleep);
    // The steps' failures, then the sleep's error, once and last: the loop ended with it.
    expect(errors.at(-1)).toBe(asleep);
    expect(errors.filter((e) => e === asleep)).toHaveLength(1);
    expect(errors.slice(0, -1).every((e) => e === down)).toBe(true);
  });
});
