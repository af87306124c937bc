import type { PostgresConsumerOptions } from './consumer.js';
import type { NotificationDispatcherOptions } from './dispatcher.js';
import type { PostgresSnapshotStoreOptions } from './snapshots.js';
import type { PostgresEventStoreOptions } from './store.js';
import type { JobSummaryTableOptions } from './summary-table.js';
import type { TimerRunnerOptions } from './timers.js';

/*
 * Every option each PostgreSQL factory reads, each read once at creation (`readOptions`): a getter
 * or proxy that throws is `INVALID_INPUT` naming the option, and one that answers otherwise later
 * is never read again. A factory reads only its copy, so an option left off a list does not
 * type-check where it is used.
 */

/** The options of `createPostgresConsumer`. */
export const CONSUMER_OPTIONS = [
  'name',
  'store',
  'pool',
  'schema',
  'handle',
  'handleTimeoutMs',
  'batchSize',
  'pollMs',
  'lockRetryMs',
  'backoff',
  'onError',
  'onBatch',
  'clock',
] as const satisfies readonly (keyof PostgresConsumerOptions)[];

/** The options of `createNotificationDispatcher`. */
export const DISPATCHER_OPTIONS = [
  'store',
  'pool',
  'schema',
  'send',
  'maxAttempts',
  'retryDelay',
  'leaseMs',
  'claimSize',
  'batchSize',
  'pollMs',
  'lockRetryMs',
  'onError',
  'decode',
  'accepts',
  'clock',
] as const satisfies readonly (keyof NotificationDispatcherOptions)[];

/** The options of `createPostgresSnapshotStore`. */
export const SNAPSHOT_STORE_OPTIONS = [
  'pool',
  'connectionString',
  'schema',
  'keep',
] as const satisfies readonly (keyof PostgresSnapshotStoreOptions)[];

/** The options of `createPostgresEventStore`. */
export const EVENT_STORE_OPTIONS = [
  'pool',
  'connectionString',
  'schema',
  'batchSize',
] as const satisfies readonly (keyof PostgresEventStoreOptions)[];

/** The options of `createJobSummaryTable`. */
export const SUMMARY_TABLE_OPTIONS = [
  'store',
  'pool',
  'schema',
  'name',
  'decode',
  'accepts',
  'cacheSize',
  'batchSize',
  'pollMs',
  'lockRetryMs',
  'backoff',
  'onError',
  'clock',
] as const satisfies readonly (keyof JobSummaryTableOptions)[];

/** The options of `createTimerRunner`. */
export const TIMER_RUNNER_OPTIONS = [
  'store',
  'pool',
  'schema',
  'handler',
  'deadlines',
  'actorOf',
  'jobIdOf',
  'fireSize',
  'handleTimeoutMs',
  'batchSize',
  'pollMs',
  'lockRetryMs',
  'onError',
  'decode',
  'accepts',
  'clock',
] as const satisfies readonly (keyof TimerRunnerOptions)[];
