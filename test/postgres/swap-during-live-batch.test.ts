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
   * The test database's pool; once `hold()` is called, the next statement that `holds` picks
   * waits, once answered, its transaction open, until `release()`: `held` resolves when it does.
   */
  function holdingPool(holds: (text: string) => boolean) {
    let armed = false;
    const holding = gate();
    const releasing = gate();
    const pool: PgPool = {
      query: (text: string, values?: unknown[]) => db.pool.query(text, values),
      async connect(): Promise<PgClient> {
        const client = await db.pool.connect();
        return clientWith(client, async (text, values) => {
          const result = await client.query(text, values);
          if (armed && holds(text)) {
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

  /** Sessions waiting for a lock on this schema's generation row `FOR UPDATE` or `FOR SHARE`. */
  async function waitingFor(mode: 'UPDATE' | 'SHARE'): Promise<number> {
    const { rows } = await db.pool.query<{ n: number }>(
      `SELECT count(*)::integer AS n FROM pg_stat_activity
        WHERE wait_event_type = 'Lock' AND query LIKE $1`,
      [`%"${db.schema}".read_model_generations%FOR ${mode}%`],
    );
    return rows[0]?.n ?? 0;
  }

  /** Resolves once one session waits for the generation row `FOR <mode>`. */
  async function oneWaiting(mode: 'UPDATE' | 'SHARE'): Promise<void> {
    await vi.waitFor(
      async () => {
        expect(await waitingFor(mode)).toBe(1);
      },
      { timeout: 10_000, interval: 20 },
    );
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

  const g1Of = (name: string): string => `"${db.schema}"."${name}_g1"`;

  const cases = [
    ['the live worker’s own table rebuilds', 'same'],
    ['another process rebuilds', 'other'],
  ] as const;

  it.each(cases)('%s: the swap waits for the batch, then serves every job once', async (_, by) => {
    const name = `rm_swap_${by}`;
    const held = holdingPool((text) => text.includes(`INSERT INTO ${g1Of(name)} `));
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
      await oneWaiting('UPDATE');
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
  it.each(cases)(
    '%s: a live batch begun while the swap holds the row waits, then steps the new generation',
    async (_, by) => {
      const name = `rm_during_${by}`;
      const held = holdingPool((text) => /^UPDATE \S+\.read_model_generations SET/.test(text));
      const liveErrors: unknown[] = [];
      const otherErrors: unknown[] = [];
      const live = summaryTable(db, name, held.pool, liveErrors, { lockRetryMs: 20 });
      const rebuilder =
        by === 'same' ? live : summaryTable(db, name, held.pool, otherErrors, { lockRetryMs: 20 });
      try {
        await live.migrate();
        await driveJobs(db, jobRange(0, 3));
        const built = await live.catchUp();

        // The swap: generation row locked and updated, not committed.
        held.hold();
        const rebuilt = rebuilder.rebuild();
        await held.held;
        await driveJobs(db, jobRange(3, 5));
        const batch = live.step();
        await oneWaiting('SHARE');

        held.release();
        expect(await rebuilt).toEqual({ generation: 2, position: built, retired: 1 });
        // Generation 1's batch rolled back; generation 2's consumer took jobs 3 and 4, or the
        // builder still held its lock a moment (standby): never failed, nothing reported.
        expect(['handled', 'standby']).toContain((await batch).kind);
        expect(await live.catchUp()).toBe(await db.store().headGlobalPosition());
        expect(await viewRows(live)).toEqual(await folded(db, 5));
        // The retired generation's row is not made again, nor its dropped table.
        expect(await checkpointRow(db, name, 1)).toBeUndefined();
        const { rows } = await db.pool.query<{ found: string | null }>(
          'SELECT to_regclass($1)::text AS found',
          [g1Of(name)],
        );
        expect(rows[0]?.found).toBeNull();
        expect(liveErrors).toEqual([]);
        expect(otherErrors).toEqual([]);
      } finally {
        held.release();
        await Promise.all([live.stop(), rebuilder.stop()]);
      }
    },
  );
});
