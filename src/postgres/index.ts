/**
 * milestone-escrow/postgres: the PostgreSQL event store (and snapshot store) behind the store
 * port. Needs the optional peer dependency `pg`; the main entry never imports it.
 * @packageDocumentation
 * @module milestone-escrow/postgres
 */
export {
  createPostgresEventStore,
  type PostgresEventStore,
  type PostgresEventStoreOptions,
  type PgQueryable,
} from './store.js';
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
} from './consumer.js';
export { liveMigrationSql, migrateLive } from './live-schema.js';
export { systemClock, exponentialBackoff, type Clock } from '../live/clock.js';
