import { beforeEach, describe, expect, it } from 'vitest';
import {
  createPostgresConsumer,
  type ConsumerBatch,
  type ConsumerStep,
  type PgClient,
  type PgPool,
} from '../../src/postgres/consumer.js';
import type { ConsumerStatus } from '../../src/postgres/consumer-status.js';
import { createJobSummaryTable } from '../../src/postgres/summary-table.js';
import { LOST, losingCommits } from './losing-commits.js';
import { appendCounted, driveJobs, jobRange, skipPostgres, useTestDatabase } from './database.js';

/*
 * A consumer batch whose COMMIT gets no reply (the connection drops after the server committed,
 * or before it did): the consumer asks on another connection whether the transaction committed
 * (src/postgres/commit-outcome.ts) and reports what happened: `handled` when it landed (it was
 * reported `failed`, with onError, though the checkpoint had moved), `failed` when it did not,
 * and `unknown` (not failed, onError told so) when the database cannot say.
 */

describe.skipIf(skipPostgres)("a consumer batch whose COMMIT's reply is lost", () => {
  let seen: string;
  const db = useTestDatabase('commit_outcome', {
    poolSize: 8,
    live: true,
    prepare: async (db) => {
      seen = `"${db.schema}".seen`;
      await db.pool.query(`CREATE TABLE ${seen} (position bigint PRIMARY KEY)`);
    },
    truncate: ['seen', 'consumer_checkpoints'],
    seed: (db) => appendCounted(db, 10, (i) => `s-${String(i % 3)}`),
  });

  /**
   * A pool whose next COMMIT (once `armed`) is answered by a dropped connection (losingCommits):
   * after the server committed (`landed`) or after it rolled back (`rolled back`). With
   * `outOfReach`, the `connect()` right after the loss fails too (the database cannot be asked).
   */
  function lossyPool(mode: 'landed' | 'rolled back', outOfReach = false) {
    const armed = { armed: false };
    const pool = losingCommits(db, mode, outOfReach, () => (text) => {
      if (!armed.armed || text !== 'COMMIT') return false;
      armed.armed = false;
      return true;
    });
    return Object.assign(armed, pool);
  }

  function consumer(pool: PgPool, errors: unknown[], batches: ConsumerStep[], calls: number[][]) {
    return createPostgresConsumer({
      name: 'lossy',
      store: db.store(),
      pool,
      schema: db.schema,
      batchSize: 4,
      handle: async ({ events, tx }: ConsumerBatch) => {
        calls.push(events.map((e) => e.metadata.globalPosition));
        for (const e of events)
          await tx.query(`INSERT INTO ${seen} (position) VALUES ($1)`, [e.metadata.globalPosition]);
      },
      onError: (error: unknown, status: ConsumerStatus) => errors.push({ error, status }),
      onBatch: (step) => batches.push(step),
    });
  }

  async function seenCount(): Promise<number> {
    const { rows } = await db.pool.query<{ n: number }>(
      `SELECT count(*)::integer AS n FROM ${seen}`,
    );
    return rows[0]!.n;
  }

  it('landed: the step is handled (onBatch, no onError), and the next batch follows it', async () => {
    const pool = lossyPool('landed');
    const errors: unknown[] = [];
    const batches: ConsumerStep[] = [];
    const calls: number[][] = [];
    const c = consumer(pool, errors, batches, calls);
    pool.armed = true;
    const step = await c.step();
    expect(step).toEqual({ kind: 'handled', events: 4, position: 4 });
    expect(errors).toEqual([]);
    expect(batches).toEqual([step]);
    expect(c.status()).toMatchObject({ failures: 0, lastError: undefined, position: 4 });
    expect(await c.checkpoint()).toBe(4);
    // The lost connection is let go; the next step takes a new one and goes on from 4.
    expect(await c.catchUp()).toBe(10);
    expect(calls).toEqual([
      [1, 2, 3, 4],
      [5, 6, 7, 8],
      [9, 10],
    ]);
    expect(await seenCount()).toBe(10);
    await c.stop();
  });

  it('rolled back: the step is failed (onError), the checkpoint stayed, and the batch comes again', async () => {
    const pool = lossyPool('rolled back');
    const errors: { error: unknown }[] = [];
    const calls: number[][] = [];
    const c = consumer(pool, errors, [], calls);
    pool.armed = true;
    const step = await c.step();
    expect(step).toMatchObject({ kind: 'failed', position: 0 });
    expect((step as { error: Error }).error.message).toBe(LOST);
    expect(errors).toHaveLength(1);
    expect(c.status().failures).toBe(1);
    expect(await c.checkpoint()).toBe(0);
    expect(await c.catchUp()).toBe(10);
    expect(calls[0]).toEqual([1, 2, 3, 4]);
    expect(calls[1]).toEqual([1, 2, 3, 4]);
    expect(await seenCount()).toBe(10);
    await c.stop();
  });

  it('not found out (the database out of reach): the step is unknown, not failed; onError says so; the next step finds the checkpoint', async () => {
    const pool = lossyPool('landed', true);
    const errors: { error: unknown; status: ConsumerStatus }[] = [];
    const batches: ConsumerStep[] = [];
    const calls: number[][] = [];
    const c = consumer(pool, errors, batches, calls);
    pool.armed = true;
    const step = await c.step();
    expect(step).toMatchObject({ kind: 'unknown', position: 0, to: 4 });
    const error = (step as { error: Error }).error;
    expect(error.message).toBe(
      `consumer lossy: the COMMIT of the batch after 0 up to 4 got no reply, and whether it landed could not be found out (${LOST}); the next step reads the checkpoint and goes on from there`,
    );
    expect((error.cause as Error).message).toBe(LOST);
    expect(errors).toHaveLength(1);
    expect(errors[0]!.error).toBe(error);
    expect(errors[0]!.status).toMatchObject({ failures: 0, lastError: error });
    expect(batches).toEqual([]);
    // It had landed: the next step starts after it, nothing is handled twice.
    expect(await c.catchUp()).toBe(10);
    expect(calls).toEqual([
      [1, 2, 3, 4],
      [5, 6, 7, 8],
      [9, 10],
    ]);
    expect(c.status()).toMatchObject({ failures: 0, lastError: undefined });
    await c.stop();
  });
});

