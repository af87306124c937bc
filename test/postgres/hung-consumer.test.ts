import { beforeEach, describe, expect, it, vi } from 'vitest';
import {
  createPostgresConsumer,
  type ConsumerBatch,
  type PostgresConsumerOptions,
} from '../../src/postgres/consumer.js';
import { createFakeClock, settledOnClock, type FakeClock } from '../live/fake-clock.js';
import { gate, never } from '../live/promises.js';
import { skipPostgres, stoppedAfterEach, useTestDatabase } from './database.js';

/*
 * A durable consumer whose `handle` never settles (hung-steps.test.ts holds the dispatcher's
 * sends): past `handleTimeoutMs`, on the injected clock, the batch is given up as a failure and
 * rolled back, its late writes go nowhere, and `stop()` returns and frees the lock.
 */

describe.skipIf(skipPostgres)('PostgreSQL live runners whose app function hangs: consumers', () => {
  let seen: string;
  const db = useTestDatabase('hung_consumer', {
    poolSize: 6,
    live: true,
    prepare: async (db) => {
      seen = `"${db.schema}".seen`;
      await db.pool.query(`CREATE TABLE ${seen} (position bigint PRIMARY KEY)`);
    },
    truncate: ['seen', 'consumer_checkpoints'],
  });
  let clock: FakeClock;
  const stops = stoppedAfterEach();
  beforeEach(() => {
    clock = createFakeClock();
  });

  describe('a durable consumer', () => {
    async function appendMany(count: number): Promise<void> {
      const store = db.store();
      for (let n = 0; n < count; n++)
        await store.appendToStream('s-0', [{ type: 'Counted', data: { n } }], {
          expectedVersion: 'any',
        });
    }

    async function record({ events, tx }: ConsumerBatch): Promise<void> {
      for (const e of events)
        await tx.query(`INSERT INTO ${seen} (position) VALUES ($1)`, [e.metadata.globalPosition]);
    }

    async function seenPositions(): Promise<number[]> {
      const { rows } = await db.pool.query<{ position: string }>(
        `SELECT position FROM ${seen} ORDER BY position`,
      );
      return rows.map((r) => Number(r.position));
    }

    function consumer(overrides: Partial<PostgresConsumerOptions> = {}) {
      const c = createPostgresConsumer({
        name: 'hung',
        store: db.store(),
        pool: db.pool,
        schema: db.schema,
        clock,
        handle: record,
        handleTimeoutMs: 5000,
        lockRetryMs: 20,
        ...overrides,
      });
      stops.push(c);
      return c;
    }

    it('gives up a handle that never settles at handleTimeoutMs: the batch rolls back (its writes too) and comes again; its late writes go nowhere', async () => {
      await appendMany(3);
      const late = gate();
      let calls = 0;
      const errors: unknown[] = [];
      const c = consumer({
        handle: async (batch) => {
          calls += 1;
          if (calls > 1) return record(batch);
          // Writes one row in the batch's transaction, then hangs (a webhook that never answers).
          await record({ ...batch, events: batch.events.slice(0, 1) });
          await late.promise;
          await record({ ...batch, events: batch.events.slice(1) });
        },
        onError: (error) => errors.push(error),
      });
      const t0 = clock.now();
      const stepping = c.step();
      await vi.waitFor(() => {
        expect(calls).toBe(1);
        expect(clock.sleepers).toContain(t0 + 5000);
      });
      clock.advance(5000);
      const failed = await stepping;
      expect(failed).toMatchObject({ kind: 'failed', position: 0 });
      expect((failed as { error: unknown }).error).toMatchObject({ name: 'TimeoutError' });
      expect(errors).toHaveLength(1);
      expect(c.status()).toMatchObject({ failures: 1, leader: false });
      expect(await c.checkpoint()).toBe(0);
      expect(await seenPositions()).toEqual([]);
      // The hung handle wakes up after it was given up: its writes fail on a closed connection.
      late.open();
      // The closed connection's session, and the advisory lock with it, ends on the server a
      // moment later: until then a step stands by (seen under load, truth11).
      await vi.waitFor(
        async () => {
          expect(await c.step()).toEqual({ kind: 'handled', events: 3, position: 3 });
        },
        { timeout: 5000 },
      );
      expect(await seenPositions()).toEqual([1, 2, 3]);
    });

    it('stop() while handle hangs returns once handleTimeoutMs passes, and frees the lock for another process', async () => {
      await appendMany(3);
      let entered = false;
      const c = consumer({
        handle: () => {
          entered = true;
          return never();
        },
      });
      const t0 = clock.now();
      const run = c.start();
      await vi.waitFor(() => {
        expect(entered).toBe(true);
        expect(clock.sleepers).toContain(t0 + 5000);
      });
      let stopped = false;
      const stopping = c.stop().then(() => {
        stopped = true;
      });
      await new Promise((resolve) => setImmediate(resolve));
      expect(stopped).toBe(false);
      clock.advance(5000);
      await stopping;
      await run;
      expect(c.status()).toMatchObject({ running: false, leader: false, position: 0 });
      // The server drops the closed connection's lock when it notices: until then the other
      // process's catch-up retries every lockRetryMs on the fake clock, which must move.
      const other = consumer();
      expect(await settledOnClock(other.catchUp(), clock, 20)).toBe(3);
      expect(await seenPositions()).toEqual([1, 2, 3]);
    });
  });
});
