import { beforeEach, describe, expect, it, vi } from 'vitest';
import { createCommandHandler, type CommandHandler } from '../../src/handler/command-handler.js';
import { createJobSummaryTable } from '../../src/postgres/summary-table.js';
import { createTimerRunner } from '../../src/postgres/timers.js';
import { createFakeClock, type FakeClock } from '../live/fake-clock.js';
import { never } from '../live/promises.js';
import {
  driveJobs,
  failingQueries,
  skipPostgres,
  stoppedAfterEach,
  useTestDatabase,
} from './database.js';

/*
 * What the summary table's rebuild and the timer runner report is what happened (truth.test.ts
 * holds the dispatcher's half): a rebuild whose swap committed resolves, whatever its cleanup
 * does after; a handle that never settles is given up at the runner's deadline, not waited for.
 */

describe.skipIf(skipPostgres)('the live runners report what happened: rebuilds and timers', () => {
  const db = useTestDatabase('truth_runners', {
    poolSize: 6,
    live: true,
    truncate: ['notification_deliveries', 'consumer_checkpoints'],
  });
  let clock: FakeClock;
  const stops = stoppedAfterEach();
  beforeEach(() => {
    clock = createFakeClock();
  });

  describe('4. a rebuild whose swap committed resolves', () => {
    it('a DROP of the retired table that fails after the swap: rebuild() resolves, the leftover table is reported to onError and still there', async () => {
      await driveJobs(db, [0, 1]);
      const errors: unknown[] = [];
      const summaries = createJobSummaryTable({
        store: db.store(),
        pool: failingQueries(db, (text) => text.startsWith('DROP TABLE')),
        schema: db.schema,
        lockRetryMs: 20,
        onError: (error) => errors.push(error),
      });
      stops.push(summaries);
      await summaries.migrate();
      await summaries.catchUp();
      expect(await summaries.rebuild()).toMatchObject({ generation: 2, retired: 1 });
      expect(await summaries.generation()).toBe(2);
      expect(errors).toHaveLength(1);
      const leftover = `"${db.schema}"."job_summary_g1"`;
      expect((errors[0] as Error).message).toContain(leftover);
      expect((errors[0] as Error).cause).toMatchObject({
        message: 'connection terminated unexpectedly',
      });
      const { rows } = await db.pool.query<{ name: string | null }>(
        `SELECT to_regclass($1)::text AS name`,
        [leftover],
      );
      expect(rows[0]?.name).not.toBeNull();
      // The rebuild's result serves: the view reads the new generation's rows.
      expect(await summaries.get('job0')).toMatchObject({ jobId: 'job0' });
    });
  });

  describe("6. the timer runner's own handler.handle has a deadline", () => {
    it('a handle that never settles is given up at handleTimeoutMs (default 60 s) on the clock: a failed command (TimeoutError to onError), fired at the next step', async () => {
      // Job 0's review is left to run out: one ExpireReview is due once its time has come.
      await driveJobs(db, [0]);
      await db.pool.query(`TRUNCATE "${db.schema}".timer_deadlines`);
      const real = createCommandHandler({ store: db.store() });
      let calls = 0;
      const handler: CommandHandler = {
        ...real,
        handle: (...args) => {
          calls += 1;
          return calls === 1 ? never() : real.handle(...args);
        },
      };
      const errors: unknown[] = [];
      const runner = createTimerRunner({
        store: db.store(),
        pool: db.pool,
        schema: db.schema,
        handler,
        clock,
        lockRetryMs: 20,
        onError: (error) => errors.push(error),
      });
      stops.push(runner);
      await runner.deadlinesConsumer.catchUp();
      const [due] = await runner.pending();
      clock.set(Date.parse(due!.dueAt));
      const t0 = clock.now();
      const firing = runner.fire();
      await vi.waitFor(() => {
        expect(calls).toBe(1);
        expect(clock.sleepers).toEqual([t0 + 60_000]);
      });
      clock.advance(59_999);
      await new Promise((resolve) => setImmediate(resolve));
      clock.advance(1);
      expect(await firing).toEqual({ fired: 0, replayed: 0, overtaken: 0, rejected: 0, failed: 1 });
      expect(errors).toEqual([expect.objectContaining({ name: 'TimeoutError' })]);
      expect(await runner.fire()).toMatchObject({ fired: 1, failed: 0 });
    });

    it('takes handleTimeoutMs as the consumer does', async () => {
      const never1 = { handle: () => never() } as unknown as CommandHandler;
      const runner = createTimerRunner({
        store: db.store(),
        pool: db.pool,
        schema: db.schema,
        handler: never1,
        clock,
        handleTimeoutMs: 5000,
        onError: () => undefined,
      });
      stops.push(runner);
      await driveJobs(db, [0]);
      await runner.deadlinesConsumer.catchUp();
      const [due] = await runner.pending();
      clock.set(Date.parse(due!.dueAt));
      const firing = runner.fire();
      await vi.waitFor(() => {
        expect(clock.sleepers).toEqual([clock.now() + 5000]);
      });
      clock.advance(5000);
      expect(await firing).toMatchObject({ failed: 1 });
    });
  });
});
