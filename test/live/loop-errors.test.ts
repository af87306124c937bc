import { describe, expect, it } from 'vitest';
import { createCommandHandler } from '../../src/handler/command-handler.js';
import type { Clock } from '../../src/live/clock.js';
import {
  createJobSummaryTable,
  createNotificationDispatcher,
  createPostgresConsumer,
  createPostgresEventStore,
  createTimerRunner,
} from '../../src/postgres/index.js';

/*
 * A clock whose `sleep` rejects (or throws) ends a runner's loop, as a `sleep` that returns no
 * promise does (docs/live.md): reported to `onError` first, then `start()` rejects with it. It
 * ended the loop unreported: `start()` rejected and `onError` never heard of it. No database:
 * every step fails, as against a database that is down, so every loop sleeps its backoff.
 */

const down = new Error('database down');
const pool = {
  connect: () => Promise.reject(down),
  query: () => Promise.reject(down),
};
const store = createPostgresEventStore({ pool });

type Runner = 'consumer' | 'summary table' | 'dispatcher' | 'timer runner';
const RUNNERS: readonly Runner[] = ['consumer', 'summary table', 'dispatcher', 'timer runner'];

function runner(kind: Runner, clock: Clock, errors: unknown[]) {
  const common = { store, pool, clock, onError: (e: unknown) => errors.push(e) };
  switch (kind) {
    case 'consumer':
      return createPostgresConsumer({ ...common, name: 'loop-errors', handle: async () => {} });
    case 'summary table':
      return createJobSummaryTable(common);
    case 'dispatcher':
      return createNotificationDispatcher({ ...common, send: async () => {} });
    case 'timer runner':
      return createTimerRunner({ ...common, handler: createCommandHandler({ store }) });
  }
}

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
