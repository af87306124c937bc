import pg from 'pg';
import { DomainError, fail } from '../domain/shared/errors.js';
import {
  checkReadAll,
  checkReadStream,
  checkStreamId,
  concurrencyConflict,
  expectedVersionOf,
  MAX_STREAM_VERSION,
  prepareAppend,
} from '../store/append-rules.js';
import type {
  AppendResult,
  EventStore,
  EventToAppend,
  ExpectedVersion,
  ReadAllOptions,
  ReadStreamOptions,
  RecordedEvent,
  RecordedMetadata,
} from '../store/port.js';
import { countOption, objectOption, optionsObject, readOptions } from '../shared/options.js';
import { EVENT_STORE_OPTIONS } from './option-keys.js';
import { asError, describe, excerpt, thrownText } from '../domain/shared/parse.js';
import { DEFAULT_SCHEMA, quoteSchema } from './schema.js';
import { eventStoreSql, lockedMigrationSql } from './sql.js';
import {
  batchParameters,
  createAppendQueue,
  type BatchOutcome,
  type PreparedAppend,
} from './append-batch.js';
import { appendRunner } from './append-outcome.js';

/**
 * What the store needs from a connection pool: `pg.Pool` is one (so is a `pg.Client`, though a
 * single client serialises every query). Kept structural so the declarations do not need
 * `@types/pg`.
 */
export interface PgQueryable {
  /** Runs one parameterised SQL statement (`$1`, `$2`, …) and resolves to its rows. */
  query(text: string, values?: unknown[]): Promise<{ readonly rows: unknown[] }>;
}

/** A pool the store may close: `pg.Pool`. */
interface PgEndable extends PgQueryable {
  end(): Promise<void>;
}

/**
 * The pool a store or snapshot store queries: the caller's, or one it opens from a connection
 * string and closes itself (`close()` ends only a pool it opened).
 */
export function connect(options: {
  readonly pool?: PgQueryable;
  readonly connectionString?: string;
}): {
  readonly pool: PgQueryable;
  readonly close: () => Promise<void>;
} {
  optionsObject(options, 'a pool or a connectionString');
  // Read once: a getter that throws is INVALID_INPUT, not its error.
  let given: { pool?: unknown; connectionString?: unknown } = {};
  try {
    given = { pool: options.pool, connectionString: options.connectionString };
  } catch (error) {
    fail('INVALID_INPUT', `the options cannot be read: ${excerpt(thrownText(error))}`, {
      path: '',
    });
  }
  const { pool, connectionString } = given;
  if (pool !== undefined)
    return {
      pool: objectOption(pool as PgQueryable, 'pool', 'a pg.Pool', ['query']),
      close: () => Promise.resolve(),
    };
  if (typeof connectionString !== 'string' || connectionString === '')
    fail(
      'INVALID_INPUT',
      `give a pool or a connectionString (a postgres:// URL); connectionString is ${describe(connectionString)}`,
      { path: 'connectionString' },
    );
  let owned: PgEndable | undefined = new pg.Pool({ connectionString });
  return {
    pool: owned,
    async close() {
      if (owned !== undefined) {
        const closing = owned;
        owned = undefined;
        await closing.end();
      }
    },
  };
}

/** Options of {@link createPostgresEventStore}: where the events live, and how reads are paged. */
export interface PostgresEventStoreOptions {
  /**
   * The pool to run queries on; the app owns it (the store's `close()` leaves it open). Give this
   * or `connectionString`.
   */
  readonly pool?: PgQueryable;
  /** A connection string (`postgres://user:password@host:port/db`): the store opens and owns a `pg.Pool`. */
  readonly connectionString?: string;
  /** The PostgreSQL schema holding the tables (default `milestone_escrow`). */
  readonly schema?: string;
  /** Rows fetched per round trip by `readStream` and `readAll` (default 500): their memory bound. */
  readonly batchSize?: number;
}

/** The PostgreSQL event store: the {@link EventStore} port, plus its own housekeeping. */
export interface PostgresEventStore extends EventStore {
  /** The PostgreSQL schema the tables live in. */
  readonly schema: string;
  /** Creates the schema and tables if they are missing (idempotent, safe to run from several processes at once). */
  migrate(): Promise<void>;
  /** The highest global position appended so far (0 for an empty store). */
  headGlobalPosition(): Promise<number>;
  /** Closes the pool if the store opened it; a pool the app gave is left to the app. */
  close(): Promise<void>;
}

