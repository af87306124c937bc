import { describe, expect, it, vi } from 'vitest';
import type { PgClient, PgPool } from '../../src/postgres/consumer-lock.js';
import type { JobSummaryTable } from '../../src/postgres/summary-table.js';
import { gate } from '../live/promises.js';
import { clientWith, driveJobs, jobRange, skipPostgres, useTestDatabase } from './database.js';
import { checkpointRow, folded, summaryTable } from './summary-setup.js';

/*
 * A rebuild's swap while a batch of the live worker holds the generation row (docs/live.md,
 * "Blue/green rebuild"): the batch read the row `FOR SHARE` and wrote its rows; it is held open
 * there, before its COMMIT, until the test sees the swap waiting for the row's lock. The swap
 * waits (it neither fails nor goes first), the batch commits and is reported handled, and the
 * swap then catches up and points the view at the new generation: every job there once, equal to
 * a fresh fold of its stream, and the live worker carries on at the new generation.
 */

describe.skipIf(skipPostgres)('a swap while a live batch holds the generation row', () => {
  const db = useTestDatabase('swap_live_batch', { poolSize: 8, truncate: true });

  /**
   * The test database's pool; once `hold()` is called, the next statement that writes `table`
   * waits, its transaction open, until `release()`: `held` resolves when it does.
   */
  function holdingPool(table: string) {
    let armed = false;
    const holding = gate();
    const releasing = gate();
    const pool: PgPool = {
      query: (text: string, values?: unknown[]) => db.pool.query(text, values),
      async connect(): Promise<PgClient> {
        const client = await db.pool.connect();
        return clientWith(client, async (text, values) => {
          const result = await client.query(text, values);
          if (armed && text.includes(`INSERT INTO ${table} `)) {
            armed = false;
            holding.open();
            await releasing.promise;
          }
          return result;
        });
      },
    };
    return {
      pool,
      hold() {
        armed = true;
      },
      held: holding.promise,
      release: releasing.open,
    };
  }

  /** Sessions of this schema waiting for a row lock on the generation row (`FOR UPDATE`). */
  async function swapsWaiting(): Promise<number> {
    const { rows } = await db.pool.query<{ n: number }>(
      `SELECT count(*)::integer AS n FROM pg_stat_activity
        WHERE wait_event_type = 'Lock' AND query LIKE $1`,
      [`%"${db.schema}".read_model_generations%FOR UPDATE%`],
    );
    return rows[0]?.n ?? 0;
  }

  /** The view's rows by job id; a job listed twice would fail here. */
  async function viewRows(t: JobSummaryTable): Promise<Map<string, unknown>> {
    const { rows } = await db.pool.query<{ job_id: string; summary: unknown }>(
      `SELECT job_id, summary FROM ${t.view} ORDER BY job_id`,
    );
    const out = new Map(rows.map((r) => [r.job_id, r.summary]));
    expect(out.size).toBe(rows.length);
    return out;
  }

  const cases = [
    ['the live worker’s own table rebuilds', 'same'],
    ['another process rebuilds', 'other'],
  ] as const;

  it.each(cases)('%s: the swap waits for the batch, then serves every job once', async (_, by) => {
    const name = `rm_swap_${by}`;
    const held = holdingPool(`"${db.schema}"."${name}_g1"`);
    const liveErrors: unknown[] = [];
    const otherErrors: unknown[] = [];
    const live = summaryTable(db, name, held.pool, liveErrors, { lockRetryMs: 20 });
    const rebuilder =
      by === 'same' ? live : summaryTable(db, name, db.pool, otherErrors, { lockRetryMs: 20 });
    try {
      await live.migrate();
      await driveJobs(db, jobRange(0, 3));
      await live.catchUp();
      await driveJobs(db, jobRange(3, 5));

      // The live batch of jobs 3 and 4: written, holding the generation row, not committed.
      held.hold();
      const batch = live.step();
      await held.held;
      let settled = false;
      const rebuilt = rebuilder.rebuild();
      const settle = (): void => {
        settled = true;
      };
      rebuilt.then(settle, settle);
      await vi.waitFor(
        async () => {
          expect(await swapsWaiting()).toBe(1);
        },
        { timeout: 10_000, interval: 20 },
      );
      // Appended while the swap waits: its last catch-up, once it has the row, takes it in.
      await driveJobs(db, jobRange(5, 6));
      expect(settled).toBe(false);
      expect(await live.generation()).toBe(1);

      held.release();
      // Written before the swap, so reported as written: not failed, not rolled back.
      expect(await batch).toMatchObject({ kind: 'handled' });
      const head = await db.store().headGlobalPosition();
      expect(await rebuilt).toEqual({ generation: 2, position: head, retired: 1 });
      expect(await viewRows(live)).toEqual(await folded(db, 6));

      // The live worker carries on at generation 2: from the swap's position, not from 0.
      expect(await live.step()).toMatchObject({ kind: 'idle', position: head });
      await driveJobs(db, jobRange(6, 8));
      expect(await live.catchUp()).toBe(await db.store().headGlobalPosition());
      expect(await checkpointRow(db, name, 2)).toBe(await db.store().headGlobalPosition());
      expect(await checkpointRow(db, name, 1)).toBeUndefined();
      expect(await viewRows(live)).toEqual(await folded(db, 8));
      expect(liveErrors).toEqual([]);
      expect(otherErrors).toEqual([]);
    } finally {
      held.release();
      await Promise.all([live.stop(), rebuilder.stop()]);
    }
  });
});
