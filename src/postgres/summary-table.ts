import type { JobSummary, JobStatus } from '../projections/summary.js';
import { summaryOf } from '../projections/summary.js';
import { jobStateProjection } from '../projections/job.js';
import { exponentialBackoff, systemClock, type Clock } from '../live/clock.js';
import { lifecycle, observe, pacedOrStop, pause } from '../live/loop.js';
import {
  clockOption,
  countOption,
  functionOption,
  sizeOption,
  textOption,
  waitOption,
  readOptions,
} from '../shared/options.js';
import { SUMMARY_TABLE_OPTIONS } from './option-keys.js';
import { limitOf, runnerOptions, textArgument } from './runner-options.js';
import {
  catchUpBy,
  createPostgresConsumer,
  libraryHandle,
  DEFAULT_BATCH_SIZE,
  type ConsumerBatch,
  type ConsumerStep,
  type LiveEventStore,
  type PgPool,
  type PostgresConsumer,
} from './consumer.js';
import { migrateLive } from './live-schema.js';
import type { PgQueryable } from './store.js';
import { DEFAULT_SCHEMA, quoteSchema } from './schema.js';
import { createStreamCache, type DecodeEvent } from './stream-cache.js';
import { rebuildSummary, type RebuildResult } from './summary-rebuild.js';

export type { RebuildResult } from './summary-rebuild.js';

/*
 * The job summary as a PostgreSQL read model: one row per job (its spec §5 summary as jsonb, its
 * status in a column of its own, indexed), kept by a durable consumer whose writes commit with its
 * checkpoint. Readers query the view `<name>` (default `job_summary`), which selects from the
 * table of the generation that serves now (`<name>_g1`, `<name>_g2`, …).
 *
 * A rebuild is blue/green: a new generation's table is filled from global position 0 by a consumer
 * of its own while the view keeps serving the old one; once the new one has caught up with the
 * head, one transaction points the view and the generation row at it. The live worker sees the
 * generation change at its next step and carries on with the new generation's consumer.
 */

/** Options of {@link createJobSummaryTable}. */
export interface JobSummaryTableOptions {
  /** Where the events come from (`readAll`, and `readStream` for a job not in memory). */
  readonly store: LiveEventStore;
  /** The pool for the tables and the consumers' connections: `pg.Pool` (a `pg.Client` is `INVALID_INPUT`). */
  readonly pool: PgPool;
  /** The schema of the tables (default `milestone_escrow`). */
  readonly schema?: string;
  /** The view's name, and the prefix of its tables and consumers (default `job_summary`). */
  readonly name?: string;
  /** Turns a stored event into a job event (default: upcast and validate). */
  readonly decode?: DecodeEvent;
  /** Which streams are jobs' (default: ids starting with `job-`). */
  readonly accepts?: (streamId: string) => boolean;
  /** How many jobs' states stay in memory between batches (default 1000). */
  readonly cacheSize?: number;
  /** Events per batch (default 500, as the consumer's). */
  readonly batchSize?: number;
  /** Wait when idle (default 100 ms). */
  readonly pollMs?: number;
  /** Wait of a standby process before trying the lock again (default 1000 ms). */
  readonly lockRetryMs?: number;
  /** Wait after `n` failures in a row (default 100 ms doubling up to 30 s). */
  readonly backoff?: (failures: number) => number;
  /** Called with each failed batch, and with what a rebuild that swapped in could not clean up. */
  readonly onError?: (error: unknown) => void;
  /** The loop's clock (default the system clock). */
  readonly clock?: Clock;
}

/** One row of the job summary table. */
export interface JobSummaryRow {
  readonly streamId: string;
  readonly jobId: string;
  readonly status: JobStatus;
  /** The job's stream version the row reflects. */
  readonly version: number;
  readonly summary: JobSummary;
}

/** The job summary read model in PostgreSQL (see {@link createJobSummaryTable}). */
export interface JobSummaryTable {
  /** The view readers query: `"schema"."name"`. */
  readonly view: string;
  /** Creates the live tables, the first generation's table and the view if missing. */
  migrate(): Promise<void>;
  /** The generation serving now. */
  generation(): Promise<number>;
  /** One step of the live worker (see {@link PostgresConsumer.step}). */
  step(): Promise<ConsumerStep>;
  /** Runs the live worker until `stop()`. */
  start(): Promise<void>;
  /** Stops the live worker after its batch. */
  stop(): Promise<void>;
  /** Steps the live worker until it has handled every event there is now; resolves to its checkpoint. */
  catchUp(): Promise<number>;
  /** The live worker's lag behind the head (events). */
  lag(): Promise<number>;
  /**
   * Rebuilds from position 0 into a fresh table and swaps it in once caught up; the old one serves
   * until then. Resumes a rebuild that a crash interrupted.
   */
  rebuild(options?: { readonly keepRetired?: boolean }): Promise<RebuildResult>;
  /** One job's row (`undefined` before its first event reached the table). */
  get(jobId: string): Promise<JobSummaryRow | undefined>;
  /** The jobs in a status, by job id. */
  byStatus(status: JobStatus, options?: { readonly limit?: number }): Promise<JobSummaryRow[]>;
  /** Jobs per status. */
  countByStatus(): Promise<Partial<Record<JobStatus, number>>>;
}