describe.skipIf(skipPostgres)("a summary table rebuild whose swap's COMMIT reply is lost", () => {
  const db = useTestDatabase('swap_outcome', { poolSize: 8 });
  beforeEach(async () => {
    await db.truncate();
    await driveJobs(db, jobRange(0, 3));
  });

  /**
   * A pool whose swap (the connection that moves the generation row) loses its COMMIT's reply
   * (losingCommits): after the server committed (`landed`) or rolled back; with `outOfReach`, the
   * connection asked for next is refused.
   */
  function lossySwaps(mode: 'landed' | 'rolled back', outOfReach = false): PgPool {
    return losingCommits(db, mode, outOfReach, () => {
      let swapping = false;
      return (text) => {
        if (/read_model_generations SET generation/.test(text)) swapping = true;
        return swapping && text === 'COMMIT';
      };
    });
  }

  /** `pool` with at most `max` connections out at once, the next connect() waiting, as pg.Pool's `max`. */
  function atMost(pool: PgPool, max: number): PgPool {
    let out = 0;
    const waiting: (() => void)[] = [];
    return {
      query: (text: string, values?: unknown[]) => pool.query(text, values),
      async connect(): Promise<PgClient> {
        while (out >= max) await new Promise<void>((resolve) => waiting.push(resolve));
        out += 1;
        const client = await pool.connect().catch((error: unknown) => {
          out -= 1;
          waiting.shift()?.();
          throw error;
        });
        let released = false;
        return {
          ...client,
          query: (text, values) => client.query(text, values),
          on: (event, listener) => client.on(event, listener),
          removeListener: (event, listener) => client.removeListener(event, listener),
          release: (destroy) => {
            if (!released) {
              released = true;
              out -= 1;
              waiting.shift()?.();
            }
            client.release(destroy);
          },
        };
      },
    };
  }

  async function tableExists(name: string): Promise<boolean> {
    const { rows } = await db.pool.query<{ found: string | null }>(
      'SELECT to_regclass($1)::text AS found',
      [`"${db.schema}".${name}`],
    );
    return rows[0]!.found !== null;
  }

  function summaries(name: string, pool: PgPool, errors: unknown[]) {
    return createJobSummaryTable({
      store: db.store(),
      pool,
      schema: db.schema,
      name,
      onError: (e) => errors.push(e),
    });
  }

  it('landed: the rebuild resolves, and cleans up after itself (it rejected, the swap done)', async () => {
    const errors: unknown[] = [];
    const t = summaries('swap_landed', lossySwaps('landed'), errors);
    await t.migrate();
    expect(await t.rebuild()).toEqual({
      generation: 2,
      retired: 1,
      position: await db.store().headGlobalPosition(),
    });
    expect(await t.generation()).toBe(2);
    expect(await tableExists('swap_landed_g1')).toBe(false);
    expect(errors).toEqual([]);
    await t.stop();
  });

  it('landed, on a pool of two (the builder holds the other): the broken swap is given back before the question, and the rebuild resolves (it waited for a third connection for ever)', async () => {
    const errors: unknown[] = [];
    const t = summaries('swap_two', atMost(lossySwaps('landed'), 2), errors);
    await t.migrate();
    expect(await t.rebuild()).toMatchObject({ generation: 2, retired: 1 });
    expect(await t.generation()).toBe(2);
    expect(errors).toEqual([]);
    await t.stop();
  }, 20_000);

  it('rolled back: the rebuild rejects with the lost error, generation 1 still serves', async () => {
    const t = summaries('swap_rolled_back', lossySwaps('rolled back'), []);
    await t.migrate();
    await expect(t.rebuild()).rejects.toThrow(LOST);
    expect(await t.generation()).toBe(1);
    await t.stop();
  });

  it('not found out: the rebuild rejects saying so, and that generation() tells', async () => {
    const t = summaries('swap_unknown', lossySwaps('landed', true), []);
    await t.migrate();
    const error = await t.rebuild().then(
      () => undefined,
      (e: unknown) => e as Error,
    );
    expect(error?.message).toBe(
      `swap_unknown: the COMMIT of the swap to generation 2 got no reply, and whether it landed could not be found out (${LOST}); generation() tells (2 if it did: the retired table is then left to drop by hand)`,
    );
    expect((error?.cause as Error).message).toBe(LOST);
    expect(await t.generation()).toBe(2);
    await t.stop();
  });
});