// stream_position is an integer column: the port's MAX_STREAM_VERSION.
const MAX_POSITION = MAX_STREAM_VERSION;
const UNIQUE_VIOLATION = '23505';
// The port refuses U+0000 and lone surrogates before a query (PostgreSQL's 22021 and 22P05);
// these remain for characters a non-UTF-8 database cannot convert, and an integer out of range.
const UNSTORABLE_TEXT = new Set(['22021', '22P05', '22P02', '22003', '54000']);
const STREAM_POSITION_KEY = 'events_stream_position_key';
// An `'any'` append that loses a race for the next stream position tries again this often.
const ANY_RETRIES = 20;

interface EventRow {
  global_position: string | number;
  stream_id: string;
  stream_position: number;
  event_id: string;
  type: string;
  data: unknown;
  metadata: Record<string, unknown> | null;
  schema_version: number;
  created_at: Date | string;
}

interface BatchRow {
  current_version: number;
  last_global_position: string | number | null;
  last_stream_position: number | null;
}

interface AppendRow {
  current_version: number;
  last_global_position: string | number | null;
  last_stream_position: number | null;
}

/**
 * Creates a PostgreSQL event store. Run `await store.migrate()` once (or the SQL of
 * `migrationSql()` in your own migrations) before using it.
 *
 * @example
 * ```ts compile-only
 * import { createPostgresEventStore } from 'milestone-escrow/postgres';
 *
 * const store = createPostgresEventStore({ connectionString: process.env['DATABASE_URL'] ?? 'postgres://localhost/escrow' });
 * await store.migrate(); // creates the schema and tables if missing; safe on every start
 * console.log(await store.streamVersion('job-logo'));
 * await store.close(); // ends the pool the store opened
 * ```
 */
