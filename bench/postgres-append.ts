/*
 * Appends per second into PostgreSQL, in one run on one database, side by side:
 *   - ours: the store's `appendToStream` (a global order readers can follow by one number; the
 *     appends one process makes at once go in one statement, see docs/postgres.md);
 *   - no order: the same table and the same single-statement append with a sequence for the
 *     global position and no counter (the limit of the table layout: nothing orders appends,
 *     and a reader following the global order can skip events);
 *   - Emmett: `@event-driven-io/emmett-postgresql`'s event store (a devDependency, used only
 *     here), in a schema of its own on the same database.
 * One event per append, each writer on its own stream, 1, 4 and 16 concurrent writers (one
 * process, a pool of as many connections as writers), `synchronous_commit` on (the production
 * default: every commit waits for its WAL flush) and off, set for each session when it connects.
 * Each round times every contender for one window, in an order that rotates; a ratio is taken
 * inside each round and the median of the rounds' ratios is reported.
 *
 *   DATABASE_URL=postgres://... npm run bench:postgres [-- --check] [-- --seconds=4 --rounds=2]
 *
 * `--check` exits 1 when a target is missed: with 16 writers, ours ≥ 0.8 × no order and
 * ≥ 1.0 × Emmett, with synchronous_commit on and off.
 */
import { execSync } from 'node:child_process';
import os from 'node:os';
import pg from 'pg';
import { getPostgreSQLEventStore } from '@event-driven-io/emmett-postgresql';
import { createPostgresEventStore } from '../src/postgres/index.js';

const url = process.env['DATABASE_URL'];
if (url === undefined || url === '') {
  console.error('set DATABASE_URL (bash .ci/postgres.sh prints one)');
  process.exit(2);
}
const arg = (name: string): string | undefined =>
  process.argv.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3);
const check = process.argv.includes('--check');
const seconds = Number(arg('seconds') ?? process.env['BENCH_SECONDS'] ?? 4);
const rounds = Number(arg('rounds') ?? 2);
const WRITERS = [1, 4, 16] as const;
const SETTINGS = ['on', 'off'] as const;
const CONTENDERS = ['ours', 'no order', 'Emmett'] as const;
type Contender = (typeof CONTENDERS)[number];
type Setting = (typeof SETTINGS)[number];

const schema = `bench_pg_${String(process.pid)}`;
const emmettSchema = `bench_emmett_${String(process.pid)}`;
const s = `"${schema}"`;

// The no-order append: the store's statement with nextval() in place of the counter.
const noOrderAppend = `
WITH current_version AS (
  SELECT coalesce(max(stream_position), 0)::integer AS v FROM ${s}.events WHERE stream_id = $1
)
INSERT INTO ${s}.events (global_position, stream_id, stream_position, type, data, metadata, schema_version)
SELECT nextval('${s}.no_order_seq'), $1, v + e.ord::integer, e.type, e.data::jsonb, e.metadata::jsonb, e.schema_version
  FROM current_version
 CROSS JOIN unnest($3::text[], $4::text[], $5::text[], $6::integer[]) WITH ORDINALITY AS e(type, data, metadata, schema_version, ord)
 WHERE $2::integer = v
RETURNING stream_position`;

interface Setup {
  readonly pool: pg.Pool;
  readonly append: (stream: string, version: number, data: unknown) => Promise<void>;
}

function pool(writers: number, setting: Setting, searchPath?: string): pg.Pool {
  const options = [`-c synchronous_commit=${setting}`];
  if (searchPath !== undefined) options.push(`-c search_path=${searchPath}`);
  return new pg.Pool({ connectionString: url, max: writers, options: options.join(' ') });
}

function setup(contender: Contender, writers: number, setting: Setting): Setup {
  if (contender === 'ours') {
    const p = pool(writers, setting);
    const store = createPostgresEventStore({ pool: p, schema });
    return {
      pool: p,
      append: async (stream, version, data) => {
        await store.appendToStream(stream, [{ type: 'Benched', data }], {
          expectedVersion: version,
        });
      },
    };
  }
  if (contender === 'no order') {
    const p = pool(writers, setting);
    return {
      pool: p,
      append: async (stream, version, data) => {
        const { rowCount } = await p.query(noOrderAppend, [
          stream,
          version,
          ['Benched'],
          [JSON.stringify(data)],
          ['{}'],
          [1],
        ]);
        if (rowCount !== 1) throw new Error(`no-order append to ${stream} conflicted`);
      },
    };
  }
  const p = pool(writers, setting, emmettSchema);
  const store = getPostgreSQLEventStore(url as string, { connectionOptions: { pool: p } });
  return {
    pool: p,
    append: async (stream, version, data) => {
      await store.appendToStream(
        stream,
        [{ type: 'Benched', data: data as Record<string, unknown> }],
        {
          expectedStreamVersion: BigInt(version),
        },
      );
    },
  };
}

let windowNo = 0;

