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
  readonly rounds: Array<{ cli: ProcessRun; parse: ProcessRun; ratio: number }>;
  /** CLI events/s over parse-only events/s, median of the rounds. */
  readonly ratio: number;
  readonly cliRate: number;
  readonly parseRate: number;
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
    // Alternate the order, so that neither side always runs second.
    const order = r % 2 === 0 ? (['cli', 'parse'] as const) : (['parse', 'cli'] as const);
    const runs: Partial<Record<'cli' | 'parse', ProcessRun>> = {};
    for (const which of order) {
      runs[which] = await runProcess(which === 'cli' ? [CLI, 'replay', file] : [PARSE_LINES, file]);
    }
    const cli = runs.cli as ProcessRun;
    const parse = runs.parse as ProcessRun;
    if (cli.exitCode !== 0)
      throw new Error(
        `milestone-escrow replay exited with ${String(cli.exitCode)}: ${cli.stderr.slice(0, 500)}`,
      );
    if (parse.exitCode !== 0)
      throw new Error(
        `parse-lines exited with ${String(parse.exitCode)}: ${parse.stderr.slice(0, 500)}`,
      );
    const ratio = parse.seconds / cli.seconds;
    results.push({ cli, parse, ratio });
    log(
      `  replay round ${String(r + 1)}/${String(rounds)}: CLI ${cli.seconds.toFixed(2)} s (${(cli.maxRssKiB / 1024).toFixed(0)} MiB), ` +
        `parse only ${parse.seconds.toFixed(2)} s (${(parse.maxRssKiB / 1024).toFixed(0)} MiB), ratio ${ratio.toFixed(3)}`,
    );
  }
  return {
    events,
    rounds: results,
    ratio: median(results.map((r) => r.ratio)),
    cliRate: events / median(results.map((r) => r.cli.seconds)),
    parseRate: events / median(results.map((r) => r.parse.seconds)),
    cliPeakRssMiB: Math.max(...results.map((r) => r.cli.maxRssKiB)) / 1024,
    parsePeakRssMiB: Math.max(...results.map((r) => r.parse.maxRssKiB)) / 1024,
  };
}