const NAME = /^[a-z_][a-z0-9_]{0,40}$/;

interface Row {
  stream_id: string;
  job_id: string;
  status: JobStatus;
  version: number;
  summary: JobSummary;
}

const toRow = (r: Row): JobSummaryRow => ({
  streamId: r.stream_id,
  jobId: r.job_id,
  status: r.status,
  version: r.version,
  summary: r.summary,
});

/**
 * The job summary (spec §5) as a PostgreSQL table kept live by a durable consumer, with a
 * blue/green rebuild (see docs/live.md).
 */
// eslint-disable-next-line max-lines-per-function -- a factory: its closure is the read model (its generation, its consumer, its loop); each part (writer, consumerFor, step, run, rebuild, the queries) is short.
export function createJobSummaryTable(given: JobSummaryTableOptions): JobSummaryTable {
  const options = readOptions(given, SUMMARY_TABLE_OPTIONS, 'store and pool');
  const { store, pool } = runnerOptions(options, 'store and pool');
  const schema = options.schema ?? DEFAULT_SCHEMA;
  const s = quoteSchema(schema);
  const name = textOption(
    options.name ?? 'job_summary',
    'name',
    NAME,
    'a table name of 1–41 lower-case letters, digits and _, not starting with a digit',
  );
  const clock = clockOption(options.clock, systemClock);
  // Checked here, not first by the consumers that use them: those come later (start, rebuild).
  const batchSize = countOption(options.batchSize ?? DEFAULT_BATCH_SIZE, 'batchSize');
  const pollMs = waitOption(options.pollMs ?? 100, 'pollMs');
  const lockRetryMs = waitOption(options.lockRetryMs ?? 1000, 'lockRetryMs');
  const backoff = functionOption(options.backoff ?? exponentialBackoff(), 'backoff');
  const view = `${s}."${name}"`;
  const table = (generation: number): string => `${s}."${name}_g${String(generation)}"`;
  const consumerName = (generation: number): string => `read-model:${name}:g${String(generation)}`;
  const cache = createStreamCache(jobStateProjection, {
    store,
    ...(options.decode === undefined ? {} : { decode: options.decode }),
    ...(options.accepts === undefined ? {} : { accepts: options.accepts }),
    size: sizeOption(options.cacheSize ?? 1000, 'cacheSize'),
  });

  const createTable = (generation: number): string => `
CREATE TABLE IF NOT EXISTS ${table(generation)} (
  stream_id text    NOT NULL PRIMARY KEY,
  job_id    text    NOT NULL,
  status    text    NOT NULL,
  version   integer NOT NULL,
  summary   jsonb   NOT NULL
);
CREATE INDEX IF NOT EXISTS "${name}_g${String(generation)}_status" ON ${table(generation)} (status, job_id);`;

  /** Writes a batch's jobs into `generation`'s table, in the batch's transaction. */
  function writer(generation: number) {
    return async ({ events, tx }: ConsumerBatch): Promise<void> => {
      const work = await cache.apply(events);
      if (work.length === 0) return;
      const summaries = work.map(({ acc }) => summaryOf(acc));
      await tx.query(
        `INSERT INTO ${table(generation)} AS t (stream_id, job_id, status, version, summary)
         SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::integer[], $5::jsonb[])
         ON CONFLICT (stream_id) DO UPDATE
           SET job_id = EXCLUDED.job_id, status = EXCLUDED.status, version = EXCLUDED.version,
               summary = EXCLUDED.summary
         WHERE t.version < EXCLUDED.version`,
        [
          work.map((w) => w.streamId),
          summaries.map((x) => x.jobId),
          summaries.map((x) => x.status),
          work.map((w) => w.version),
          summaries.map((x) => JSON.stringify(x)),
        ],
      );
    };
  }

  /** The consumer filling `generation`'s table; a live one stops once `serves` says no. */
  function consumerFor(
    generation: number,
    serves?: (tx: PgQueryable) => Promise<boolean>,
  ): PostgresConsumer {
    return createPostgresConsumer({
      name: consumerName(generation),
      store,
      pool,
      schema,
      handle: libraryHandle(writer(generation), serves),
      batchSize,
      pollMs,
      lockRetryMs,
      backoff,
      clock,
      ...(options.onError === undefined ? {} : { onError: options.onError }),
    });
  }

  async function generation(): Promise<number> {
    const { rows } = await pool.query(
      `SELECT generation FROM ${s}.read_model_generations WHERE name = $1`,
      [name],
    );
    const row = rows[0] as { generation: number } | undefined;
    return row?.generation ?? 1;
  }

  let live: { generation: number; consumer: PostgresConsumer } | undefined;
  // One look at the generation at a time: two steps that both found a swap each made a consumer,
  // and the one not kept went on holding its lock after stop().
  let switching: Promise<unknown> = Promise.resolve();

  /** The live worker's consumer, switched to the serving generation when a rebuild swapped. */
  function liveConsumer(): Promise<PostgresConsumer> {
    const next = switching.then(async () => {
      const serving = await generation();
      if (live?.generation !== serving) {
        await live?.consumer.stop();
        live = { generation: serving, consumer: liveOf(serving) };
      }
      return live.consumer;
    });
    switching = next.catch(() => undefined);
    return next;
  }

  // The live consumers a rebuild (in any process) retired under them.
  const retired = new WeakSet<PostgresConsumer>();

  /**
   * The live consumer of `generation`: each batch (and the making of its checkpoint row) first
   * reads the generation row `FOR SHARE`, so a swap waits for the batch, and a batch after the
   * swap sees it and stops there (the row is not made again, the dropped table not written).
   * The builder has no such check: the swap holds the row while it catches up.
   */
  function liveOf(generation: number): PostgresConsumer {
    const consumer = consumerFor(generation, async (tx) => {
      const { rows } = await tx.query(
        `SELECT generation FROM ${s}.read_model_generations WHERE name = $1 FOR SHARE`,
        [name],
      );
      const serves =
        ((rows[0] as { generation: number } | undefined)?.generation ?? 1) === generation;
      if (!serves) retired.add(consumer);
      return serves;
    });
    return consumer;
  }

  async function step(): Promise<ConsumerStep> {
    const consumer = await liveConsumer();
    const result = await consumer.step();
    if (!retired.has(consumer)) return result;
    // Retired since the generation was read: on to the one serving (liveConsumer switches).
    return (await liveConsumer()) === consumer ? result : step();
  }

  async function run(signal: AbortSignal): Promise<void> {
    let failures = 0;
    while (!signal.aborted) {
      let result: ConsumerStep;
      try {
        result = await step();
      } catch (error) {
        result = { kind: 'failed', error, position: -1 };
        observe(() => options.onError?.(error));
      }
      failures = result.kind === 'failed' ? failures + 1 : 0;
      const pacing = { pollMs, lockRetryMs, backoff };
      const wait = pacedOrStop(result.kind, failures, pacing, options.onError);
      if (wait > 0) await pause(clock, wait, signal, options.onError);
    }
  }

  const loop = lifecycle(run, async () => {
    await switching;
    await live?.consumer.stop();
  });

  async function readRows(where: string, values: unknown[]): Promise<JobSummaryRow[]> {
    const { rows } = await pool.query(
      `SELECT stream_id, job_id, status, version, summary FROM ${view} ${where}`,
      values,
    );
    return (rows as Row[]).map(toRow);
  }

  return {
    view,
    async migrate() {
      await migrateLive(pool, schema);
      await pool.query(
        `SELECT pg_advisory_xact_lock(hashtext('milestone-escrow:read-model:${schema}:${name}'));
         ${createTable(1)}
         INSERT INTO ${s}.read_model_generations (name, generation) VALUES ('${name}', 1)
           ON CONFLICT (name) DO NOTHING;`,
      );
      const serving = await generation();
      await pool.query(`CREATE OR REPLACE VIEW ${view} AS SELECT * FROM ${table(serving)}`);
    },
    generation,
    step,
    start: () => loop.start(),
    stop: () => loop.stop(),
    catchUp: () =>
      catchUpBy(
        step,
        { clock, lockRetryMs },
        loop.stopSignal,
        live?.consumer.status().position ?? -1,
      ),
    async lag() {
      return (await liveConsumer()).lag();
    },
    rebuild: (given) =>
      rebuildSummary(
        { pool, s, name, view, table, consumerName, createTable, generation, consumerFor },
        options.onError,
        given,
      ),
    async get(jobId) {
      return (await readRows('WHERE job_id = $1', [textArgument(jobId, 'jobId')]))[0];
    },
    async byStatus(status, query) {
      return readRows('WHERE status = $1 ORDER BY job_id LIMIT $2', [
        textArgument(status, 'status'),
        limitOf(query, 1000),
      ]);
    },
    async countByStatus() {
      const { rows } = await pool.query(
        `SELECT status, count(*)::integer AS n FROM ${view} GROUP BY status`,
      );
      const out: Partial<Record<JobStatus, number>> = {};
      for (const r of rows as { status: JobStatus; n: number }[]) out[r.status] = r.n;
      return out;
    },
  };
}
