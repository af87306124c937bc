/*
 * `npm run example:live`: a scripted marketplace running live on one PostgreSQL database.
 *
 *   export DATABASE_URL="$(sudo bash .ci/postgres.sh)"
 *   npm run example:live              # 200 jobs, 3 writers
 *   npm run example:live -- 40 2      # jobs, writers
 *
 * Writer processes drive the jobs (examples/live/jobs.ts: reviews left to run out, disputes
 * answered, escalated, withdrawn or left to expire) through the command handler while a consumer
 * process keeps the job summary table, a dispatcher process delivers the notifications to a flaky
 * provider, and two timer runners fire part two's deadlines on a simulated clock, which moves a
 * day at a time past the disputes' and the reviews' deadlines once the writers are done. The
 * consumer and the dispatcher are each SIGKILLed once in the middle of their work and restarted.
 * At the end it checks everything against a fresh fold of every stream and prints one JSON line;
 * the exit code is 1 unless nothing was lost, the read model equals the fold, no timer acted
 * twice, every review and dispute the scripts left to run out expired (at least one review), and
 * the part-two notifications queued are the ones the stored events call for.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { createPostgresEventStore, migrateLive } from 'milestone-escrow/postgres';
import { passed, verify, type MarketplaceResult } from './verify.js';

export { passed, type MarketplaceResult, type PartTwoResult } from './verify.js';

const PROCESS = fileURLToPath(new URL('./process.ts', import.meta.url));
const SIM_START = Date.parse('2026-01-05T00:00:00Z');
/** Past every deadline of the scripts: disputes end on the 8th, reviews from the 12th to the 14th. */
const SIM_AFTER_DEADLINES = Date.parse('2026-01-20T00:00:00Z');
const DAY_MS = 24 * 3600 * 1000;

interface Child {
  readonly role: string;
  proc: ChildProcess;
  lines: number;
  exited: Promise<number | null>;
}

/** Runs the marketplace in its own schema of `connectionString`'s database, then drops it. */
export async function runMarketplace(
  connectionString: string,
  jobs = 200,
  writers = 3,
): Promise<MarketplaceResult> {
  const started = Date.now();
  const schema = `live_example_${String(process.pid)}`;
  const pool = new pg.Pool({ connectionString, max: 4 });
  const store = createPostgresEventStore({ pool, schema });
  const children: Child[] = [];
  let restarts = 0;

  function start(role: string, args: string[] = []): Child {
    const proc = spawn(process.execPath, ['--import', 'tsx', PROCESS, role, ...args], {
      env: { ...process.env, DATABASE_URL: connectionString, LIVE_SCHEMA: schema },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    const child: Child = {
      role,
      proc,
      lines: 0,
      exited: new Promise((resolve) => proc.once('exit', (code) => resolve(code))),
    };
    proc.stdout.on('data', (chunk: Buffer) => {
      for (const byte of chunk) if (byte === 10) child.lines += 1;
    });
    children.push(child);
    return child;
  }

  /** SIGKILLs `child` once it has done `after` more units of work (it is mid-batch then), and restarts it. */
  async function killMidWork(child: Child, after: number): Promise<Child> {
    const target = child.lines + after;
    while (child.lines < target) await sleep(5);
    child.proc.kill('SIGKILL');
    await child.exited;
    restarts += 1;
    return start(child.role);
  }

  try {
    await store.migrate();
    await migrateLive(pool, schema);
    await pool.query(`
      CREATE TABLE IF NOT EXISTS "${schema}".sim_clock (now_ms bigint NOT NULL);
      INSERT INTO "${schema}".sim_clock VALUES (${String(SIM_START)});
      CREATE TABLE IF NOT EXISTS "${schema}".provider_log (
        notification_id text NOT NULL, idempotency_key text NOT NULL);`);

    const consumer = start('consumer');
    const dispatcher = start('dispatcher');
    start('timer');
    start('timer');
    const writing = Array.from({ length: writers }, (_, w) =>
      start('writer', [String(w), String(writers), String(jobs)]),
    );
    // Each restarted process is in `children`, to be stopped at the end.
    await killMidWork(consumer, Math.min(150, jobs * 3));
    await killMidWork(dispatcher, Math.min(20, jobs));
    const codes = await Promise.all(writing.map((w) => w.exited));
    if (codes.some((c) => c !== 0)) throw new Error(`a writer failed: exit codes ${codes.join()}`);

    // The writers are done: time moves past every deadline, and the loops settle.
    await passTheDeadlines(pool, schema);
    await settle(pool, schema, store);

    for (const child of children) child.proc.kill('SIGTERM');
    await Promise.all(children.map((c) => c.exited));
    return {
      ...(await verify(pool, schema, store, jobs)),
      restarts,
      seconds: (Date.now() - started) / 1000,
    };
  } finally {
    for (const child of children) child.proc.kill('SIGKILL');
    await pool.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`).catch(() => undefined);
    await pool.end();
  }
}

/**
 * Moves the simulated clock a day at a time past every deadline (the disputes' first, then the
 * reviews'): the timer runners fire as it goes, some while others' events are still arriving.
 */
async function passTheDeadlines(pool: pg.Pool, schema: string): Promise<void> {
  for (let now = SIM_START + DAY_MS; now <= SIM_AFTER_DEADLINES; now += DAY_MS) {
    await pool.query(`UPDATE "${schema}".sim_clock SET now_ms = $1`, [now]);
    await sleep(200);
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Waits until the consumers are at the head, nothing is left to send and no deadline is due. */
async function settle(
  pool: pg.Pool,
  schema: string,
  store: ReturnType<typeof createPostgresEventStore>,
): Promise<void> {
  let quietSince = 0;
  let last = '';
  for (let i = 0; i < 1200; i++) {
    if (i % 50 === 49)
      console.error(`settling: head ${String(await store.headGlobalPosition())} ${last}`);
    const head = await store.headGlobalPosition();
    const { rows } = await pool.query<{ behind: string | null; pending: number; due: number }>(
      `SELECT (SELECT string_agg(name || '@' || position, ' ') FROM "${schema}".consumer_checkpoints WHERE position < $1) AS behind,
              (SELECT count(*)::integer FROM "${schema}".notification_deliveries WHERE status = 'pending') AS pending,
              (SELECT count(*)::integer FROM "${schema}".timer_deadlines) AS due`,
      [head],
    );
    const r = rows[0];
    last = JSON.stringify(r);
    const quiet = r !== undefined && r.behind === null && r.pending === 0 && r.due === 0;
    quietSince = quiet ? quietSince + 1 : 0;
    if (quietSince >= 5 && head === (await store.headGlobalPosition())) return;
    await sleep(100);
  }
  throw new Error(
    `the marketplace did not settle in 2 minutes (consumers behind, pending sends, deadlines: ${last})`,
  );
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const url = process.env['DATABASE_URL'];
  if (url === undefined || url === '') {
    console.error(
      'example:live needs DATABASE_URL (export DATABASE_URL="$(sudo bash .ci/postgres.sh)")',
    );
    process.exit(2);
  }
  const [jobs = '200', writers = '3'] = process.argv.slice(2);
  const result = await runMarketplace(url, Number(jobs), Number(writers));
  console.log(JSON.stringify(result));
  process.exitCode = passed(result) ? 0 : 1;
}
