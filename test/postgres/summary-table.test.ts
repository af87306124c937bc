import { describe, expect, it } from 'vitest';
import { fold } from '../../src/domain/decider.js';
import type { JobEvent } from '../../src/domain/events.js';
import { createJobSummaryTable, type JobSummaryTable } from '../../src/postgres/summary-table.js';
import { summarize } from '../../src/projections/summary.js';
import { currentUpcasters } from '../../src/upcasting/upcasters.js';
import {
  driveJobs,
  jobRange,
  skipPostgres,
  stoppedAfterEach,
  useTestDatabase,
} from './database.js';
import { folded } from './summary-setup.js';

/*
 * The job summary as a PostgreSQL read model: rows equal a fresh fold of each stream, queryable by
 * status, written exactly once with the checkpoint; and a blue/green rebuild that fills a fresh
 * table while the old one keeps serving, then swaps.
 */

describe.skipIf(skipPostgres)('PostgreSQL job summary read model', () => {
  const db = useTestDatabase('summary', { poolSize: 12, truncate: true });
  const opened = stoppedAfterEach<JobSummaryTable>();

  /** A read model of its own per test (`name`): each test's checkpoints start at 0. */
  function table(
    name: string,
    overrides: { cacheSize?: number; batchSize?: number } = {},
  ): JobSummaryTable {
    const t = createJobSummaryTable({
      store: db.store(),
      pool: db.pool,
      schema: db.schema,
      name,
      batchSize: 7,
      lockRetryMs: 20,
      ...overrides,
    });
    opened.push(t);
    return t;
  }

  const drive = (from: number, to: number): Promise<void> => driveJobs(db, jobRange(from, to));

  async function rows(t: JobSummaryTable): Promise<Map<string, unknown>> {
    const { rows: all } = await db.pool.query<{ job_id: string; summary: unknown }>(
      `SELECT job_id, summary FROM ${t.view}`,
    );
    return new Map(all.map((r) => [r.job_id, r.summary]));
  }

  it('keeps one row per job equal to a fresh fold of its stream, queryable by status', async () => {
    // A cache of 2 jobs makes most batches fold their jobs again from the store.
    const t = table('rm_fold', { cacheSize: 2 });
    await t.migrate();
    await drive(0, 8);
    await t.catchUp();
    expect(await rows(t)).toEqual(await folded(db, 8));
    const inProgress = await t.byStatus('in-progress');
    // Completed: job1 (released by its client), job4 (a dispute agreed), job6 (one ruled).
    expect(inProgress.map((r) => r.jobId)).toEqual(['job0', 'job2', 'job3', 'job5', 'job7']);
    expect(await t.countByStatus()).toEqual({ 'in-progress': 5, completed: 3 });
    expect((await t.get('job1'))?.summary.status).toBe('completed');
    expect(await t.get('nobody')).toBeUndefined();
    // More commands on the same jobs: the rows follow.
    await drive(8, 10);
    expect(await t.lag()).toBeGreaterThan(0);
    await t.catchUp();
    expect(await t.lag()).toBe(0);
    expect(await rows(t)).toEqual(await folded(db, 10));
    await t.stop();
  });

  it('a batch that fails writes nothing: the rows and the checkpoint move together', async () => {
    const t = table('rm_fail');
    await t.migrate();
    await drive(0, 2);
    // A stream named like a job whose event is not a job event: the fold refuses it.
    await db.store().appendToStream('job-broken', [{ type: 'NotAJobEvent', data: {} }], {
      expectedVersion: 'no-stream',
    });
    let step = await t.step();
    expect(step.kind).toBe('handled');
    while (step.kind === 'handled') step = await t.step();
    expect(step.kind).toBe('failed');
    expect(await t.step()).toMatchObject({ kind: 'failed' });
    // The checkpoint stopped at the last whole batch before the bad event, and the rows are
    // exactly the jobs' summaries as of that checkpoint: nothing of the failed batch.
    const head = await db.store().headGlobalPosition();
    const checkpoint = head - (await t.lag());
    expect(checkpoint).toBeLessThan(head);
    const asOf = new Map<string, unknown>();
    const byJob = new Map<string, JobEvent[]>();
    for await (const e of db.store().readAll()) {
      if (e.metadata.globalPosition > checkpoint) break;
      const list = byJob.get(e.metadata.streamId) ?? [];
      list.push(currentUpcasters.upcast(e));
      byJob.set(e.metadata.streamId, list);
    }
    for (const events of byJob.values()) {
      const summary = summarize(fold(events));
      asOf.set(summary.jobId, summary);
    }
    expect(asOf.size).toBeGreaterThan(0);
    expect(await rows(t)).toEqual(asOf);
  });

  it('blue/green: a rebuild fills a fresh table from position 0 while the old one serves, then swaps', async () => {
    const t = table('rm_swap');
    await t.migrate();
    await drive(0, 6);
    await t.catchUp();
    expect(await t.generation()).toBe(1);
    // Damage the serving table (a bug in an old version of the projection, say).
    await db.pool.query(`UPDATE ${t.view} SET status = 'closed'`);
    const rebuilder = table('rm_swap');
    const rebuilt = rebuilder.rebuild();
    // While it runs, readers still get the old table (damaged, but serving).
    const servedDuring = (await t.countByStatus()).closed;
    const result = await rebuilt;
    expect(servedDuring).toBe(6);
    expect(result).toMatchObject({ generation: 2, retired: 1 });
    expect(result.position).toBe(await db.store().headGlobalPosition());
    expect(await t.generation()).toBe(2);
    expect(await rows(t)).toEqual(await folded(db, 6));
    // The live worker carries on into the new generation; the old table is gone.
    await drive(6, 8);
    await t.catchUp();
    expect(await rows(t)).toEqual(await folded(db, 8));
    const { rows: tables } = await db.pool.query<{ tablename: string }>(
      `SELECT tablename FROM pg_tables WHERE schemaname = $1 AND tablename LIKE 'rm_swap%' ORDER BY 1`,
      [db.schema],
    );
    expect(tables.map((r) => r.tablename)).toEqual(['rm_swap_g2']);
    await t.stop();
    await rebuilder.stop();
  });
  it('two steps asked at once after a rebuild swapped share one live consumer: once stopped, the lock is free for another process (the other one was left holding it)', async () => {
    await drive(0, 2);
    const worker = table('shared');
    await worker.migrate();
    await worker.catchUp();
    await table('shared').rebuild();
    // Both steps find the new generation, and each stopped the old consumer and made a new one.
    await Promise.all([worker.step(), worker.step()]);
    await worker.stop();
    expect((await table('shared').step()).kind).not.toBe('standby');
  });
});
