import { expect } from 'vitest';
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
 * The four live runners on a database that is down (every connect and query rejects with
 * `down`): every step fails, so every loop sleeps its backoff on the clock the test gives.
 * Shared by the tests of what a failing sleep does to a loop.
 */

const down = new Error('database down');
const pool = {
  connect: () => Promise.reject(down),
  query: () => Promise.reject(down),
};
const store = createPostgresEventStore({ pool });

export type Runner = 'consumer' | 'summary table' | 'dispatcher' | 'timer runner';
export const RUNNERS: readonly Runner[] = [
  'consumer',
  'summary table',
  'dispatcher',
  'timer runner',
];

/** A runner of `kind` on the down database, its errors pushed to `errors`. */
function runner(kind: Runner, clock: Clock, errors: unknown[], name: string) {
  const common = { store, pool, clock, onError: (e: unknown) => errors.push(e) };
  switch (kind) {
    case 'consumer':
      return createPostgresConsumer({ ...common, name, handle: async () => {} });
    case 'summary table':
      return createJobSummaryTable(common);
    case 'dispatcher':
      return createNotificationDispatcher({ ...common, send: async () => {} });
    case 'timer runner':
      return createTimerRunner({ ...common, handler: createCommandHandler({ store }) });
  }
}

/**
 * Starts a `kind` runner on the down database with `sleep` as its clock's, and checks that its
 * loop ended with `failure`: `start()` rejects with it, and `onError` heard it once and last,
 * after the steps' own failures (`down`).
 */
export async function expectSleepEnds(
  kind: Runner,
  sleep: Clock['sleep'],
  failure: unknown,
  name: string,
): Promise<void> {
  const clock: Clock = { now: () => Date.parse('2026-01-01T00:00:00Z'), sleep };
  const errors: unknown[] = [];
  const outcome = await runner(kind, clock, errors, name)
    .start()
    .then(
      () => 'resolved',
      (error: unknown) => error,
    );
  expect(outcome).toBe(failure);
  // The steps' failures, then the sleep's error, once and last: the loop ended with it.
  expect(errors.at(-1)).toBe(failure);
  expect(errors.filter((e) => e === failure)).toHaveLength(1);
  expect(errors.slice(0, -1).every((e) => e === down)).toBe(true);
}
