import { describe, expect, it, vi } from 'vitest';
import { createPostgresConsumer, type ConsumerBatch } from '../../src/postgres/consumer.js';
import { createJobSummaryTable } from '../../src/postgres/summary-table.js';
import { createFakeClock } from '../live/fake-clock.js';
import { appendCounted, skipPostgres, useTestDatabase } from './database.js';

/*
 * `catchUp()` during `stop()` ends once the stop has begun, as the loop does: it stepped on after
 * the stop (the stop waited for every step it asked, or it took the lock again once the stop had
 * released it), and a standby one slept its whole `lockRetryMs` first. It now ends after the
 * step in hand, resolving to the checkpoint as far as it got. On a fake clock: no real waits.
 */

describe.skipIf(skipPostgres)('catchUp() during stop()', () => {
  const db = useTestDatabase('catch_up_stop', {
    poolSize: 8,
    live: true,
    truncate: ['consumer_checkpoints'],
    seed: (db) => appendCounted(db, 10),
  });

  function consumer(handle: (batch: ConsumerBatch) => Promise<void>) {
    return createPostgresConsumer({
      name: 'catching-up',
      store: db.store(),
      pool: db.pool,
      schema: db.schema,
      batchSize: 1,
      lockRetryMs: 1000,
      clock: createFakeClock(),
      handle,
    });
  }

  it('a consumer: the batch in hand commits, no batch after it, and the lock is let go', async () => {
    const handled: number[] = [];
    let stopped: Promise<void> | undefined;
    const c = consumer(async ({ to }) => {
      handled.push(to);
      // The stop begins while the second batch is handled.
      if (to === 2) stopped = c.stop();
    });
    expect(await c.catchUp()).toBe(2);
    await stopped;
    expect(handled).toEqual([1, 2]);
    expect(await c.checkpoint()).toBe(2);
    expect(c.status().leader).toBe(false);
    // A catchUp() asked after the stop is a new one: it runs to the head.
    expect(await c.catchUp()).toBe(10);
    await c.stop();
  });

  it('a standby consumer: its wait for the lock ends with the stop, and it steps no more', async () => {
    const holder = consumer(async () => undefined);
    expect((await holder.step()).kind).toBe('handled');
    const clock = createFakeClock();
    const waiting = createPostgresConsumer({
      name: 'catching-up',
      store: db.store(),
      pool: db.pool,
      schema: db.schema,
      lockRetryMs: 1000,
      clock,
      handle: async () => undefined,
    });
    const caught = waiting.catchUp();
    // Standby: it sleeps lockRetryMs on the fake clock, which never moves here.
    await vi.waitFor(() => {
      expect(clock.sleepers).toHaveLength(1);
    });
    await waiting.stop();
    // Never read the checkpoint (it never held the lock): -1, as status() says.
    expect(await caught).toBe(-1);
    expect(clock.slept).toEqual([1000]);
    expect(waiting.status().leader).toBe(false);
    await holder.stop();
  });

  it('a summary table: its catchUp() ends with its stop()', async () => {
    const clock = createFakeClock();
    const t = createJobSummaryTable({
      store: db.store(),
      pool: db.pool,
      schema: db.schema,
      name: 'caught_up',
      batchSize: 1,
      clock,
    });
    await t.migrate();
    const caught = t.catchUp();
    const stopped = t.stop();
    const position = await caught;
    await stopped;
    // It ended after the step in hand: one batch at most of the ten.
    expect(position).toBeLessThanOrEqual(1);
    const { rows } = await db.pool.query<{ position: string }>(
      `SELECT position FROM "${db.schema}".consumer_checkpoints WHERE name = $1`,
      ['read-model:caught_up:g1'],
    );
    expect(Number(rows[0]?.position ?? 0)).toBe(position < 0 ? 0 : position);
  });
});
