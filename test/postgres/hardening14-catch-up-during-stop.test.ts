import { describe, expect, it } from 'vitest';
import { createPostgresConsumer } from '../../src/postgres/consumer.js';
import type { PgClient, PgPool } from '../../src/postgres/consumer-lock.js';
import { createJobSummaryTable } from '../../src/postgres/summary-table.js';
import { createFakeClock } from '../live/fake-clock.js';
import { appendCounted, skipPostgres, useTestDatabase } from './database.js';

/*
 * Session 14, item 3: a `catchUp()` asked while `stop()` is under way. The stop handed out a new
 * stop signal as it began, so such a catchUp() watched a signal no stop would abort: it stepped
 * on after the stop had released the lock, took it again, and held it (and ran batches) after
 * `stop()` had resolved. It now ends at once, as one asked before the stop does after its step
 * in hand. The pool is the test database's, with its next connect() (the lock's) held until the
 * stop has begun.
 */

describe.skipIf(skipPostgres)('catchUp() asked while stop() is under way', () => {
  const db = useTestDatabase('h14_catch_up_during_stop', {
    poolSize: 4,
    live: true,
    truncate: ['consumer_checkpoints'],
    seed: (db) => appendCounted(db, 5),
  });

  /** The database's pool, whose connect() once `hold()` is called waits for `go()`. */
  function heldPool() {
    let held: Promise<void> | undefined;
    let go = (): void => undefined;
    let waiting = 0;
    const pool: PgPool = {
      query: (text: string, values?: unknown[]) => db.pool.query(text, values),
      connect: async (): Promise<PgClient> => {
        const gate = held;
        held = undefined;
        if (gate !== undefined) {
          waiting += 1;
          await gate;
        }
        return db.pool.connect();
      },
    };
    return {
      pool,
      hold() {
        held = new Promise<void>((resolve) => {
          go = resolve;
        });
      },
      go: () => {
        go();
      },
      waiting: () => waiting,
    };
  }

  /** True when another session can take the advisory lock of consumer `name`: nobody holds it. */
  async function lockFree(name: string): Promise<boolean> {
    const client = await db.pool.connect();
    try {
      const key = `milestone-escrow:consumer:${db.schema}:${name}`;
      const { rows } = await client.query<{ locked: boolean }>(
        'SELECT pg_try_advisory_lock(hashtextextended($1, 0)) AS locked',
        [key],
      );
      if (rows[0]?.locked === true)
        await client.query('SELECT pg_advisory_unlock(hashtextextended($1, 0))', [key]);
      return rows[0]?.locked === true;
    } finally {
      client.release();
    }
  }

  async function checkpointOf(name: string): Promise<number> {
    const { rows } = await db.pool.query<{ position: string }>(
      `SELECT position FROM "${db.schema}".consumer_checkpoints WHERE name = $1`,
      [name],
    );
    return Number(rows[0]?.position ?? 0);
  }

  it('a consumer: it ends at once; after stop() resolves no lock is held, and no batch runs', async () => {
    const held = heldPool();
    const handled: number[] = [];
    const consumer = createPostgresConsumer({
      name: 'during-stop',
      store: db.store(),
      pool: held.pool,
      schema: db.schema,
      batchSize: 1,
      clock: createFakeClock(),
      handle: async ({ to }) => {
        handled.push(to);
      },
    });
    held.hold();
    // A step in hand, waiting for its connection: the stop waits for it.
    const inHand = consumer.step();
    await expect.poll(held.waiting).toBe(1);
    const stopped = consumer.stop();
    const caught = consumer.catchUp();
    held.go();
    expect(await inHand).toMatchObject({ kind: 'handled', position: 1 });
    await stopped;
    const afterStop = [...handled];
    expect(consumer.status().leader).toBe(false);
    const position = await caught;
    expect(handled).toEqual(afterStop);
    expect(handled).toEqual([1]);
    expect(consumer.status().leader).toBe(false);
    expect(await lockFree('during-stop')).toBe(true);
    // Never stepped: the position known when it was asked (none yet).
    expect(position).toBe(-1);
    expect(await consumer.checkpoint()).toBe(1);
    // A catchUp() asked once the stop is done is a new one: it runs to the head.
    expect(await consumer.catchUp()).toBe(5);
    await consumer.stop();
    expect(await lockFree('during-stop')).toBe(true);
  });

  it('a summary table: the same, for its live worker', async () => {
    const held = heldPool();
    const table = createJobSummaryTable({
      store: db.store(),
      pool: held.pool,
      schema: db.schema,
      name: 'during_stop',
      batchSize: 1,
      clock: createFakeClock(),
    });
    await table.migrate();
    const worker = 'read-model:during_stop:g1';
    held.hold();
    const inHand = table.step();
    await expect.poll(held.waiting).toBe(1);
    const stopped = table.stop();
    const caught = table.catchUp();
    held.go();
    expect(await inHand).toMatchObject({ kind: 'handled', position: 1 });
    await stopped;
    const afterStop = await checkpointOf(worker);
    const position = await caught;
    expect(await checkpointOf(worker)).toBe(afterStop);
    expect(afterStop).toBe(1);
    expect(await lockFree(worker)).toBe(true);
    // Never stepped: the position known when it was asked (none yet).
    expect(position).toBe(-1);
    expect(await table.catchUp()).toBe(5);
    await table.stop();
    expect(await lockFree(worker)).toBe(true);
  });
});
