/**
 * milestone-escrow/postgres: the PostgreSQL event store (and snapshot store) behind the store
 * port, and what runs live on it (docs/live.md): durable consumers, the job summary table, the
 * notifications dispatcher and the timer runner. Needs the optional peer dependency `pg`; the
 * main entry never imports it.
 * @packageDocumentation
 * @module milestone-escrow/postgres
 */
export {
  createPostgresEventStore,
  type PostgresEventStore,
  type PostgresEventStoreOptions,
  type PgQueryable,
} from './store.js';
export { AppendOutcomeUnknownError } from './append-outcome.js';
export { migrationSql, DEFAULT_SCHEMA } from './schema.js';
export {
  createPostgresSnapshotStore,
  type PostgresSnapshotStore,
  type PostgresSnapshotStoreOptions,
} from './snapshots.js';
export {
  createPostgresConsumer,
  type PostgresConsumer,
  type PostgresConsumerOptions,
  type ConsumerBatch,
  type ConsumerStep,
  type ConsumerStatus,
  type PgClient,
  type PgPool,
  type LiveEventStore,
} from './consumer.js';
export { liveMigrationSql, migrateLive } from './live-schema.js';
export { systemClock, exponentialBackoff, type Clock } from '../live/clock.js';
export {
  createJobSummaryTable,
  type JobSummaryTable,
  type JobSummaryTableOptions,
  type JobSummaryRow,
  type RebuildResult,
} from './summary-table.js';
export { decodeStored, isJobStream, type DecodeEvent } from './stream-cache.js';
export {
  createNotificationDispatcher,
  type NotificationDispatcher,
  type NotificationDispatcherOptions,
  type DeliveryContext,
  type DeliveryReport,
  type DeliveryCounts,
  type DeadLetter,
} from './dispatcher.js';
export {
  createTimerRunner,
  type TimerRunner,
  type TimerRunnerOptions,
  type FireReport,
} from './timers.js';
export { deadlineKey, type TimerDeadline, type DeadlinesOf } from './timer-deadlines.js';
