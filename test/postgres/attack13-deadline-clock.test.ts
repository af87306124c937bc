import { describe, expect, it } from 'vitest';
import type { Clock } from '../../src/live/clock.js';
import { createPostgresConsumer } from '../../src/postgres/consumer.js';
import { skipPostgres, useTestDatabase } from './database.js';

/*
 * A consumer's `handle` runs against a deadline slept on the app's clock. A `sleep` that rejects
 * (a broken clock) ended the deadline's wait early, and `within` rejected with its error while
 * the handler was still running: the batch was rolled back and reported failed, yet the
 * connection stayed open, so what the handler wrote through `tx` after that committed on its own
 * (autocommit) and the batch came again. A failing deadline is now given up as a timed-out one:
 * the connection is closed (the late writes fail) and the step fails with the clock's error.
 */

describe.skipIf(skipPostgres)(
  "attack13: a consumer's deadline on a clock whose sleep fails",
  () => {
    let seen: string;
    const db = useTestDatabase('attack13_deadline', {
      poolSize: 4,
      live: true,
      prepare: async (db) => {
        seen = `"${db.schema}".seen`;
        await db.pool.query(`CREATE TABLE ${seen} (what text NOT NULL)`);
        await db.store().appendToStream('s', [{ type: 'Counted', data: {} }], {
          expectedVersion: 'any',
        });
      },
    });

    it('the batch fails with the clock error, and nothing the handler writes after it lands', async () => {
      const broken = new Error('the clock has no timer left');
      const clock: Clock = { now: () => 0, sleep: () => Promise.reject(broken) };
      let open!: () => void;
      const gate = new Promise<void>((resolve) => {
        open = resolve;
      });
      let late: Promise<unknown> = Promise.resolve();
      const consumer = createPostgresConsumer({
        name: 'deadline-clock',
        store: db.store(),
        pool: db.pool,
        schema: db.schema,
        clock,
        handle: ({ tx }) => {
          late = (async () => {
            await tx.query(`INSERT INTO ${seen} (what) VALUES ('before')`);
            await gate;
            await tx.query(`INSERT INTO ${seen} (what) VALUES ('after')`);
          })().catch((error: unknown) => error);
          return late.then(() => undefined);
        },
      });
      try {
        const step = await consumer.step();
        expect(step).toMatchObject({ kind: 'failed', error: broken, position: 0 });
        open();
        await late;
        const { rows } = await db.pool.query<{ what: string }>(`SELECT what FROM ${seen}`);
        expect(rows).toEqual([]);
        expect(await consumer.checkpoint()).toBe(0);
      } finally {
        open();
        await consumer.stop();
      }
    });
  },
);
