import { afterAll, describe, expect, it } from 'vitest';
import pg from 'pg';
import { createCommandHandler } from '../../src/handler/command-handler.js';
import { createPostgresEventStore } from '../../src/postgres/store.js';
import { startWorker } from '../../examples/live/worker.js';
import { jobCommands } from '../../examples/live/jobs.js';
import { DATABASE_URL, schemaName, skipPostgres } from './database.js';

/* examples/live/worker.ts (quoted by docs/live.md): the worker keeps the view and sends. */
describe.skipIf(skipPostgres)('examples/live/worker.ts (docs/live.md)', () => {
  const schema = schemaName('worker');
  const pool = new pg.Pool({ connectionString: DATABASE_URL, max: 4 });
  afterAll(async () => {
    await pool.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
    await pool.end();
  });

  it('keeps the job_summary view and delivers the notifications of a job appended by another process', async () => {
    const sent: string[] = [];
    const worker = await startWorker({
      connectionString: DATABASE_URL,
      schema,
      send: (n, key) => {
        sent.push(key);
        expect(key).toBe(n.id);
        return Promise.resolve();
      },
      deadlines: () => [],
    });
    try {
      const handler = createCommandHandler({ store: createPostgresEventStore({ pool, schema }) });
      for (const command of jobCommands('job1', 1)) await handler.handle('job1', command);
      await expect
        .poll(
          async () =>
            (
              await pool.query<{ status: string }>(
                `SELECT status FROM "${schema}".job_summary WHERE job_id = 'job1'`,
              )
            ).rows[0]?.status,
          { timeout: 20_000 },
        )
        .toBe('completed');
      await expect.poll(() => sent.length, { timeout: 20_000 }).toBe(6);
    } finally {
      await worker.stop();
    }
  });
});
