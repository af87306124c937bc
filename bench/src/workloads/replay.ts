/*
 * Streaming replay through the CLI: `milestone-escrow replay FILE` (dist/cli.js) on a
 * 1,000,000-event NDJSON file, against a process that only reads the same file's lines and
 * JSON.parses them (the limit of any replay). Both run as child processes, timed from spawn to
 * exit, with their peak RSS from `process.resourceUsage()` (preloaded, see rss-preload.ts).
 */
import { spawn } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { TMP } from '../data.js';
import { formatCount as n, formatRate, median } from '../harness.js';
import type { Table } from '../report.js';
import { TARGETS, verdict, type Verdict } from '../targets.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const PRELOAD = path.join(here, 'rss-preload.js');
const PARSE_LINES = path.join(here, 'parse-lines.js');
const PARSE_FOLD_LINES = path.join(here, 'parse-fold-lines.js');
export const CLI = path.resolve(process.cwd(), 'dist/cli.js');

export interface ProcessRun {
  readonly seconds: number;
  readonly maxRssKiB: number;
  readonly exitCode: number | null;
  readonly stderr: string;
}

export function runProcess(args: readonly string[]): Promise<ProcessRun> {
  return new Promise((resolve, reject) => {
    const t0 = process.hrtime.bigint();
    const child = spawn(process.execPath, ['--import', PRELOAD, ...args], {
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let stderr = '';
    child.stderr.setEncoding('utf8');
    child.stderr.on('data', (chunk: string) => {
      stderr += chunk;
    });
    child.on('error', reject);
    child.on('close', (code) => {
      const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
      const m = /@@bench maxRSS (\d+)/.exec(stderr);
      resolve({
        seconds,
        maxRssKiB: m === null ? Number.NaN : Number(m[1]),
        exitCode: code,
        stderr: stderr.replace(/\n?@@bench maxRSS \d+\n/, ''),
      });
    });
  });
}

export interface ReplayResult {
  readonly events: number;
  readonly rounds: Array<{
    cli: ProcessRun;
    parse: ProcessRun;
    floor: ProcessRun;
    ratio: number;
    floorRatio: number;
  }>;
  /** CLI events/s over parse-only events/s, median of the rounds. */
  readonly ratio: number;
  /** The floor's (parse + the mutable loop) events/s over parse-only events/s, median of the rounds. */
  readonly floorRatio: number;
  readonly cliRate: number;
  readonly parseRate: number;
  readonly floorRate: number;
  /** The CLI's peak RSS, the largest of the rounds (MiB). */
  readonly cliPeakRssMiB: number;
  readonly parsePeakRssMiB: number;
}

export async function replayWorkload(
  file: string,
  events: number,
  rounds: number,
  log: (line: string) => void,
): Promise<ReplayResult> {
  const results: ReplayResult['rounds'] = [];
  for (let r = 0; r < rounds; r++) {
    // Rotate the order, so that no process always runs first or last.
    const all = ['cli', 'parse', 'floor'] as const;
    const order = all.map((_, i) => all[(i + r) % all.length] as (typeof all)[number]);
    const args = {
      cli: [CLI, 'replay', file],
      parse: [PARSE_LINES, file],
      floor: [PARSE_FOLD_LINES, file],
    };
    const runs: Partial<Record<(typeof all)[number], ProcessRun>> = {};
    for (const which of order) runs[which] = await runProcess(args[which]);
    const cli = runs.cli as ProcessRun;
    const parse = runs.parse as ProcessRun;
    const floor = runs.floor as ProcessRun;
    if (cli.exitCode !== 0)
      throw new Error(
        `milestone-escrow replay exited with ${String(cli.exitCode)}: ${cli.stderr.slice(0, 500)}`,
      );
    if (parse.exitCode !== 0)
      throw new Error(
        `parse-lines exited with ${String(parse.exitCode)}: ${parse.stderr.slice(0, 500)}`,
      );
    if (floor.exitCode !== 0)
      throw new Error(
        `parse-fold-lines exited with ${String(floor.exitCode)}: ${floor.stderr.slice(0, 500)}`,
      );
    const ratio = parse.seconds / cli.seconds;
    const floorRatio = parse.seconds / floor.seconds;
    results.push({ cli, parse, floor, ratio, floorRatio });
    log(
      `  replay round ${String(r + 1)}/${String(rounds)}: CLI ${cli.seconds.toFixed(2)} s (${(cli.maxRssKiB / 1024).toFixed(0)} MiB), ` +
        `parse only ${parse.seconds.toFixed(2)} s (${(parse.maxRssKiB / 1024).toFixed(0)} MiB), ratio ${ratio.toFixed(3)}; ` +
        `parse + mutable loop ${floor.seconds.toFixed(2)} s, ratio ${floorRatio.toFixed(3)}`,
    );
  }
  return {
    events,
    rounds: results,
    ratio: median(results.map((r) => r.ratio)),
    floorRatio: median(results.map((r) => r.floorRatio)),
    cliRate: events / median(results.map((r) => r.cli.seconds)),
    parseRate: events / median(results.map((r) => r.parse.seconds)),
    floorRate: events / median(results.map((r) => r.floor.seconds)),
    cliPeakRssMiB: Math.max(...results.map((r) => r.cli.maxRssKiB)) / 1024,
    parsePeakRssMiB: Math.max(...results.map((r) => r.parse.maxRssKiB)) / 1024,
  };
}

/** The replay workload's verdicts and table (the longer files' rows in the full run only). */
export async function replayReport(
  file: string,
  events: number,
  rounds: number,
  check: boolean,
  log: (line: string) => void,
): Promise<{ tables: Table[]; verdicts: Verdict[] }> {
  const tables: Table[] = [];
  const verdicts: Verdict[] = [];
  const r = await replayWorkload(file, events, rounds, log);
  verdicts.push(
    verdict(
      TARGETS.replayRate,
      r.ratio,
      `CLI ${formatRate(r.cliRate)}, parse only ${formatRate(r.parseRate)}; the floor (parse + mutable loop, nothing checked) ${r.floorRatio.toFixed(3)}×`,
    ),
  );
  verdicts.push(
    verdict(TARGETS.replayRss, r.cliPeakRssMiB, `parse only: ${r.parsePeakRssMiB.toFixed(0)} MiB`),
  );
  const rows = [
    [
      n(events),
      'milestone-escrow replay',
      formatRate(r.cliRate),
      `${r.cliPeakRssMiB.toFixed(0)} MiB`,
      r.ratio.toFixed(3),
    ],
    [
      n(events),
      'read lines + JSON.parse',
      formatRate(r.parseRate),
      `${r.parsePeakRssMiB.toFixed(0)} MiB`,
      '1 (baseline)',
    ],
    [
      n(events),
      'read lines + JSON.parse + mutable loop (the floor)',
      formatRate(r.floorRate),
      `${(Math.max(...r.rounds.map((x) => x.floor.maxRssKiB)) / 1024).toFixed(0)} MiB`,
      r.floorRatio.toFixed(3),
    ],
  ];
  if (!check) {
    // Peak RSS against the file's length: the same job's first 100,000 and 10,000 events.
    for (const len of [100_000, 10_000]) {
      const prefix = path.join(TMP, `long-prefix-${String(len)}.ndjson`);
      if (!existsSync(prefix)) {
        const lines = readFileSync(file, 'utf8').split('\n', len);
        writeFileSync(prefix, lines.join('\n') + '\n');
      }
      const cli = await runProcess([CLI, 'replay', prefix]);
      if (cli.exitCode !== 0)
        throw new Error(`replay of ${prefix} failed: ${cli.stderr.slice(0, 300)}`);
      rows.push([
        n(len),
        'milestone-escrow replay',
        formatRate(len / cli.seconds),
        `${(cli.maxRssKiB / 1024).toFixed(0)} MiB`,
        '',
      ]);
    }
  }
  tables.push({
    title: 'streaming replay through the CLI (child processes, wall time from spawn to exit)',
    headers: ['events', 'process', 'events/s', 'peak RSS', 'ratio'],
    rows,
    note: 'The floor parses the same lines and folds them with the hand-written mutable loop (bench/src/parse-fold-lines.ts), in one thread, with nothing validated, no rule checked and nothing frozen: no single-threaded checked replay can beat it.',
  });
  return { tables, verdicts };
}