/** Appends per second of `writers` writers, each on a fresh stream of its own, for one window. */
async function window(contender: Contender, writers: number, setting: Setting): Promise<number> {
  const { pool: p, append } = setup(contender, writers, setting);
  try {
    windowNo += 1;
    const streams = Array.from(
      { length: writers },
      (_, w) => `bench-${String(windowNo)}-${String(w)}`,
    );
    // Untimed: every connection opened, Emmett's schema created, plans cached.
    await Promise.all(streams.map((stream) => append(stream, 0, { warm: true })));
    let appends = 0;
    const start = performance.now();
    const until = start + seconds * 1000;
    await Promise.all(
      streams.map(async (stream, w) => {
        let version = 1;
        while (performance.now() < until) {
          await append(stream, version, { w, version });
          version += 1;
          appends += 1;
        }
      }),
    );
    return appends / ((performance.now() - start) / 1000);
  } finally {
    await p.end();
  }
}

function median(xs: readonly number[]): number {
  const sorted = [...xs].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1
    ? (sorted[mid] as number)
    : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
}

const rate = (n: number) => Math.round(n).toLocaleString('en-US');

const admin = new pg.Pool({ connectionString: url, max: 1 });
let failed = false;
try {
  await createPostgresEventStore({ pool: admin, schema }).migrate();
  await admin.query(`CREATE SEQUENCE IF NOT EXISTS ${s}.no_order_seq START 1000000000`);
  await admin.query(`CREATE SCHEMA IF NOT EXISTS "${emmettSchema}"`);
  const { rows } = await admin.query<{ version: string }>('SELECT version()');
  const started = Date.now();
  let commit = 'unknown';
  try {
    commit = execSync('git rev-parse --short HEAD', { encoding: 'utf8' }).trim();
  } catch {
    // Not a git checkout: the commit stays unknown.
  }
  console.log(
    `bench:postgres, ${new Date().toISOString().slice(0, 16)} UTC, commit ${commit}: ${String(rounds)} rounds of ${String(seconds)} s windows`,
  );
  console.log(
    `- ${os.cpus()[0]?.model ?? 'cpu'} (${String(os.cpus().length)} cores), Node ${process.version}, ${rows[0]?.version.split(',')[0] ?? 'PostgreSQL'}`,
  );
  const lines: string[] = [
    '| writers | synchronous_commit | ours | no order | Emmett | ours / no order | ours / Emmett |',
    '| --- | --- | --- | --- | --- | --- | --- |',
  ];
  const misses: string[] = [];
  for (const setting of SETTINGS) {
    for (const writers of WRITERS) {
      const rates: Record<Contender, number[]> = { ours: [], 'no order': [], Emmett: [] };
      const vsNoOrder: number[] = [];
      const vsEmmett: number[] = [];
      for (let r = 0; r < rounds; r++) {
        const order = CONTENDERS.map(
          (_, i) => CONTENDERS[(i + r) % CONTENDERS.length] as Contender,
        );
        const got: Partial<Record<Contender, number>> = {};
        for (const contender of order) got[contender] = await window(contender, writers, setting);
        for (const c of CONTENDERS) rates[c].push(got[c] as number);
        vsNoOrder.push((got.ours as number) / (got['no order'] as number));
        vsEmmett.push((got.ours as number) / (got.Emmett as number));
        console.error(
          `  ${String(writers)} writers, synchronous_commit ${setting}, round ${String(r + 1)}: ` +
            CONTENDERS.map((c) => `${c} ${rate(got[c] as number)}/s`).join(', '),
        );
      }
      const a = median(vsNoOrder);
      const b = median(vsEmmett);
      lines.push(
        `| ${String(writers)} | ${setting} | ${rate(median(rates.ours))}/s | ${rate(median(rates['no order']))}/s | ${rate(median(rates.Emmett))}/s | ${a.toFixed(2)} | ${b.toFixed(2)} |`,
      );
      if (writers === 16) {
        if (a < 0.8)
          misses.push(
            `16 writers, synchronous_commit ${setting}: ours / no order ${a.toFixed(2)} < 0.8`,
          );
        if (b < 1.0)
          misses.push(
            `16 writers, synchronous_commit ${setting}: ours / Emmett ${b.toFixed(2)} < 1.0`,
          );
      }
    }
  }
  console.log(lines.join('\n'));
  const load = os
    .loadavg()
    .map((x) => x.toFixed(1))
    .join(' / ');
  console.log(
    `\nAppends per second (medians of the rounds), one event per append; ratios are medians of the per-round ratios. ` +
      `${((Date.now() - started) / 1000).toFixed(0)} s; load average at the end ${load} (1/5/15 min).`,
  );
  if (misses.length > 0) {
    console.log(`\nMISSED:\n- ${misses.join('\n- ')}`);
    failed = check;
  } else
    console.log(
      '\nTargets met: with 16 writers, ours ≥ 0.8 × no order and ≥ 1.0 × Emmett, both settings.',
    );
} finally {
  await admin.query(`DROP SCHEMA IF EXISTS ${s} CASCADE`);
  await admin.query(`DROP SCHEMA IF EXISTS "${emmettSchema}" CASCADE`);
  await admin.end();
}
if (failed) process.exit(1);
