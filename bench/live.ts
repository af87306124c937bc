/*
 * The live side, measured (docs/live.md, "Measured"):
 *
 * 1. backlog: a consumer keeping the job summary table works through a backlog of `BACKLOG` events
 *    (default 1,000,000: 100,000 jobs of 10 events, 200 jobs active at a time, bulk-loaded in SQL);
 *    events/s into the table and the process's peak RSS, for at most `MAX_SECONDS` (default 300).
 * 2. lag: writers drive jobs through the command handler for `LAG_SECONDS` (default 20) while the
 *    summary worker runs in the same process; the lag (head − checkpoint) sampled every 50 ms.
 * 3. pickup: the short poll's latency. An idle consumer (default `pollMs`, 100 ms); `PICKUPS`
 *    (default 60) single appends, each at a random moment of the poll's cycle; the time from the
 *    append's commit to the consumer's handler seeing the event.
 *
 *   DATABASE_URL=postgres://... npx tsx bench/live.ts [backlog|lag|pickup]
 */
import pg from 'pg';
import { decide, fold, type JobEvent } from '../src/index.js';
import { createCommandHandler } from '../src/handler/command-handler.js';
import {
  createJobSummaryTable,
  createPostgresConsumer,
  createPostgresEventStore,
} from '../src/postgres/index.js';
import { jobCommands } from '../examples/live/jobs.js';

const url = process.env['DATABASE_URL'];
if (url === undefined || url === '') {
  console.error('set DATABASE_URL (bash .ci/postgres.sh prints one)');
  process.exit(2);
}
const BACKLOG = Number(process.env['BACKLOG'] ?? 1_000_000);
const MAX_SECONDS = Number(process.env['MAX_SECONDS'] ?? 300);
const LAG_SECONDS = Number(process.env['LAG_SECONDS'] ?? 20);
const PICKUPS = Number(process.env['PICKUPS'] ?? 60);
const which = process.argv[2] ?? 'all';

/** One job's events (variant 0, ten events), as the template of the bulk load. */
function templateEvents(): JobEvent[] {
  const events: JobEvent[] = [];
  for (const command of jobCommands('TEMPLATE', 0)) events.push(...decide(command, fold(events)));
  return events;
}

const mb = (bytes: number): string => `${(bytes / 1024 / 1024).toFixed(0)} MB`;

async function backlog(pool: pg.Pool): Promise<void> {
  const schema = `bench_live_${String(process.pid)}`;
  const store = createPostgresEventStore({ pool, schema });
  await store.migrate();
  const template = templateEvents();
  const perJob = template.length;
  const jobs = Math.ceil(BACKLOG / perJob);
  const active = 200;
  const loadStart = Date.now();
  // Jobs in blocks of `active`, their events round-robin within a block: 200 jobs live at a time.
  for (let k = 0; k < perJob; k++) {
    const event = template[k]!;
    await pool.query(
      `INSERT INTO "${schema}".events (global_position, stream_id, stream_position, type, data)
       SELECT (b * ${String(active * perJob)}) + ${String(k * active)} + i + 1,
              'job-b' || (b * ${String(active)} + i), ${String(k + 1)}, $1,
              replace($2, 'TEMPLATE', 'b' || (b * ${String(active)} + i))::jsonb
         FROM generate_series(0, ${String(Math.ceil(jobs / active) - 1)}) b,
              generate_series(0, ${String(active - 1)}) i`,
      [event.type, JSON.stringify(event.data)],
    );
  }
  await pool.query(
    `UPDATE "${schema}".global_position SET value = (SELECT max(global_position) FROM "${schema}".events); ANALYZE "${schema}".events`,
  );
  const head = await store.headGlobalPosition();
  console.log(
    `backlog: ${String(head)} events of ${String(jobs)} jobs loaded in ${String((Date.now() - loadStart) / 1000)} s`,
  );

  const table = createJobSummaryTable({ store, pool, schema, batchSize: 500 });
  await table.migrate();
  const start = Date.now();
  let peakRss = 0;
  let lastReport = start;
  let position = 0;
  while (Date.now() - start < MAX_SECONDS * 1000) {
    const step = await table.step();
    peakRss = Math.max(peakRss, process.memoryUsage().rss);
    if (step.kind === 'handled') position = step.position;
    if (step.kind === 'idle') break;
    if (step.kind === 'failed') throw step.error;
    if (Date.now() - lastReport > 10_000) {
      lastReport = Date.now();
      console.log(
        `  ${String(position)} / ${String(head)}: ${((position / (lastReport - start)) * 1000).toFixed(0)} events/s, rss ${mb(process.memoryUsage().rss)}`,
      );
    }
  }
  const seconds = (Date.now() - start) / 1000;
  console.log(
    JSON.stringify({
      measure: 'backlog',
      events: head,
      handled: position,
      seconds,
      eventsPerSecond: Math.round(position / seconds),
      peakRss: mb(peakRss),
      rows: (await pool.query<{ n: number }>(`SELECT count(*)::integer AS n FROM ${table.view}`))
        .rows[0]?.n,
    }),
  );
  await table.stop();
  await pool.query(`DROP SCHEMA "${schema}" CASCADE`);
}

