import pg from 'pg';
import { afterAll, afterEach, beforeAll, beforeEach } from 'vitest';
import { jobCommands } from '../../examples/live/jobs.js';
import { createCommandHandler } from '../../src/handler/command-handler.js';
import type { Clock } from '../../src/live/clock.js';
import type { PgClient, PgPool } from '../../src/postgres/consumer-lock.js';
import {
  createNotificationDispatcher,
  type NotificationDispatcher,
  type NotificationDispatcherOptions,
} from '../../src/postgres/dispatcher.js';
import {
  createPostgresEventStore,
  type PostgresEventStore,
  type PostgresEventStoreOptions,
} from '../../src/postgres/index.js';
import { migrateLive } from '../../src/postgres/live-schema.js';

/*
 * The PostgreSQL suite runs against DATABASE_URL (`.ci/postgres.sh` prints one). Locally, without
 * it, every PostgreSQL test is skipped, loudly; in CI (CI=true) test/postgres/environment.test.ts
 * fails instead, so CI never passes without having run the suite.
 */

export const DATABASE_URL = process.env.DATABASE_URL ?? '';
export const skipPostgres = DATABASE_URL === '';

/** Why test/postgres/ is skipped, and how to run it (the last lines of `npm test` repeat it). */
export const SKIP_NOTE =
  'DATABASE_URL is not set, so the PostgreSQL suite did not run; to run it: export DATABASE_URL="$(sudo bash .ci/postgres.sh)" && npm test';

/** Says loudly that the PostgreSQL suite is skipped (test/postgres/environment.test.ts calls it). */
export function warnIfSkipped(): void {
  if (!skipPostgres) return;
  console.warn(
    [
      '',
      '#'.repeat(78),
      '# SKIPPED: the whole PostgreSQL suite (test/postgres/*): DATABASE_URL is not set.',
      '# Start a local server and run it:',
      '#   export DATABASE_URL="$(sudo bash .ci/postgres.sh)" && npm test',
      '#'.repeat(78),
      '',
    ].join('\n'),
  );
}

/** A schema of its own for one test file, so files can run in parallel on one database. */
export function schemaName(label: string): string {
  return `test_${label}_${String(process.pid)}_${Math.random().toString(36).slice(2, 8)}`;
}

export interface TestDatabase {
  readonly pool: pg.Pool;
  readonly schema: string;
  /** A store on the shared pool (its `close()` leaves the pool open). */
  store(
    options?: Omit<PostgresEventStoreOptions, 'pool' | 'connectionString' | 'schema'>,
  ): PostgresEventStore;
  /**
   * Empties the store's tables and restarts the global positions at 1; also empties the schema's
   * `tables` named (a live part's own, once its `migrate()` made them).
   */
  truncate(...tables: string[]): Promise<void>;
  /** Drops the schema and ends the pool. */
  drop(): Promise<void>;
}

/** Creates a fresh schema with the store's tables, on a pool of its own. */
export async function openTestDatabase(label: string, poolSize = 10): Promise<TestDatabase> {
  const pool = new pg.Pool({ connectionString: DATABASE_URL, max: poolSize });
  const schema = schemaName(label);
  const store = (
    options: Omit<PostgresEventStoreOptions, 'pool' | 'connectionString' | 'schema'> = {},
  ) => createPostgresEventStore({ ...options, pool, schema });
  await store().migrate();
  return {
    pool,
    schema,
    store,
    async truncate(...tables) {
      const all = ['events', 'snapshots', ...tables].map((table) => `"${schema}".${table}`);
      await pool.query(
        `TRUNCATE ${all.join(', ')}; UPDATE "${schema}".global_position SET value = 0`,
      );
    },
    async drop() {
      try {
        await pool.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
      } finally {
        await pool.end();
      }
    },
  };
}

/** What {@link useTestDatabase} does besides opening the schema, and when. */
export interface TestDatabaseSetup {
  /** The pool's size (default openTestDatabase's). */
  readonly poolSize?: number;
  /** Creates the live parts' tables (migrateLive) once the schema is open. */
  readonly live?: boolean;
  /** Runs once, after the schema (and the live tables) are made: a file's own tables. */
  readonly prepare?: (db: TestDatabase) => unknown;
  /**
   * Before each test: `true` empties the store's tables, a list empties these too (the live
   * parts' own: {@link TestDatabase.truncate}); default nothing (the file's tests do it, or never).
   */
  readonly truncate?: boolean | readonly string[];
  /** Runs before each test, after the truncate: the events the file's tests start from. */
  readonly seed?: (db: TestDatabase) => Promise<unknown>;
}

