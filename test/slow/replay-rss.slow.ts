import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeHistory } from './history-file.mjs';

/*
 * A 1,000,000-event history replayed with bounded memory (run by `npm run test:slow`, not by
 * `npm test`). The history is one long valid job (history-file.mjs): its state stays the same
 * size, so a streaming replay's peak RSS must not grow with the history.
 *
 * Budget: 128 MiB peak RSS for the whole process. Node itself starts at about 40 MiB here; the
 * streaming replay of 1M events measured about 94 MiB (V8's heap runs ahead of the garbage
 * collector by a few tens of MiB). The NDJSON file is 104 MB: a replay that held the file
 * would need that much on top of Node's own (over 140 MiB; reading it whole measured 244 MiB),
 * and one that held the parsed events several times more. So the budget passes any streaming
 * replay and fails anything that keeps the history. A second check compares against a history
 * ten times shorter: peak RSS may not grow by more than 32 MiB from 100k to 1M events.
 */

const BUDGET_KIB = 128 * 1024;
const GROWTH_KIB = 32 * 1024;
const EVENTS = 1_000_000;
const root = join(import.meta.dirname, '..', '..');
const dir = mkdtempSync(join(tmpdir(), 'milestone-escrow-rss-'));
const big = join(dir, 'history-1m.ndjson');
const small = join(dir, 'history-100k.ndjson');

interface Measured {
  readonly position: number;
  readonly maxRssKiB: number;
  readonly summary: { version: number; status: string; totals: { released: number } };
}

function replayWithLibrary(file: string): Measured {
  const run = spawnSync(process.execPath, [join(import.meta.dirname, 'replay-child.mjs'), file], {
    encoding: 'utf8',
    cwd: root,
  });
  expect(run.status, run.stderr).toBe(0);
  return JSON.parse(run.stdout) as Measured;
}

/** The CLI's replay with its peak RSS, or why it cannot run yet. */
function replayWithCli(file: string): {
  summary: Measured['summary'];
  maxRssKiB: number;
  status: number | null;
  stderr: string;
} {
  const report = join(dir, `rss-${String(Math.random()).slice(2)}.txt`);
  const run = spawnSync(
    process.execPath,
    [
      '--import',
      join(import.meta.dirname, 'rss-preload.mjs'),
      join(root, 'dist', 'cli.js'),
      'replay',
      file,
      '--json',
    ],
    {
      encoding: 'utf8',
      cwd: root,
      env: { ...process.env, RSS_REPORT: report },
      maxBuffer: 16 * 1024 * 1024,
    },
  );
  let maxRssKiB = Number.NaN;
  try {
    maxRssKiB = Number(readFileSync(report, 'utf8'));
  } catch {
    // the process did not exit normally
  }
  let summary = {} as Measured['summary'];
  try {
    summary = JSON.parse(run.stdout) as Measured['summary'];
  } catch {
    // not a summary: see status and stderr
  }
  return { summary, maxRssKiB, status: run.status, stderr: run.stderr };
}

// Does dist/cli.js replay yet? (The CLI lands with issue 2; until then its test is skipped.)
const probe = join(dir, 'probe.ndjson');
writeFileSync(
  probe,
  '{"type":"JobAwarded","data":{"jobId":"j","title":"T","clientId":"c","freelancerId":"f","currency":"USD","at":"2014-11-03T09:00:00Z"}}\n',
);
const probed = replayWithCli(probe);
const cliReplays = probed.status === 0 && probed.summary.version === 1;
if (!cliReplays) {
  process.stderr.write(
    `skipping the CLI replay RSS test: dist/cli.js has no working \`replay FILE --json\` yet (exit ${String(probed.status)}: ${probed.stderr.trim()})\n`,
  );
}

describe(`replaying ${EVENTS.toLocaleString('en')} events with bounded memory`, () => {
  beforeAll(async () => {
    await writeHistory(big, EVENTS);
    await writeHistory(small, EVENTS / 10);
  }, 120_000);
  afterAll(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  it('the streaming fold (replay + readNdjson, every rule verified) stays under the budget', () => {
    const full = replayWithLibrary(big);
    const tenth = replayWithLibrary(small);
    process.stderr.write(
      `library replay: 1M events peak RSS ${String(Math.round(full.maxRssKiB / 1024))} MiB, 100k events ${String(Math.round(tenth.maxRssKiB / 1024))} MiB\n`,
    );
    expect(full.position).toBe(EVENTS);
    expect(full.summary).toMatchObject({
      version: EVENTS,
      status: 'in-progress',
      totals: { released: 7500 },
    });
    expect(full.maxRssKiB).toBeLessThan(BUDGET_KIB);
    expect(full.maxRssKiB - tenth.maxRssKiB).toBeLessThan(GROWTH_KIB);
  }, 300_000);

  it.skipIf(!cliReplays)(
    '`milestone-escrow replay FILE --json` stays under the budget',
    () => {
      const full = replayWithCli(big);
      const tenth = replayWithCli(small);
      process.stderr.write(
        `CLI replay: 1M events peak RSS ${String(Math.round(full.maxRssKiB / 1024))} MiB, 100k events ${String(Math.round(tenth.maxRssKiB / 1024))} MiB\n`,
      );
      expect(full.status, full.stderr).toBe(0);
      expect(full.summary).toMatchObject({
        version: EVENTS,
        status: 'in-progress',
        totals: { released: 7500 },
      });
      expect(full.maxRssKiB).toBeLessThan(BUDGET_KIB);
      expect(full.maxRssKiB - tenth.maxRssKiB).toBeLessThan(GROWTH_KIB);
    },
    300_000,
  );
});
