import { spawnSync } from 'node:child_process';
import { createReadStream, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPostgresEventStore } from '../../src/postgres/index.js';
import type { EventToAppend } from '../../src/store/port.js';
import { writeHistory } from './history-file.mjs';

/*
 * Replaying a long job from PostgreSQL with bounded memory (`npm run test:slow`). The history is
 * the one long valid job of history-file.mjs (its state stays the same size), appended to
 * PostgreSQL; a child process loads it with `loadJob` (verify on) through the store's keyset
 * pages, and reports its peak RSS. A store that fetched the stream whole would hold the rows
 * (about 100 bytes of JSON each, several times that as objects): growing from 30k to 300k events
 * would add well over 32 MiB. Streaming adds nothing but noise.
 *
 * Needs DATABASE_URL (CI sets it; without it this file is skipped, loudly, and fails in CI).
 */

const URL = process.env.DATABASE_URL ?? '';
const inCi = process.env.CI !== undefined && process.env.CI !== '' && process.env.CI !== 'false';
const SMALL = 30_000;
const BIG = 300_000;
const GROWTH_KIB = 32 * 1024;
const BUDGET_KIB = 160 * 1024;
const root = join(import.meta.dirname, '..', '..');
const schema = `slow_rss_${String(process.pid)}`;

interface Measured {
  readonly version: number;
  readonly ms: number;
  readonly maxRssKiB: number;
  readonly summary: { version: number; status: string; totals: { released: number } };
}

async function load(streamId: string, file: string): Promise<void> {
  const store = createPostgresEventStore({ connectionString: URL, schema });
  let batch: EventToAppend[] = [];
  let version = 0;
  const flush = async () => {
    version = (await store.appendToStream(streamId, batch, { expectedVersion: version }))
      .nextExpectedVersion;
    batch = [];
  };
  for await (const line of createInterface({ input: createReadStream(file) })) {
    if (line === '') continue;
    batch.push(JSON.parse(line) as EventToAppend);
    if (batch.length === 5000) await flush();
  }
  if (batch.length > 0) await flush();
  await store.close();
}

function replay(streamId: string): Measured {
  const run = spawnSync(
    process.execPath,
    [join(import.meta.dirname, 'postgres-replay-child.mjs'), URL, schema, streamId, '500'],
    {
      encoding: 'utf8',
      cwd: root,
    },
  );
  expect(run.status, run.stderr).toBe(0);
  return JSON.parse(run.stdout) as Measured;
}

if (URL === '' && !inCi)
  process.stderr.write('\nSKIPPED: the PostgreSQL replay RSS test (DATABASE_URL is not set)\n');

describe.runIf(URL !== '' || inCi)(
  `replaying ${BIG.toLocaleString('en')} events from PostgreSQL with bounded memory`,
  () => {
    const dir = mkdtempSync(join(tmpdir(), 'milestone-escrow-pg-rss-'));
    beforeAll(async () => {
      expect(URL, 'CI=true but DATABASE_URL is not set').not.toBe('');
      await createPostgresEventStore({ connectionString: URL, schema }).migrate();
      for (const [n, stream] of [
        [SMALL, 'job-small'],
        [BIG, 'job-big'],
      ] as const) {
        const file = join(dir, `${stream}.ndjson`);
        await writeHistory(file, n);
        await load(stream, file);
      }
    }, 300_000);
    afterAll(async () => {
      rmSync(dir, { recursive: true, force: true });
      if (URL === '') return;
      const pool = new pg.Pool({ connectionString: URL, max: 1 });
      await pool.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
      await pool.end();
    });

    it('peak RSS stays flat from 30k to 300k events, inside the budget', () => {
      const small = replay('job-small');
      const big = replay('job-big');
      expect(small.version).toBe(SMALL);
      expect(big.version).toBe(BIG);
      expect(big.summary.totals.released).toBe(7500);
      const rate = Math.round(BIG / (big.ms / 1000));
      console.info(
        `PostgreSQL replay: ${String(SMALL)} events peak ${String(Math.round(small.maxRssKiB / 1024))} MiB, ` +
          `${String(BIG)} events peak ${String(Math.round(big.maxRssKiB / 1024))} MiB in ${String(Math.round(big.ms))} ms (${String(rate)} events/s, verified)`,
      );
      expect(big.maxRssKiB - small.maxRssKiB).toBeLessThan(GROWTH_KIB);
      expect(big.maxRssKiB).toBeLessThan(BUDGET_KIB);
    });
  },
);
