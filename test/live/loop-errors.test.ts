import { describe, it } from 'vitest';
import type { Clock } from '../../src/live/clock.js';
import { expectSleepEnds, RUNNERS } from './down-runners.js';

/*
 * A clock whose `sleep` rejects (or throws) ends a runner's loop, as a `sleep` that returns no
 * promise does (docs/live.md): reported to `onError` first, then `start()` rejects with it. It
 * ended the loop unreported: `start()` rejected and `onError` never heard of it. No database:
 * every step fails, as against a database that is down, so every loop sleeps its backoff.
 */

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
    await expectSleepEnds(kind, sleep, asleep, 'loop-errors');
  });
});
