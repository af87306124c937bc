import pg from 'pg';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { createCommandHandler } from '../../src/handler/command-handler.js';
import { createPostgresConsumer } from '../../src/postgres/consumer.js';
import type { PgPool } from '../../src/postgres/consumer-lock.js';
import { createNotificationDispatcher } from '../../src/postgres/dispatcher.js';
import { createJobSummaryTable } from '../../src/postgres/summary-table.js';
import { createTimerRunner } from '../../src/postgres/timers.js';
import { DATABASE_URL, openTestDatabase, skipPostgres, type TestDatabase } from './database.js';

/*
 * The runners over the PostgreSQL consumers given a single connection (`pg.Client`) as their
 * `pool`: each needs a pool, for it holds a connection of its own (its lock, its batches) while
 * its other queries run. A pg.Client has a `connect` and a `query`, so it passed the options
 * check, and the runner failed at its first step: an unconnected client's `connect()` connects
 * it and resolves to nothing ("TypeError: held.release is not a function"), a connected one's
 * rejects ("Client has already been connected. You cannot reuse a client."). Now each refuses it
 * where it is created, and touches nothing: no connection opened, no query sent, no timer.
 */

type Make = (db: TestDatabase, pool: PgPool) => unknown;

const RUNNERS: readonly (readonly [string, Make])[] = [
  [
    'createPostgresConsumer',
    (db, pool) =>
      createPostgresConsumer({
        name: 'audit',
        store: db.store(),
        pool,
        schema: db.schema,
        handle: () => Promise.resolve(),
      }),
  ],
  [
    'createJobSummaryTable',
    (db, pool) => createJobSummaryTable({ store: db.store(), pool, schema: db.schema }),
  ],
  [
    'createNotificationDispatcher',
    (db, pool) =>
      createNotificationDispatcher({
        store: db.store(),
        pool,
        schema: db.schema,
        send: () => Promise.resolve(),
      }),
  ],
  [
    'createTimerRunner',
    (db, pool) =>
      createTimerRunner({
        store: db.store(),
        pool,
        schema: db.schema,
        handler: createCommandHandler({ store: db.store() }),
      }),
  ],
];

describe.skipIf(skipPostgres)('the runners given a single connection as their pool', () => {
  let db: TestDatabase;
  const opened: (() => Promise<void>)[] = [];
  beforeAll(async () => {
    db = await openTestDatabase('runners_single_client', 4);
  });
  afterAll(async () => {
    await (db as TestDatabase | undefined)?.drop(); // unset when the set-up failed
  });
  afterEach(async () => {
    vi.useRealTimers();
    for (const close of opened.splice(0)) await close();
  });

  /** A pg.Client (connected or not) whose `connect` and `query` calls are counted. */
  async function client(connected: boolean): Promise<{ client: pg.Client; calls: string[] }> {
    const made = new pg.Client({ connectionString: DATABASE_URL });
    made.on('error', () => undefined);
    if (connected) await made.connect();
    opened.push(() => made.end().catch(() => undefined));
    const calls: string[] = [];
    const connect = made.connect.bind(made);
    const query = made.query.bind(made) as (...args: unknown[]) => unknown;
    Object.assign(made, {
      connect: () => {
        calls.push('connect');
        return connect();
      },
      query: (...args: unknown[]) => {
        calls.push('query');
        return query(...args);
      },
    });
    return { client: made, calls };
  }

  /** What `make` throws, made with fake timers on, and how many timers it left. */
  function refusal(make: () => unknown): { thrown: unknown; timers: number } {
    vi.useFakeTimers();
    try {
      make();
      return { thrown: undefined, timers: vi.getTimerCount() };
    } catch (error) {
      return { thrown: error, timers: vi.getTimerCount() };
    } finally {
      vi.useRealTimers();
    }
  }

  /** The refusal: INVALID_INPUT at `pool`, saying what to give and why. */
  function expectRefused(thrown: unknown): void {
    expect(thrown).toMatchObject({
      name: 'DomainError',
      code: 'INVALID_INPUT',
      details: { path: 'pool' },
    });
    expect((thrown as Error).message).toMatch(
      /^pool must be a pg\.Pool, not a pg\.Client: a runner holds its own connection/,
    );
  }

  for (const [name, make] of RUNNERS)
    for (const connected of [false, true])
      it(`${name} refuses a ${connected ? 'connected' : 'new'} pg.Client where it is created, touching nothing`, async () => {
        const { client: given, calls } = await client(connected);
        const { thrown, timers } = refusal(() => make(db, given as unknown as PgPool));
        expectRefused(thrown);
        expect(timers).toBe(0);
        expect(calls).toEqual([]);
        // The app's connection is as it was: still usable when it was connected.
        if (connected) await expect(given.query('SELECT 1 AS one')).resolves.toBeDefined();
      });

  it('a connection checked out of a pg.Pool (a pg.Client too) is refused alike', async () => {
    const checkedOut = await db.pool.connect();
    opened.push(() => {
      checkedOut.release();
      return Promise.resolve();
    });
    for (const [, make] of RUNNERS)
      expectRefused(refusal(() => make(db, checkedOut as unknown as PgPool)).thrown);
  });

  it('a pg.Pool is taken, as before', () => {
    for (const [, make] of RUNNERS) expect(refusal(() => make(db, db.pool)).thrown).toBeUndefined();
  });
});