/**
 * Registers, in the `describe` that calls it, the hooks of a PostgreSQL test file: a schema of
 * its own (`label`) opened before the tests and dropped after them, emptied and seeded before
 * each. Returns the test database, whose members are readable once the beforeAll hook ran.
 */
export function useTestDatabase(label: string, setup: TestDatabaseSetup = {}): TestDatabase {
  let opened: TestDatabase | undefined;
  const open = (): TestDatabase => {
    if (opened === undefined) throw new Error('the test database opens in beforeAll');
    return opened;
  };
  const db: TestDatabase = {
    get pool() {
      return open().pool;
    },
    get schema() {
      return open().schema;
    },
    store: (options) => open().store(options),
    truncate: (...tables) => open().truncate(...tables),
    drop: () => open().drop(),
  };
  beforeAll(async () => {
    opened = await openTestDatabase(label, setup.poolSize);
    if (setup.live === true) await migrateLive(db.pool, db.schema);
    await setup.prepare?.(db);
  });
  afterAll(async () => {
    await opened?.drop();
  });
  const { truncate = false, seed } = setup;
  if (truncate !== false || seed !== undefined)
    beforeEach(async () => {
      if (truncate !== false) await db.truncate(...(truncate === true ? [] : truncate));
      await seed?.(db);
    });
  return db;
}

/**
 * The live parts a test opens (push them), each stopped after the test, failed or not: one left
 * running holds its consumer's lock into the next test. Registered in the calling `describe`.
 */
export function stoppedAfterEach<T extends { stop(): Promise<unknown> }>(): T[] {
  const opened: T[] = [];
  afterEach(async () => {
    await Promise.all(opened.splice(0).map((part) => part.stop()));
  });
  return opened;
}

/** Appends `count` `Counted` events (`data: { i }`), the i-th to `stream(i)` (default `s`). */
export async function appendCounted(
  db: TestDatabase,
  count: number,
  stream: (i: number) => string = () => 's',
): Promise<void> {
  const store = db.store();
  for (let i = 0; i < count; i++)
    await store.appendToStream(stream(i), [{ type: 'Counted', data: { i } }], {
      expectedVersion: 'any',
    });
}

/** Runs examples/live/jobs.ts's commands of each job `n` (stream `job<n>`) against the database. */
export async function driveJobs(db: TestDatabase, jobs: Iterable<number>): Promise<void> {
  const handler = createCommandHandler({ store: db.store() });
  for (const n of jobs) {
    const streamId = `job${String(n)}`;
    for (const command of jobCommands(streamId, n)) await handler.handle(streamId, command);
  }
}

/** The job numbers from `from` up to `to` (excluded). */
export function jobRange(from: number, to: number): number[] {
  return Array.from({ length: Math.max(0, to - from) }, (_, i) => from + i);
}

/** A dispatcher's options in a test: `send` and any others over {@link openDispatcher}'s. */
export type DispatcherOptions = Partial<NotificationDispatcherOptions> &
  Pick<NotificationDispatcherOptions, 'send'>;

/**
 * A notifications dispatcher on the test database and `clock` (`lockRetryMs: 20`, so a test
 * waiting for the lock does not wait long), pushed onto `opened` for the test's afterEach to stop.
 */
export function openDispatcher(
  db: TestDatabase,
  clock: Clock,
  opened: { push(dispatcher: NotificationDispatcher): unknown },
  options: DispatcherOptions,
): NotificationDispatcher {
  const dispatcher = createNotificationDispatcher({
    store: db.store(),
    pool: db.pool,
    schema: db.schema,
    clock,
    lockRetryMs: 20,
    ...options,
  });
  opened.push(dispatcher);
  return dispatcher;
}

/**
 * The test database's pool, but every query whose text matches `fails` rejects as a dropped
 * connection does (a mark or a DROP that cannot be written).
 */
export function failingQueries(db: TestDatabase, fails: (text: string) => boolean): PgPool {
  return {
    connect: () => db.pool.connect(),
    query: (text, values) =>
      fails(text)
        ? Promise.reject(new Error('connection terminated unexpectedly'))
        : db.pool.query(text, values),
  };
}

/**
 * A connection of the test database whose statements go through `query` (which calls the
 * connection's own as it likes): a pool's wrapper holds, cuts or loses the statements it picks.
 */
export function clientWith(client: pg.PoolClient, query: PgClient['query']): PgClient {
  return {
    release: (destroy) => {
      client.release(destroy);
    },
    on: (event, listener) => client.on(event, listener),
    removeListener: (event, listener) => client.removeListener(event, listener),
    query,
  };
}
