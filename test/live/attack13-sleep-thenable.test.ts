import { describe, it } from 'vitest';
import type { Clock } from '../../src/live/clock.js';
import { expectSleepEnds, RUNNERS } from './down-runners.js';

/*
 * A clock whose `sleep` returns a thenable that fails as it is awaited (its `then` throws, or its
 * `then` getter throws once read again) ends a runner's loop as a sleep that rejects does:
 * reported to `onError`, then `start()` rejects with it. `pause` called the `then` itself, so what
 * it threw ended the loop unreported. No database: every step fails, so every loop sleeps.
 */

const asleep = new Error('the clock has no timer left');
const SLEEPS: readonly (readonly [string, () => Clock['sleep']])[] = [
  [
    'whose then throws',
    () => () =>
      ({
        then() {
          throw asleep;
        },
      }) as unknown as Promise<void>,
  ],
  [
    'whose then getter throws when read again',
    () => () => {
      let reads = 0;
      return {
        get then() {
          reads += 1;
          if (reads > 1) throw asleep;
          return () => undefined;
        },
      } as unknown as Promise<void>;
    },
  ],
];

describe("a clock whose sleep's thenable fails ends a runner's loop, reported to onError", () => {
  const cases = RUNNERS.flatMap((kind) =>
    SLEEPS.map(([how, sleep]) => [kind, how, sleep] as const),
  );
  it.each(cases)('%s: a sleep returning a thenable %s', async (kind, _, sleep) => {
    await expectSleepEnds(kind, sleep(), asleep, 'attack13');
  });
});
