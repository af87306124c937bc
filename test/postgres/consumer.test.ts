import { describe, expect, it, vi } from 'vitest';
import {
  createPostgresConsumer,
  type ConsumerBatch,
  type PgClient,
  type PgPool,
  type PostgresConsumerOptions,
} from '../../src/postgres/consumer.js';
import type { EventToAppend } from '../../src/store/port.js';
import { createFakeClock } from '../live/fake-clock.js';
import { clientWith, skipPostgres, useTestDatabase } from './database.js';

/*
 * Durable consumers on a real PostgreSQL: the checkpoint moves only with a committed batch, a
 * crash at any point of a batch makes the batch come again (and a handler's writes in the
 * transaction happen once), one process of a name at a time, a throwing handler backs off.
 * A "crash" here is what PostgreSQL sees of a SIGKILLed process: its connection ends mid-batch
 * (pg_terminate_backend), and a new consumer object (the restarted process) takes over.
 */

const ev = (n: number): EventToAppend => ({ type: 'Counted', data: { n } });

describe.skipIf(skipPostgres)('PostgreSQL durable consumers', () => {
  let seen: string;
  const db = useTestDatabase('consumer', {
    poolSize: 12,
    live: true,
    prepare: async (db) => {
      seen = `"${db.schema}".seen`;
      await db.pool.query(`CREATE TABLE ${seen} (position bigint PRIMARY KEY, consumer text)`);
    },
    truncate: ['seen', 'consumer_checkpoints'],
  });

  async function appendMany(count: number, streams = 3): Promise<void> {
    const store = db.store();
    for (let i = 0; i < count; i++) {
      await store.appendToStream(`s-${String(i % streams)}`, [ev(i)], { expectedVersion: 'any' });
    }
  }

  /** A handler that records each position in the batch's transaction (a read model's write). */
  const recordSeen = async ({ events, tx, consumer }: ConsumerBatch): Promise<void> => {
    for (const e of events) {
      await tx.query(`INSERT INTO ${seen} (position, consumer) VALUES ($1, $2)`, [
        e.metadata.globalPosition,
        consumer,
      ]);
    }
  };

  function consumer(overrides: Partial<PostgresConsumerOptions> = {}) {
    return createPostgresConsumer({
      name: 'test',
      store: db.store({ batchSize: 7 }),
      pool: db.pool,
      schema: db.schema,
      handle: recordSeen,
      batchSize: 5,
      ...overrides,
    });
  }

  async function seenPositions(): Promise<number[]> {
    const { rows } = await db.pool.query<{ position: string }>(
      `SELECT position FROM ${seen} ORDER BY position`,
    );
    return rows.map((r) => Number(r.position));
  }

  /** Cuts the connection holding a consumer's advisory lock (what PostgreSQL sees of a SIGKILL). */
  async function terminateLockHolder(key: string): Promise<number> {
    const { rows } = await db.pool.query<{ pid: number }>(
      `SELECT pid FROM pg_locks
        WHERE locktype = 'advisory' AND granted AND objsubid = 1
          AND database = (SELECT oid FROM pg_database WHERE datname = current_database())
          AND ((classid::bigint << 32) | objid::bigint) = hashtextextended($1, 0)`,
      [key],
    );
    for (const { pid } of rows) await db.pool.query('SELECT pg_terminate_backend($1)', [pid]);
    return rows.length;
  }

  const range = (n: number): number[] => Array.from({ length: n }, (_, i) => i + 1);

  it('reads the global order in batches from its checkpoint, and resumes there after a restart', async () => {
    await appendMany(12);
    const first = consumer();
    expect(await first.step()).toEqual({ kind: 'handled', events: 5, position: 5 });
    expect(await first.checkpoint()).toBe(5);
    expect(await first.lag()).toBe(7);
    await first.stop();
    const second = consumer();
    expect(await second.catchUp()).toBe(12);
    expect(await seenPositions()).toEqual(range(12));
    expect(await second.step()).toEqual({ kind: 'idle', position: 12 });
    expect(await second.lag()).toBe(0);
    await second.stop();
  });

  /**
   * A pool whose consumer connection is cut (as by a SIGKILL of the process) just before the query
   * `when` matches: the batch dies there, the transaction with it.
   */
  function crashingPool(when: RegExp): PgPool & { crashed: boolean } {
    const wrapper = {
      crashed: false,
      query: (text: string, values?: unknown[]) => db.pool.query(text, values),
      async connect(): Promise<PgClient> {
        const client = await db.pool.connect();
        const { rows } = await client.query<{ pid: number }>('SELECT pg_backend_pid() AS pid');
        const pid = rows[0]!.pid;
        return clientWith(client, async (text, values) => {
          if (!wrapper.crashed && when.test(text)) {
            wrapper.crashed = true;
            await db.pool.query('SELECT pg_terminate_backend($1)', [pid]);
          }
          return client.query(text, values);
        });
      },
    };
    return wrapper;
  }

  const crashPoints: [string, RegExp | 'inside'][] = [
    ['before the handler (the transaction just opened)', /FOR UPDATE/],
    ['inside the handler (after some of its writes)', 'inside'],
    ['after the handler, before the checkpoint moved', /UPDATE .*consumer_checkpoints SET/],
    ['just before the commit', /^COMMIT$/],
  ];
  for (const [point, when] of crashPoints) {
    it(`a crash ${point}: the checkpoint stays, the restarted consumer handles the batch again, every write once`, async () => {
      await appendMany(12);
      const calls: number[][] = [];
      let pool: PgPool & { crashed: boolean };
      let handle: typeof recordSeen;
      if (when === 'inside') {
        pool = crashingPool(/^$/);
        handle = async (batch) => {
          calls.push(batch.events.map((e) => e.metadata.globalPosition));
          await recordSeen({ ...batch, events: batch.events.slice(0, 2) });
          if (batch.after === 5 && !pool.crashed) {
            pool.crashed = true;
            const { rows } = await batch.tx.query('SELECT pg_backend_pid() AS pid');
            await db.pool.query('SELECT pg_terminate_backend($1)', [
              (rows[0] as { pid: number }).pid,
            ]);
          }
          await recordSeen({ ...batch, events: batch.events.slice(2) });
        };
      } else {
        pool = crashingPool(when);
        handle = async (batch) => {
          calls.push(batch.events.map((e) => e.metadata.globalPosition));
          await recordSeen(batch);
        };
      }
      const reports: unknown[] = [];
      const dying = consumer({
        pool,
        handle,
        onError: (error) => reports.push(error),
      });
      // The first batch (1..5) commits; the crash hits the second, wherever `when` says.
      if (when === 'inside') expect((await dying.step()).kind).toBe('handled');
      else {
        pool.crashed = true;
        expect((await dying.step()).kind).toBe('handled');
        pool.crashed = false;
      }
      const crashed = await dying.step();
      expect(crashed.kind).toBe('failed');
      expect(reports).toHaveLength(1);
      expect(await dying.checkpoint()).toBe(5);
      // The dead process's lock went with its connection: a new process takes over at once.
      const restarted = consumer({ handle });
      expect(await restarted.catchUp()).toBe(12);
      await restarted.stop();
      await dying.stop();
      expect(await seenPositions()).toEqual(range(12));
      // The batch the crash interrupted is handed over again, whole (once more if the handler had it).
      const before = point === crashPoints[0]![0];
      expect(calls.filter((c) => c[0] === 6)).toEqual(
        before
          ? [[6, 7, 8, 9, 10]]
          : [
              [6, 7, 8, 9, 10],
              [6, 7, 8, 9, 10],
            ],
      );
    });
  }

  it('two consumers of one name: one holds the lock and works, the other stands by, then takes over when the first stops', async () => {
    await appendMany(10);
    const a = consumer({ name: 'shared', batchSize: 4 });
    const b = consumer({ name: 'shared', batchSize: 4 });
    expect((await a.step()).kind).toBe('handled');
    expect(await b.step()).toEqual({ kind: 'standby' });
    expect(b.status().leader).toBe(false);
    expect((await a.step()).kind).toBe('handled');
    await a.stop();
    expect(await b.catchUp()).toBe(10);
    await b.stop();
    expect(await seenPositions()).toEqual(range(10));
  });

  it('two consumers of one name racing in loops never handle a batch twice', async () => {
    await appendMany(40, 5);
    const batches: number[][] = [];
    const handle = async (batch: ConsumerBatch): Promise<void> => {
      batches.push(batch.events.map((e) => e.metadata.globalPosition));
      await recordSeen(batch);
    };
    const a = consumer({ name: 'race', handle, batchSize: 3, pollMs: 5, lockRetryMs: 5 });
    const b = consumer({ name: 'race', handle, batchSize: 3, pollMs: 5, lockRetryMs: 5 });
    const loops = [a.start(), b.start()];
    await vi.waitFor(async () => {
      expect(await a.checkpoint()).toBe(40);
    });
    // Kill the leader's connection: the other one takes over and carries on.
    const leader = a.status().leader ? a : b;
    expect(await terminateLockHolder(`milestone-escrow:consumer:${db.schema}:race`)).toBe(1);
    await appendMany(20, 5);
    await vi.waitFor(async () => {
      expect(await leader.checkpoint()).toBe(60);
    });
    await Promise.all([a.stop(), b.stop()]);
    await Promise.all(loops);
    expect(await seenPositions()).toEqual(range(60));
    expect(batches.flat()).toEqual(range(60));
  });

  it('a handler that throws: the checkpoint stays, the error is reported, the loop backs off on the clock, then goes on', async () => {
    await appendMany(6);
    const clock = createFakeClock();
    let failuresLeft = 3;
    const errors: unknown[] = [];
    const c = consumer({
      clock,
      backoff: (n) => 1000 * n,
      pollMs: 50,
      handle: async (batch) => {
        if (failuresLeft > 0) {
          failuresLeft -= 1;
          throw new Error('mail server down');
        }
        await recordSeen(batch);
      },
      onError: (error, status) => errors.push([(error as Error).message, status.failures]),
    });
    const loop = c.start();
    await vi.waitFor(() => {
      expect(clock.sleepers).toHaveLength(1);
    });
    expect(errors).toEqual([['mail server down', 1]]);
    expect(c.status()).toMatchObject({ failures: 1, position: 0 });
    expect(await c.checkpoint()).toBe(0);
    clock.advance(1000);
    await vi.waitFor(() => {
      expect(errors).toHaveLength(2);
      expect(clock.sleepers).toHaveLength(1);
    });
    clock.advance(2000);
    await vi.waitFor(() => {
      expect(errors).toHaveLength(3);
      expect(clock.sleepers).toHaveLength(1);
    });
    expect(await c.checkpoint()).toBe(0);
    clock.advance(3000);
    await vi.waitFor(async () => {
      expect(await c.checkpoint()).toBe(6);
    });
    // Each handle's deadline (handleTimeoutMs, 60 s) is a sleep on the clock too.
    expect(clock.slept.filter((ms) => ms !== 60_000).slice(0, 3)).toEqual([1000, 2000, 3000]);
    await c.stop();
    await loop;
    expect(c.status()).toMatchObject({ running: false, leader: false, failures: 0 });
    expect(await seenPositions()).toEqual(range(6));
  });

  it('an onBatch that throws: the batch stays handled, its error goes to onError, the loop goes on', async () => {
    await appendMany(8);
    const errors: string[] = [];
    const c = consumer({
      onBatch: () => {
        throw new Error('metrics down');
      },
      onError: (error) => errors.push((error as Error).message),
    });
    try {
      // Committed, so handled: the observer's error was the step's (a batch written, reported failed).
      expect(await c.step()).toMatchObject({ kind: 'handled', position: 5 });
      expect(c.status()).toMatchObject({ failures: 0, position: 5 });
      expect(errors).toEqual(['metrics down']);
      expect(await c.catchUp()).toBe(8);
    } finally {
      await c.stop();
    }
    expect(await seenPositions()).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
  });

  it('an onError that throws: the failed batch is still a failed step, and the next one goes on', async () => {
    await appendMany(3);
    let calls = 0;
    const c = consumer({
      handle: async (batch) => {
        calls += 1;
        if (calls === 1) throw new Error('handler down');
        await recordSeen(batch);
      },
      onError: () => {
        throw new Error('logger down');
      },
    });
    try {
      expect(await c.step()).toMatchObject({ kind: 'failed', position: 0 });
      expect(c.status()).toMatchObject({ failures: 1, position: 0 });
      expect(await c.step()).toMatchObject({ kind: 'handled', position: 3 });
    } finally {
      await c.stop();
    }
    expect(await seenPositions()).toEqual([1, 2, 3]);
  });

  it('stops gracefully: the batch in hand commits, then the lock is free for another process', async () => {
    await appendMany(8);
    let release: () => void = () => undefined;
    const gate = new Promise<void>((resolve) => {
      release = resolve;
    });
    let entered = false;
    const c = consumer({
      batchSize: 8,
      handle: async (batch) => {
        entered = true;
        await gate;
        await recordSeen(batch);
      },
    });
    const loop = c.start();
    await vi.waitFor(() => {
      expect(entered).toBe(true);
    });
    const stopped = c.stop();
    release();
    await stopped;
    await loop;
    expect(await c.checkpoint()).toBe(8);
    const other = consumer();
    expect(await other.step()).toEqual({ kind: 'idle', position: 8 });
    await other.stop();
  });

  it('memory stays bounded: a batch never holds more than batchSize events', async () => {
    await appendMany(30);
    const sizes: number[] = [];
    const c = consumer({
      batchSize: 4,
      handle: async (batch) => {
        sizes.push(batch.events.length);
        await recordSeen(batch);
      },
    });
    await c.catchUp();
    await c.stop();
    expect(Math.max(...sizes)).toBe(4);
    expect(sizes.reduce((a, b) => a + b, 0)).toBe(30);
  });
});
