import { describe, expect, it } from 'vitest';
import {
  createPostgresConsumer,
  type ConsumerBatch,
  type ConsumerStep,
  type PgClient,
  type PgPool,
  type PostgresConsumer,
} from '../../src/postgres/consumer.js';
import { appendCounted, skipPostgres, stoppedAfterEach, useTestDatabase } from './database.js';

/*
 * Attacks on the question a consumer asks when its batch's COMMIT throws (commit-outcome.ts):
 *
 * - A pool of one connection (or every connection checked out, as when a database restart drops
 *   every consumer's at once): the question asked the pool for a second connection while the step
 *   still held its own, broken one, so it could not be asked (a pg.Pool with
 *   `connectionTimeoutMillis` said so: `unknown`; one without waited for ever, and the step and
 *   `stop()` with it). A COMMIT the server refused on a healthy connection (a deferred constraint)
 *   was asked about on a second connection too, though its own still answers.
 * - A lost COMMIT whose consumer another process took over at once (its standby): the question
 *   waited for the checkpoint row, which the new holder keeps locked through its batch, so it gave
 *   up after 2 s (`unknown`) though the transaction had long ended and `pg_xact_status` could say.
 *
 * The pool here is the consumer's own; the store reads through the test's pool.
 */

const LOST = 'Connection terminated unexpectedly';