async function lag(pool: pg.Pool): Promise<void> {
  const schema = `bench_lag_${String(process.pid)}`;
  const store = createPostgresEventStore({ pool, schema });
  await store.migrate();
  const table = createJobSummaryTable({ store, pool, schema });
  await table.migrate();
  const loop = table.start();
  const writers = 4;
  let writing = true;
  const stillWriting = (): boolean => writing;
  let appended = 0;
  const write = async (w: number): Promise<void> => {
    const handler = createCommandHandler({ store });
    for (let n = w; stillWriting(); n += writers) {
      for (const command of jobCommands(`job${String(n)}`, n)) {
        const result = await handler.handle(`job${String(n)}`, command);
        appended += result.events.length;
        if (!stillWriting()) return;
      }
    }
  };
  const writes = Array.from({ length: writers }, (_, w) => write(w));
  const samples: number[] = [];
  const start = Date.now();
  while (Date.now() - start < LAG_SECONDS * 1000) {
    await new Promise((resolve) => setTimeout(resolve, 50));
    samples.push(await table.lag());
  }
  writing = false;
  await Promise.all(writes);
  const drained = Date.now();
  while ((await table.lag()) > 0) await new Promise((resolve) => setTimeout(resolve, 10));
  const drainMs = Date.now() - drained;
  await table.stop();
  await loop;
  samples.sort((a, b) => a - b);
  const at = (q: number): number =>
    samples[Math.min(samples.length - 1, Math.floor(q * samples.length))] ?? 0;
  console.log(
    JSON.stringify({
      measure: 'lag',
      writers,
      seconds: LAG_SECONDS,
      eventsAppended: appended,
      appendedPerSecond: Math.round(appended / LAG_SECONDS),
      lagEvents: { p50: at(0.5), p95: at(0.95), max: samples.at(-1) ?? 0 },
      drainAfterWritersStoppedMs: drainMs,
    }),
  );
  await pool.query(`DROP SCHEMA "${schema}" CASCADE`);
}

async function pickup(pool: pg.Pool): Promise<void> {
  const schema = `bench_pickup_${String(process.pid)}`;
  const store = createPostgresEventStore({ pool, schema });
  await store.migrate();
  const seen = new Map<number, number>();
  const consumer = createPostgresConsumer({
    name: 'pickup',
    store,
    pool,
    schema,
    handle: ({ events }) => {
      const now = performance.now();
      for (const e of events) seen.set(e.metadata.globalPosition, now);
      return Promise.resolve();
    },
  });
  await consumer.migrate();
  const loop = consumer.start();
  const handler = createCommandHandler({ store });
  const samples: number[] = [];
  for (let i = 0; i < PICKUPS; i++) {
    // A random moment of the poll's cycle (it polls every 100 ms when idle).
    await new Promise((resolve) => setTimeout(resolve, 100 + Math.random() * 100));
    const [award] = jobCommands(`pickup${String(i)}`, i);
    const result = await handler.handle(`pickup${String(i)}`, award!);
    const committed = performance.now();
    const position = result.events.length > 0 ? await store.headGlobalPosition() : 0;
    while (!seen.has(position)) await new Promise((resolve) => setTimeout(resolve, 1));
    samples.push(Math.max(0, seen.get(position)! - committed));
  }
  await consumer.stop();
  await loop;
  samples.sort((a, b) => a - b);
  const at = (q: number): number =>
    samples[Math.min(samples.length - 1, Math.floor(q * samples.length))] ?? 0;
  const ms = (x: number): number => Math.round(x * 10) / 10;
  console.log(
    JSON.stringify({
      measure: 'pickup',
      pollMs: 100,
      appends: samples.length,
      pickupMs: {
        mean: ms(samples.reduce((a, b) => a + b, 0) / samples.length),
        p50: ms(at(0.5)),
        p95: ms(at(0.95)),
        max: ms(samples.at(-1) ?? 0),
      },
    }),
  );
  await pool.query(`DROP SCHEMA "${schema}" CASCADE`);
}

const pool = new pg.Pool({ connectionString: url, max: 12 });
try {
  if (which === 'pickup' || which === 'all') await pickup(pool);
  if (which === 'lag' || which === 'all') await lag(pool);
  if (which === 'backlog' || which === 'all') await backlog(pool);
} finally {
  await pool.end();
}
