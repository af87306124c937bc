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
