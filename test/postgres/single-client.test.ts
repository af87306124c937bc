import pg from 'pg';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { isDomainError } from '../../src/domain/shared/errors.js';
import { AppendOutcomeUnknownError, createPostgresEventStore } from '../../src/postgres/index.js';
import { DATABASE_URL, openTestDatabase, skipPostgres, type TestDatabase } from './database.js';
import { LOST, losingClient } from './losing-commits.js';

/*
 * The PostgreSQL store on a single connection, a `pg.Client` (src/postgres/append-outcome.ts):
 * its appends are one auto-committed statement each (no transaction of the store's on a
 * connection the app may share), and a lost reply is AppendOutcomeUnknownError, as on a pool
 * the database cannot be asked. Before, a pg.Client was taken for a pool (it has a `connect`
 * too), and every append rejected with "Client has already been connected".
 */

const event = (i: number, type = 'Counted') => ({ type, data: { i } });

describe.skipIf(skipPostgres)('the PostgreSQL store on a single pg.Client', () => {
  let db: TestDatabase;
  /** Ends (or gives back) what a test opened. */
  const opened: (() => Promise<void>)[] = [];
  beforeAll(async () => {
    db = await openTestDatabase('single_client', 4);
    // A statement the server refuses, for the test of its answer.
    await db.pool.query(`
      CREATE FUNCTION "${db.schema}".refuse() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
          IF NEW.type = 'Refused' THEN RAISE EXCEPTION 'refused by a trigger'; END IF;
          RETURN NEW;
        END $$;
      CREATE TRIGGER refuse BEFORE INSERT ON "${db.schema}".events
        FOR EACH ROW EXECUTE FUNCTION "${db.schema}".refuse();`);
  });
  afterAll(async () => {
    await (db as TestDatabase | undefined)?.drop(); // unset when the set-up failed
  });
  beforeEach(async () => {
    await db.truncate();
  });
  afterEach(async () => {
    for (const close of opened.splice(0)) await close();
  });

  async function client(): Promise<pg.Client> {
    const connected = new pg.Client({ connectionString: DATABASE_URL });
    await connected.connect();
    connected.on('error', () => undefined);
    opened.push(() => connected.end().catch(() => undefined));
    return connected;
  }

  async function rows(): Promise<{ stream_id: string; global_position: string }[]> {
    const { rows: found } = await db.pool.query<{ stream_id: string; global_position: string }>(
      `SELECT stream_id, global_position FROM "${db.schema}".events ORDER BY global_position`,
    );
    return found;
  }

  /** How many transactions wrote the events (one for a batch). */
  async function writers(): Promise<number> {
    const { rows: found } = await db.pool.query<{ n: number }>(
      `SELECT count(DISTINCT xmin::text)::integer AS n FROM "${db.schema}".events`,
    );
    return found[0]!.n;
  }

  const isAppend = (text: string): boolean => text.includes(`INSERT INTO "${db.schema}".events`);

  it('appends, alone and in a batch, and reads them back', async () => {
    const store = createPostgresEventStore({ pool: await client(), schema: db.schema });
    await expect(
      store.appendToStream('a', [event(1), event(2)], { expectedVersion: 'no-stream' }),
    ).resolves.toEqual({ nextExpectedVersion: 2, lastGlobalPosition: 2 });
    const batch = await Promise.all(
      ['b', 'c', 'd'].map((stream) =>
        store.appendToStream(stream, [event(1)], { expectedVersion: 'no-stream' }),
      ),
    );
    expect(batch.map((r) => r.lastGlobalPosition).sort((x, y) => x - y)).toEqual([3, 4, 5]);
    await expect(
      store.appendToStream('a', [event(3)], { expectedVersion: 1 }),
    ).rejects.toMatchObject({ code: 'CONCURRENCY_CONFLICT' });
    const read = [];
    for await (const recorded of store.readStream('a')) read.push(recorded.data);
    expect(read).toEqual([{ i: 1 }, { i: 2 }]);
    expect(await store.headGlobalPosition()).toBe(5);
  });

  it("a pool's checked-out client (pg.PoolClient) is a single connection too", async () => {
    const checkedOut = await db.pool.connect();
    opened.push(async () => {
      checkedOut.release();
      await Promise.resolve();
    });
    const store = createPostgresEventStore({ pool: checkedOut, schema: db.schema });
    await expect(
      store.appendToStream('a', [event(1)], { expectedVersion: 'no-stream' }),
    ).resolves.toEqual({ nextExpectedVersion: 1, lastGlobalPosition: 1 });
    expect(await rows()).toHaveLength(1);
  });

  it('a statement the server refuses: its error stands, nothing is written, and the client goes on', async () => {
    const store = createPostgresEventStore({ pool: await client(), schema: db.schema });
    const error: unknown = await store
      .appendToStream('a', [event(1, 'Refused')], { expectedVersion: 'no-stream' })
      .catch((thrown: unknown) => thrown);
    expect(error).not.toBeInstanceOf(AppendOutcomeUnknownError);
    expect((error as Error).message).toContain('refused by a trigger');
    expect(await rows()).toEqual([]);
    await expect(
      store.appendToStream('a', [event(1)], { expectedVersion: 'no-stream' }),
    ).resolves.toEqual({ nextExpectedVersion: 1, lastGlobalPosition: 1 });
  });

  it('the reply lost after the statement committed: AppendOutcomeUnknownError, and the events are there once', async () => {
    const lossy = await losingClient(db, 'landed', isAppend);
    opened.push(() => lossy.end().catch(() => undefined));
    const store = createPostgresEventStore({ pool: lossy, schema: db.schema });
    const error: unknown = await store
      .appendToStream('a', [event(1)], { expectedVersion: 'no-stream' })
      .catch((thrown: unknown) => thrown);
    expect(error).toBeInstanceOf(AppendOutcomeUnknownError);
    expect(error).toMatchObject({
      name: 'AppendOutcomeUnknownError',
      code: 'APPEND_OUTCOME_UNKNOWN',
      streamId: 'a',
    });
    expect(((error as Error).cause as Error).message).toBe(LOST);
    expect(isDomainError(error)).toBe(false);
    expect(await rows()).toEqual([{ stream_id: 'a', global_position: '1' }]);
  });

  it('the connection lost before the statement was sent: unknown too (the client cannot tell), nothing written', async () => {
    const lossy = await losingClient(db, 'not sent', isAppend);
    opened.push(() => lossy.end().catch(() => undefined));
    const store = createPostgresEventStore({ pool: lossy, schema: db.schema });
    await expect(
      store.appendToStream('a', [event(1)], { expectedVersion: 'no-stream' }),
    ).rejects.toBeInstanceOf(AppendOutcomeUnknownError);
    expect(await rows()).toEqual([]);
  });

  // pg refuses a query on a client that was ended or broke before it, where it would queue it:
  // nothing is sent. Before, the store answered AppendOutcomeUnknownError there too.
  for (const [how, expected, brokenBefore] of [
    [
      'ended by the app',
      'Client was closed and is not queryable',
      (given: pg.Client) => given.end(),
    ],
    [
      'broken (its server connection ended)',
      'Client has encountered a connection error and is not queryable',
      async (given: pg.Client) => {
        const {
          rows: [backend],
        } = await given.query<{ pid: number }>('SELECT pg_backend_pid() AS pid');
        const ended = new Promise((resolve) => given.once('end', resolve));
        await db.pool.query('SELECT pg_terminate_backend($1)', [backend!.pid]);
        await ended;
      },
    ],
  ] as const)
    it(`a client ${how} before the append: pg's error stands (nothing was sent), not an unknown outcome`, async () => {
      const given = new pg.Client({ connectionString: DATABASE_URL });
      given.on('error', () => undefined);
      await given.connect();
      opened.push(() => given.end().catch(() => undefined));
      const store = createPostgresEventStore({ pool: given, schema: db.schema });
      await brokenBefore(given);
      // Alone, and a batch of two (one statement).
      const settled = await Promise.allSettled([
        store.appendToStream('a', [event(1)], { expectedVersion: 'no-stream' }),
      ]);
      settled.push(
        ...(await Promise.allSettled(
          ['b', 'c'].map((stream) =>
            store.appendToStream(stream, [event(1)], { expectedVersion: 'any' }),
          ),
        )),
      );
      for (const outcome of settled) {
        const reason = (outcome as PromiseRejectedResult).reason as unknown;
        expect(reason).not.toBeInstanceOf(AppendOutcomeUnknownError);
        expect(reason).toMatchObject({ message: expected });
      }
      expect(await rows()).toEqual([]);
    });

  it('a batch whose reply is lost: every append is unknown with its own stream, none is sent again', async () => {
    const lossy = await losingClient(db, 'landed', isAppend);
    opened.push(() => lossy.end().catch(() => undefined));
    const store = createPostgresEventStore({ pool: lossy, schema: db.schema });
    const streams = ['a', 'b', 'c'];
    const settled = await Promise.allSettled(
      streams.map((stream) =>
        store.appendToStream(stream, [event(1)], { expectedVersion: 'no-stream' }),
      ),
    );
    for (const [i, outcome] of settled.entries()) {
      expect(outcome.status).toBe('rejected');
      const reason = (outcome as PromiseRejectedResult).reason as unknown;
      expect(reason).toBeInstanceOf(AppendOutcomeUnknownError);
      expect((reason as AppendOutcomeUnknownError).streamId).toBe(streams[i]);
    }
    // The batch had landed, in one transaction: each event once.
    expect((await rows()).map((r) => r.stream_id).sort()).toEqual(streams);
    expect(await writers()).toBe(1);
  });
});