// eslint-disable-next-line max-lines-per-function -- a factory: its closure is the store (pool, schema, page size); each method inside is a short named function, and every statement it runs is in sql.ts.
export function createPostgresEventStore(given: PostgresEventStoreOptions): PostgresEventStore {
  const options = readOptions(given, EVENT_STORE_OPTIONS, 'a pool or a connectionString');
  const schema = options.schema ?? DEFAULT_SCHEMA;
  const s = quoteSchema(schema);
  const batchSize = countOption(options.batchSize ?? 500, 'batchSize');
  const { pool, close } = connect(options);

  const sql = eventStoreSql(s);
  const runAppend = appendRunner(pool, sql.counterLock);

  async function streamVersion(streamId: string): Promise<number> {
    checkStreamId(streamId);
    const { rows } = await pool.query(sql.version, [streamId]);
    return (rows[0] as { version: number }).version;
  }

  function expectedNumber(expectedVersion: ExpectedVersion): number | null {
    if (expectedVersion === 'any') return null;
    if (expectedVersion === 'no-stream') return 0;
    return expectedVersion;
  }

  async function appendToStream(
    streamId: string,
    events: readonly EventToAppend[],
    options: { readonly expectedVersion: ExpectedVersion },
  ): Promise<AppendResult> {
    // Read once: what is checked is what is used (a getter may answer otherwise).
    const given = expectedVersionOf(options);
    const storable = prepareAppend(streamId, events, given);
    const expectedVersion = given as ExpectedVersion;
    const expected = expectedNumber(expectedVersion);
    if (storable.length === 0) {
      const version = await streamVersion(streamId);
      if (expected !== null && version !== expected)
        throw concurrencyConflict(streamId, expectedVersion, version);
      return { nextExpectedVersion: version, lastGlobalPosition: 0 };
    }
    const types = storable.map((e) => e.type);
    const data = storable.map((e) => e.data);
    const metadata = storable.map((e) => e.metadata);
    const schemaVersions = storable.map((e) => e.schemaVersion);
    const outcome = await enqueue({ streamId, expected, types, data, metadata, schemaVersions });
    if (outcome.lastGlobalPosition === null || outcome.lastStreamPosition === null)
      throw concurrencyConflict(streamId, expectedVersion, outcome.currentVersion);
    return {
      nextExpectedVersion: outcome.lastStreamPosition,
      lastGlobalPosition: outcome.lastGlobalPosition,
    };
  }

  /** One append as its own statement (a batch of one, or a failed batch's appends one by one). */
  async function appendOne(append: PreparedAppend): Promise<BatchOutcome> {
    for (let attempt = 0; ; attempt += 1) {
      try {
        const rows = await runAppend(
          sql.append,
          [
            append.streamId,
            append.types.length,
            append.expected,
            append.types,
            append.data,
            append.metadata,
            append.schemaVersions,
          ],
          append.streamId,
        );
        const row = rows[0] as AppendRow;
        return {
          currentVersion: row.current_version,
          lastGlobalPosition:
            row.last_global_position === null ? null : Number(row.last_global_position),
          lastStreamPosition: row.last_stream_position,
        };
      } catch (error) {
        if (isStreamPositionConflict(error)) {
          if (append.expected === null && attempt < ANY_RETRIES) continue;
          return {
            currentVersion: await streamVersion(append.streamId),
            lastGlobalPosition: null,
            lastStreamPosition: null,
          };
        }
        if (UNSTORABLE_TEXT.has(pgField(error, 'code') ?? '')) {
          throw new DomainError(
            'INVALID_INPUT',
            `PostgreSQL cannot store these events: ${thrownText(error)}`,
            {
              path: 'events',
            },
          );
        }
        throw asError(error);
      }
    }
  }

  async function appendBatch(batch: readonly PreparedAppend[]): Promise<BatchOutcome[]> {
    const rows = await runAppend(
      sql.appendBatch,
      batchParameters(batch),
      (batch[0] as PreparedAppend).streamId,
    );
    return (rows as BatchRow[]).map((row) => ({
      currentVersion: row.current_version,
      lastGlobalPosition:
        row.last_global_position === null ? null : Number(row.last_global_position),
      lastStreamPosition: row.last_stream_position,
    }));
  }

  const enqueue = createAppendQueue(appendBatch, appendOne);

  async function* readStream(
    streamId: string,
    readOptions: ReadStreamOptions = {},
  ): AsyncGenerator<RecordedEvent> {
    const bounds = checkReadStream(streamId, readOptions);
    let after = clampPosition(bounds.after, MAX_POSITION);
    const to = clampPosition(bounds.to ?? MAX_POSITION, MAX_POSITION);
    while (after < to) {
      const upTo = Math.min(to, after + batchSize);
      const { rows } = await pool.query(sql.readStream, [streamId, after, upTo]);
      for (const row of rows as EventRow[]) yield toRecorded(row);
      if (rows.length < upTo - after) return;
      after = upTo;
    }
  }

  async function* readAll(readOptions: ReadAllOptions = {}): AsyncGenerator<RecordedEvent> {
    let after = clampPosition(checkReadAll(readOptions).after, Number.MAX_SAFE_INTEGER);
    for (;;) {
      const { rows } = await pool.query(sql.readAll, [after, batchSize]);
      for (const row of rows as EventRow[]) {
        after = Number(row.global_position);
        yield toRecorded(row);
      }
      if (rows.length < batchSize) return;
    }
  }

  return {
    schema,
    appendToStream,
    readStream,
    streamVersion,
    readAll,
    async migrate() {
      await pool.query(lockedMigrationSql(schema));
    },
    async headGlobalPosition() {
      const { rows } = await pool.query(sql.head);
      const row = rows[0] as { value: string | number } | undefined;
      return row === undefined ? 0 : Number(row.value);
    },
    close,
  };
}

/** A read bound (a non-negative integer, checked by the port) as the column can compare it. */
function clampPosition(position: number, max: number): number {
  return Math.min(position, max);
}

/** A text field of a pg error; undefined, not a TypeError, for what a pool threw that has none (a revoked proxy). */
function pgField(error: unknown, field: 'code' | 'constraint'): string | undefined {
  try {
    const value = (error as Record<string, unknown>)[field];
    return typeof value === 'string' ? value : undefined;
  } catch {
    return undefined;
  }
}

function isStreamPositionConflict(error: unknown): boolean {
  return (
    pgField(error, 'code') === UNIQUE_VIOLATION &&
    pgField(error, 'constraint') === STREAM_POSITION_KEY
  );
}

function toRecorded(row: EventRow): RecordedEvent {
  const metadata: RecordedMetadata = {
    ...(row.metadata ?? {}),
    eventId: row.event_id,
    streamId: row.stream_id,
    streamPosition: row.stream_position,
    globalPosition: Number(row.global_position),
    schemaVersion: row.schema_version,
    recordedAt: (row.created_at instanceof Date
      ? row.created_at
      : new Date(row.created_at)
    ).toISOString(),
  };
  return { type: row.type, data: row.data, metadata };
}
