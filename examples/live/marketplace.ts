/*
 * `npm run example:live`: a scripted marketplace running live on one PostgreSQL database.
 *
 *   export DATABASE_URL="$(sudo bash .ci/postgres.sh)"
 *   npm run example:live              # 200 jobs, 3 writers
 *   npm run example:live -- 40 2      # jobs, writers
 *
 * Writer processes drive the jobs through the command handler while a consumer process keeps the
 * job summary table, a dispatcher process delivers the notifications to a flaky provider, and two
 * timer runners fire deadlines on a simulated clock. The consumer and the dispatcher are each
 * SIGKILLed once in the middle of their work and restarted. At the end it checks everything
 * against a fresh fold of every stream and prints one JSON line; the exit code is 1 unless nothing
 * was lost, the read model equals the fold, no timer acted twice and some deadline fired.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { isDeepStrictEqual } from 'node:util';
import pg from 'pg';
import * as library from 'milestone-escrow';
import { currentUpcasters, fold, summarize, type JobEvent } from 'milestone-escrow';
import { outbox } from 'milestone-escrow/projections';
import { createPostgresEventStore, migrateLive } from 'milestone-escrow/postgres';

/** The example's one JSON line. */
export interface MarketplaceResult {
  readonly jobs: number;
  readonly events: number;
  readonly notifications: {
    readonly expected: number;
    readonly delivered: number;
    readonly lost: number;
    readonly duplicateSends: number;
  };
  readonly readModel: { readonly rows: number; readonly matchesFold: boolean };
  readonly autoReleased: number;
  readonly timerDoubleActs: number;
  readonly restarts: number;
  /** False while the library has no part two: the timers then fire a stand-in's deadlines. */
  readonly partTwo: boolean;
  readonly seconds: number;
}

const PROCESS = fileURLToPath(new URL('./process.ts', import.meta.url));
const SIM_START = Date.parse('2026-01-05T00:00:00Z');
const SIM_AFTER_DEADLINES = Date.parse('2026-02-01T00:00:00Z');

interface Child {
  readonly role: string;
  proc: ChildProcess;
  lines: number;
  exited: Promise<number | null>;
}

export function passed(result: MarketplaceResult): boolean {
  return (
    result.notifications.lost === 0 &&
    result.readModel.matchesFold &&
    result.timerDoubleActs === 0 &&
    result.autoReleased >= 1
  );
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

    // The writers are done: time jumps past every deadline, and the loops settle.
    await pool.query(`UPDATE "${schema}".sim_clock SET now_ms = ${String(SIM_AFTER_DEADLINES)}`);
    await settle(pool, schema, store);

    for (const child of children) child.proc.kill('SIGTERM');
    await Promise.all(children.map((c) => c.exited));
    return {
      ...(await verify(pool, schema, store)),
      restarts,
      seconds: (Date.now() - started) / 1000,
    };
  } finally {
    for (const child of children) child.proc.kill('SIGKILL');
    await pool.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`).catch(() => undefined);
    await pool.end();
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

/** Everything against a fresh fold of every stream. */
async function verify(
  pool: pg.Pool,
  schema: string,
  store: ReturnType<typeof createPostgresEventStore>,
): Promise<Omit<MarketplaceResult, 'restarts' | 'seconds'>> {
  const streams = new Map<string, JobEvent[]>();
  const timerDecisions = new Map<string, Set<string>>();
  let events = 0;
  for await (const e of store.readAll()) {
    events += 1;
    const list = streams.get(e.metadata.streamId) ?? [];
    list.push(currentUpcasters.upcast(e));
    streams.set(e.metadata.streamId, list);
    const key = e.metadata.idempotencyKey;
    if (key?.startsWith('timer:') === true) {
      const scoped = `${e.metadata.streamId} ${key}`;
      const decisions = timerDecisions.get(scoped) ?? new Set<string>();
      decisions.add(String(e.metadata['commandId']));
      timerDecisions.set(scoped, decisions);
    }
  }
  const expected = new Set<string>();
  const folded = new Map<string, unknown>();
  for (const [, list] of streams) {
    for (const n of outbox(list).notifications) expected.add(n.id);
    const summary = summarize(fold(list));
    folded.set(summary.jobId, summary);
  }
  const { rows: sent } = await pool.query<{ notification_id: string; idempotency_key: string }>(
    `SELECT notification_id, idempotency_key FROM "${schema}".provider_log`,
  );
  const delivered = new Set(sent.map((r) => r.notification_id));
  const { rows: summaryRows } = await pool.query<{ job_id: string; summary: unknown }>(
    `SELECT job_id, summary FROM "${schema}".job_summary`,
  );
  const matchesFold =
    summaryRows.length === folded.size &&
    summaryRows.every((r) => isDeepStrictEqual(r.summary, folded.get(r.job_id)));
  return {
    jobs: streams.size,
    events,
    notifications: {
      expected: expected.size,
      delivered: [...expected].filter((id) => delivered.has(id)).length,
      lost: [...expected].filter((id) => !delivered.has(id)).length,
      duplicateSends: sent.length - delivered.size,
    },
    readModel: { rows: summaryRows.length, matchesFold },
    autoReleased: timerDecisions.size,
    timerDoubleActs: [...timerDecisions.values()].filter((d) => d.size > 1).length,
    partTwo: typeof (library as Record<string, unknown>)['deadlines'] === 'function',
  };
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