describe.skipIf(skipPostgres)("attack13: the lost COMMIT's question", () => {
  let seen: string;
  const db = useTestDatabase('attack13_outcome', {
    poolSize: 8,
    live: true,
    prepare: async (db) => {
      seen = `"${db.schema}".seen`;
      // Deferred: a duplicate is refused at COMMIT, on a connection that goes on answering.
      await db.pool.query(
        `CREATE TABLE ${seen} (position bigint NOT NULL, CONSTRAINT seen_once UNIQUE (position) DEFERRABLE INITIALLY DEFERRED)`,
      );
    },
    truncate: ['seen', 'consumer_checkpoints'],
    seed: (db) => appendCounted(db, 10, (i) => `s-${String(i % 3)}`),
  });
  // Stopped even when a test fails: one left holding the name's lock made the next standby.
  const opened = stoppedAfterEach<PostgresConsumer>();

  /**
   * A pool of `size` connections that refuses a `connect()` while all are checked out, as a
   * pg.Pool with `connectionTimeoutMillis` does once it has waited (one without waits for ever).
   * Once `armed`, its next COMMIT commits and then loses its connection (`onLost` runs between).
   */
  function lossyPool(size: number, onLost: () => Promise<void> = () => Promise.resolve()) {
    let out = 0;
    const wrapper = {
      armed: false,
      query: (text: string, values?: unknown[]) => db.pool.query(text, values),
      async connect(): Promise<PgClient> {
        if (out >= size)
          throw new Error(
            `timeout exceeded when trying to connect (${String(out)} of ${String(size)} checked out)`,
          );
        out += 1;
        const client = await db.pool.connect();
        const { rows } = await client.query<{ pid: number }>('SELECT pg_backend_pid() AS pid');
        const pid = rows[0]!.pid;
        let released = false;
        return {
          release: (destroy) => {
            if (!released) out -= 1;
            released = true;
            client.release(destroy);
          },
          on: (event, listener) => client.on(event, listener),
          removeListener: (event, listener) => client.removeListener(event, listener),
          async query(text, values) {
            if (wrapper.armed && text === 'COMMIT') {
              wrapper.armed = false;
              await client.query('COMMIT');
              await db.pool.query('SELECT pg_terminate_backend($1)', [pid]);
              await onLost();
              throw new Error(LOST);
            }
            return client.query(text, values);
          },
        };
      },
    } satisfies PgPool & Record<string, unknown>;
    return wrapper;
  }

  function consumerOn(
    pool: PgPool,
    calls: number[][],
    handle?: (batch: ConsumerBatch) => Promise<void>,
  ): { consumer: PostgresConsumer; errors: unknown[]; batches: ConsumerStep[] } {
    const errors: unknown[] = [];
    const batches: ConsumerStep[] = [];
    const consumer = createPostgresConsumer({
      name: 'attacked',
      store: db.store(),
      pool,
      schema: db.schema,
      batchSize: 4,
      handle:
        handle ??
        (async ({ events, tx }) => {
          calls.push(events.map((e) => e.metadata.globalPosition));
          for (const e of events)
            await tx.query(`INSERT INTO ${seen} (position) VALUES ($1)`, [
              e.metadata.globalPosition,
            ]);
        }),
      onError: (error: unknown) => errors.push(error),
      onBatch: (step) => batches.push(step),
    });
    opened.push(consumer);
    return { consumer, errors, batches };
  }

  it('a pool of one connection: the lost COMMIT that landed is found out (handled), not unknown', async () => {
    const pool = lossyPool(1);
    const calls: number[][] = [];
    const { consumer, errors, batches } = consumerOn(pool, calls);
    pool.armed = true;
    const step = await consumer.step();
    expect(step).toEqual({ kind: 'handled', events: 4, position: 4 });
    expect(errors).toEqual([]);
    expect(batches).toEqual([step]);
    expect(await consumer.catchUp()).toBe(10);
    expect(calls).toEqual([
      [1, 2, 3, 4],
      [5, 6, 7, 8],
      [9, 10],
    ]);
    await consumer.stop();
  });

  it('a COMMIT the server refuses on a healthy connection (a deferred constraint), pool of one: failed with its error, the checkpoint kept', async () => {
    await db.pool.query(`INSERT INTO ${seen} (position) VALUES (3)`);
    const pool = lossyPool(1);
    const calls: number[][] = [];
    const { consumer, errors } = consumerOn(pool, calls);
    const step = await consumer.step();
    expect(step).toMatchObject({ kind: 'failed', position: 0 });
    const error = (step as { error: { code?: unknown; constraint?: unknown } }).error;
    // 23505: unique_violation, raised by the COMMIT itself (the constraint is deferred).
    expect(error).toMatchObject({ code: '23505', constraint: 'seen_once' });
    expect(errors).toEqual([error]);
    expect(consumer.status()).toMatchObject({ failures: 1, leader: true });
    expect(await consumer.checkpoint()).toBe(0);
    expect(calls).toEqual([[1, 2, 3, 4]]);
    await consumer.stop();
  });

  it('a lost COMMIT whose consumer a standby took over at once (it holds the checkpoint row): found out at once, handled', async () => {
    const calls: number[][] = [];
    let entered!: () => void;
    const inHandle = new Promise<void>((resolve) => {
      entered = resolve;
    });
    let open!: () => void;
    const gate = new Promise<void>((resolve) => {
      open = resolve;
    });
    // The standby: same name, the test's pool; its batch holds the row until the gate opens.
    const standby = consumerOn(db.pool, [], async ({ events }) => {
      calls.push(events.map((e) => e.metadata.globalPosition));
      entered();
      await gate;
    });
    let standbyStep: Promise<ConsumerStep> | undefined;
    const pool = lossyPool(4, async () => {
      // The lost connection's session ends (its advisory lock with it); the standby takes over.
      for (;;) {
        const next = standby.consumer.step();
        const first = await Promise.race([next, inHandle.then(() => 'entered' as const)]);
        if (first === 'entered') {
          standbyStep = next;
          return;
        }
        expect(first).toEqual({ kind: 'standby' });
      }
    });
    const { consumer, errors, batches } = consumerOn(pool, calls);
    pool.armed = true;
    try {
      const step = await consumer.step();
      expect(step).toEqual({ kind: 'handled', events: 4, position: 4 });
      expect(errors).toEqual([]);
      expect(batches).toEqual([step]);
      // The standby had started after the landed batch.
      expect(calls).toEqual([
        [1, 2, 3, 4],
        [5, 6, 7, 8],
      ]);
    } finally {
      open();
      await standbyStep;
      await standby.consumer.stop();
      await consumer.stop();
    }
    expect(await consumer.checkpoint()).toBe(8);
  });
});
