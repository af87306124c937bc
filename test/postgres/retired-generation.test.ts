import { describe, expect, it } from 'vitest';
import type { JobSummaryTable } from '../../src/postgres/summary-table.js';
import { driveJobs, jobRange, skipPostgres, useTestDatabase } from './database.js';
import { checkpointRow, summaryTable } from './summary-setup.js';

/*
 * A summary table's live worker in another process (B) that steps the generation a rebuild (in
 * process A) retired right after it: B read the serving generation, then A swapped, dropped the
 * old table and deleted its checkpoint row, then B stepped the old generation's consumer. That
 * made the deleted row again and failed once on the dropped table (reported to onError); with
 * `keepRetired` it went on filling the retired table. B now sees, in its step, that its
 * generation is retired, and steps the serving one instead: no row made, no error.
 */

describe.skipIf(skipPostgres)('a live worker stepping a generation retired under it', () => {
  const db = useTestDatabase('retired_generation', { poolSize: 12, truncate: true });

  /** B's pool: once armed, `race` runs right after B's next look at the serving generation. */
  function racingPool(race: () => Promise<void>) {
    let armed = false;
    return {
      arm() {
        armed = true;
      },
      async query(text: string, values?: unknown[]) {
        const result = await db.pool.query(text, values);
        if (armed && /^SELECT generation FROM .* WHERE name = \$1$/.test(text)) {
          armed = false;
          await race();
        }
        return result;
      },
      connect: () => db.pool.connect(),
    };
  }

  async function viewRows(t: JobSummaryTable): Promise<string[]> {
    const { rows } = await db.pool.query<{ job_id: string }>(
      `SELECT job_id FROM ${t.view} ORDER BY job_id`,
    );
    return rows.map((r) => r.job_id);
  }

  const cases = [
    ['B held the retired generation’s lock (it had stepped it)', 'leader', false],
    ['B’s first step (it takes the retired generation’s lock then)', 'first', false],
    ['keepRetired: the retired table and row stay, B does not fill them', 'leader', true],
  ] as const;

  it.each(cases)('%s', async (_, before, keepRetired) => {
    const name = `rm_${before}_${String(keepRetired)}`;
    const aErrors: unknown[] = [];
    const bErrors: unknown[] = [];
    const a = summaryTable(db, name, db.pool, aErrors);
    await a.migrate();
    await driveJobs(db, jobRange(0, 4));
    const pool = racingPool(async () => {
      expect(await a.rebuild({ keepRetired })).toMatchObject({ generation: 2, retired: 1 });
      // Events after the swap: what B's next step has to handle, in the serving generation.
      await driveJobs(db, jobRange(4, 6));
    });
    const b = summaryTable(db, name, pool, bErrors);
    try {
      if (before === 'leader') expect((await b.step()).kind).toBe('handled');
      const g1 = await checkpointRow(db, name, 1);
      pool.arm();
      const step = await b.step();
      expect(bErrors).toEqual([]);
      expect(aErrors).toEqual([]);
      // B went on in the serving generation: the events after the swap are handled there.
      expect(step.kind).toBe('handled');
      expect(await b.generation()).toBe(2);
      // The retired generation's row was not made again (or, kept, not moved).
      expect(await checkpointRow(db, name, 1)).toBe(keepRetired ? g1 : undefined);
      expect(await b.catchUp()).toBe(await db.store().headGlobalPosition());
      expect(await viewRows(b)).toHaveLength(6);
      expect(bErrors).toEqual([]);
    } finally {
      await Promise.all([a.stop(), b.stop()]);
    }
  });
});
