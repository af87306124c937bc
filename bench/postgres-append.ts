/*
 * What the global order costs: appends per second into the PostgreSQL store, one event each, with
 * 1, 4 and 16 concurrent writers on distinct streams, with synchronous_commit on (durable, the
 * production default) and off. Appends serialise on the global-position counter from their
 * position assignment to their commit, so more writers add little once commits are the bottleneck.
 * The baseline is the same single-statement append with a sequence for the global position (no
 * counter, so appends to different streams do not wait for each other, and a reader following the
 * global order can miss events: test/postgres/global-order.test.ts fails with it).
 *
 *   DATABASE_URL=postgres://... npm run bench:postgres
 */
import pg from 'pg';
import { createPostgresEventStore } from '../src/postgres/index.js';

const url = process.env['DATABASE_URL'];
if (url === undefined || url === '') {
  console.error('set DATABASE_URL (bash .ci/postgres.sh prints one)');
  process.exit(2);
}
const schema = `bench_${String(process.pid)}`;
const seconds = Number(process.env['BENCH_SECONDS'] ?? 3);

const s = `"${schema}"`;
// The baseline: the store's append statement with nextval() in place of the counter.
const sequenceAppend = `
WITH current_version AS (SELECT coalesce(max(stream_position), 0)::integer AS v FROM ${s}.events WHERE stream_id = $1)
INSERT INTO ${s}.events (global_position, stream_id, stream_position, type, data)
SELECT nextval('${s}.baseline_seq'), $1, v + 1, 'Benched', $3::jsonb FROM current_version WHERE v = $2
RETURNING stream_position`;

async function run(
  writers: number,
  synchronousCommit: 'on' | 'off',
  mode: 'counter' | 'sequence',
): Promise<number> {
  const pool = new pg.Pool({
    connectionString: url,
    max: writers,
    options: `-c synchronous_commit=${synchronousCommit}`,
  });
  const store = createPostgresEventStore({ pool, schema });
  await store.migrate();
  await pool.query(`CREATE SEQUENCE IF NOT EXISTS ${s}.baseline_seq START 1000000000`);
  let appends = 0;
  const until = Date.now() + seconds * 1000;
  await Promise.all(
    Array.from({ length: writers }, async (_, w) => {
      const stream = `bench-${mode}-${String(w)}`;
      let version = await store.streamVersion(stream);
      while (Date.now() < until) {
        if (mode === 'counter') {
          version = (
            await store.appendToStream(stream, [{ type: 'Benched', data: { w, version } }], {
              expectedVersion: version,
            })
          ).nextExpectedVersion;
        } else {
          await pool.query(sequenceAppend, [stream, version, JSON.stringify({ w, version })]);
          version++;
        }
        appends++;
      }
    }),
  );
  await pool.end();
  return appends / seconds;
}

const admin = new pg.Pool({ connectionString: url, max: 1 });
try {
  const rate = (n: number) => Math.round(n).toLocaleString('en-US');
  console.log(
    '| writers | synchronous_commit | appends/s, global order (counter) | appends/s, sequence (no global order) |',
  );
  console.log('| --- | --- | --- | --- |');
  for (const sync of ['on', 'off'] as const) {
    for (const writers of [1, 4, 16]) {
      const counter = await run(writers, sync, 'counter');
      const sequence = await run(writers, sync, 'sequence');
      console.log(`| ${String(writers)} | ${sync} | ${rate(counter)} | ${rate(sequence)} |`);
    }
  }
} finally {
  await admin.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
  await admin.end();
}
