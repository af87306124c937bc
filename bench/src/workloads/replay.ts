/*
 * Streaming replay through the CLI: `milestone-escrow replay FILE` (dist/cli.js) on a
 * 1,000,000-event NDJSON file, against a process that only reads the same file's lines and
 * JSON.parses them (the limit of any replay). Both run as child processes, timed from spawn to
 * exit, with their peak RSS from `process.resourceUsage()` (preloaded, see rss-preload.ts).
 */
import { spawn } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { median } from '../harness.js';

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
