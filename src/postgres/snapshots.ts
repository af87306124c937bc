import { isStreamId } from '../store/append-rules.js';
import {
  prepareSnapshot,
  type IdempotencyRecord,
  type Snapshot,
  type SnapshotStore,
} from '../store/snapshots.js';
import { snapshotLimit } from '../store/snapshot-input.js';
import { countOption, readOptions } from '../shared/options.js';
import { SNAPSHOT_STORE_OPTIONS } from './option-keys.js';
import { DEFAULT_SCHEMA, quoteSchema } from './schema.js';
import { snapshotStoreSql } from './sql.js';
import { connect, type PgQueryable } from './store.js';

/*
 * Snapshots in PostgreSQL: the `snapshots` table of the event store's schema (created by the
 * event store's `migrate()`), keyed by (stream, version), the newest `keep` of each stream kept.
 */

/** Options of {@link createPostgresSnapshotStore}. */
export interface PostgresSnapshotStoreOptions {
  /** The pool to run queries on (the app's; `close()` leaves it open). Give this or `connectionString`. */
  readonly pool?: PgQueryable;
  /** A connection string: the snapshot store opens and owns a `pg.Pool`. */
  readonly connectionString?: string;
  /** The PostgreSQL schema of the event store's tables (default `milestone_escrow`). */
  readonly schema?: string;
  /** How many snapshots to keep per stream, newest first (default 3). */
  readonly keep?: number;
}

/** The PostgreSQL snapshot store: the {@link SnapshotStore} interface, plus `close()`. */
export interface PostgresSnapshotStore extends SnapshotStore {
  /** Closes the pool if the snapshot store opened it. */
  close(): Promise<void>;
}

interface SnapshotRow {
  stream_id: string;
  version: number;
  snapshot_version: string;
  state: unknown;
  idempotency: IdempotencyRecord[];
  taken_at: string;
}

/**
 * Creates a snapshot store on the event store's tables, for the command handler's `snapshots`
 * option. Run the event store's `migrate()` first (it creates the `snapshots` table).
 */
export function createPostgresSnapshotStore(
  given: PostgresSnapshotStoreOptions,
): PostgresSnapshotStore {
  const options = readOptions(given, SNAPSHOT_STORE_OPTIONS, 'a pool or a connectionString');
  const s = quoteSchema(options.schema ?? DEFAULT_SCHEMA);
  const keep = countOption(options.keep ?? 3, 'keep');
  const { pool, close } = connect(options);

  const sql = snapshotStoreSql(s);

  return {
    async save(snapshot: Snapshot): Promise<void> {
      // Checked as the in-memory store checks it: the same snapshots kept and refused.
      const kept = prepareSnapshot(snapshot);
      await pool.query(sql.save, [
        kept.streamId,
        kept.version,
        kept.snapshotVersion,
        kept.state,
        kept.idempotency,
        kept.takenAt,
      ]);
      await pool.query(sql.prune, [kept.streamId, keep]);
    },
    async load(
      streamId: string,
      loadOptions: { readonly atOrBefore?: number } = {},
    ): Promise<Snapshot | undefined> {
      const atOrBefore = Math.min(
        Math.floor(snapshotLimit(loadOptions) ?? 2_147_483_647),
        2_147_483_647,
      );
      // No such stream can exist (a lone surrogate read job-\ufffd's snapshot).
      if (!(atOrBefore >= 0) || !isStreamId(streamId)) return undefined;
      const { rows } = await pool.query(sql.load, [streamId, atOrBefore]);
      const row = rows[0] as SnapshotRow | undefined;
      if (row === undefined) return undefined;
      return {
        streamId: row.stream_id,
        version: row.version,
        snapshotVersion: row.snapshot_version,
        state: row.state,
        idempotency: row.idempotency,
        takenAt: row.taken_at,
      };
    },
    close,
  };
}
