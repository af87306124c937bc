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

export const down = new Error('database down');
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
export function runner(kind: Runner, clock: Clock, errors: unknown[], name: string) {
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
