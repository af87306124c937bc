import { fold } from '../../src/domain/decider.js';
import type { JobEvent } from '../../src/domain/events.js';
import type { PgPool } from '../../src/postgres/consumer.js';
import {
  createJobSummaryTable,
  type JobSummaryTable,
  type JobSummaryTableOptions,
} from '../../src/postgres/summary-table.js';
import { summarize } from '../../src/projections/summary.js';
import { currentUpcasters } from '../../src/upcasting/upcasters.js';
import type { TestDatabase } from './database.js';

/*
 * What the summary table's tests share: a table on the test database whose errors a test reads,
 * the jobs' summaries from a fresh fold, and a generation's checkpoint.
 */

/** A summary table `name` on the test database and `pool`, in batches of 50, errors to `errors`. */
export function summaryTable(
  db: TestDatabase,
  name: string,
  pool: PgPool,
  errors: unknown[],
  overrides: Partial<JobSummaryTableOptions> = {},
): JobSummaryTable {
  return createJobSummaryTable({
    store: db.store(),
    pool,
    schema: db.schema,
    name,
    batchSize: 50,
    onError: (e) => errors.push(e),
    ...overrides,
  });
}

/** Each job's summary (jobs 0 to `jobs` - 1 of driveJobs) from a fresh fold of its whole stream. */
export async function folded(db: TestDatabase, jobs: number): Promise<Map<string, unknown>> {
  const store = db.store();
  const out = new Map<string, unknown>();
  for (let n = 0; n < jobs; n++) {
    const events: JobEvent[] = [];
    for await (const e of store.readStream(`job-job${String(n)}`))
      events.push(currentUpcasters.upcast(e));
    out.set(`job${String(n)}`, summarize(fold(events)));
  }
  return out;
}

/** The checkpoint of table `name`'s generation `generation` (`undefined`: no row). */
export async function checkpointRow(
  db: TestDatabase,
  name: string,
  generation: number,
): Promise<number | undefined> {
  const { rows } = await db.pool.query<{ position: string }>(
    `SELECT position FROM "${db.schema}".consumer_checkpoints WHERE name = $1`,
    [`read-model:${name}:g${String(generation)}`],
  );
  return rows[0] === undefined ? undefined : Number(rows[0].position);
}
