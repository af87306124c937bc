/*
 * Two builds of the library side by side: the same jobs folded (`fold`) or checked
 * (`verifyHistory`) by each, timed in CPU time (steadier than wall time on a shared machine).
 * Measures what a change of the domain costs in absolute time, where `bench:check`'s ratios
 * compare against a mutable loop that changes with the domain (part two made both fold more state).
 *
 *   node --expose-gc --import tsx bench/side-by-side.ts BEFORE_DIST AFTER_DIST DATA.ndjson [N] [PAIRS]
 *
 * A dist is a built `dist/` folder (e.g. a worktree of an older commit after `npm run build`).
 * DATA.ndjson is one of bench:check's generated files: `realistic-*` holds one job's events per
 * line (N jobs are read), `long-*` one event per line of one job (its first N events are read).
 * `ONLY=fold` or `ONLY=checker` runs one workload.
 *
 * Each build runs in a process of its own, alternating (before, after, after, before, …) for
 * PAIRS pairs; each process times 15 rounds after 4 warm-up rounds and reports its median, and the
 * verdict is the ratio of the medians of those medians. Two builds loaded into one process measured
 * the same build against itself at ×1.05–1.17 (which build's data the heap laid out first), more
 * than the effects measured here.
 */
import { execFileSync } from 'node:child_process';
import { closeSync, openSync, readFileSync, readSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { JobEvent, JobState } from '../src/index.js';

interface Build {
  fold(events: readonly JobEvent[]): JobState;
  verifyHistory(events: readonly JobEvent[]): JobState;
  freezeEvent(event: JobEvent): JobEvent;
}

type Workload = 'fold' | 'checker';
const WARMUP = 4;
const ROUNDS = 15;

async function load(dist: string): Promise<Build> {
  const main = (await import(pathToFileURL(path.resolve(dist, 'index.js')).href)) as Partial<Build>;
  // freezeEvent left the main entry for milestone-escrow/store.
  const store = (await import(pathToFileURL(path.resolve(dist, 'store.js')).href).catch(
    () => ({}),
  )) as Partial<Build>;
  const freezeEvent = main.freezeEvent ?? store.freezeEvent;
  if (main.fold === undefined || main.verifyHistory === undefined || freezeEvent === undefined)
    throw new Error(`${dist} is not a build of milestone-escrow`);
  return { fold: main.fold, verifyHistory: main.verifyHistory, freezeEvent };
}

/** N jobs of a jobs file, or the first N events of a one-job file as one job; frozen by the build. */
function readJobs(file: string, n: number, build: Build): JobEvent[][] {
  const text = readFileSync(file, 'utf8');
  const jobs: JobEvent[][] = [];
  const single: JobEvent[] = [];
  let start = 0;
  while (jobs.length < n && single.length < n) {
    const end = text.indexOf('\n', start);
    if (end < 0) break;
    const line = JSON.parse(text.slice(start, end)) as JobEvent[] | JobEvent;
    if (Array.isArray(line)) jobs.push(line.map((event) => build.freezeEvent(event)));
    else single.push(build.freezeEvent(line));
    start = end + 1;
  }
  return single.length > 0 ? [single] : jobs;
}

const median = (xs: readonly number[]): number =>
  [...xs].sort((a, b) => a - b)[xs.length >> 1] ?? NaN;

/** One side, in this process: the median CPU milliseconds of a round. */
async function child(dist: string, data: string, n: number, workload: Workload): Promise<number> {
  const build = await load(dist);
  const jobs = readJobs(data, n, build);
  const run = (job: JobEvent[]) =>
    workload === 'fold' ? build.fold(job) : build.verifyHistory(job);
  const round = () => jobs.reduce((v, job) => v + run(job).version, 0);
  const gc = (globalThis as { gc?: () => void }).gc;
  for (let i = 0; i < WARMUP; i++) round();
  const times: number[] = [];
  for (let r = 0; r < ROUNDS; r++) {
    gc?.();
    const cpu = process.cpuUsage();
    round();
    const used = process.cpuUsage(cpu);
    times.push((used.user + used.system) / 1000);
  }
  return median(times);
}

function events(data: string, n: number): string {
  // One byte says which kind of file it is: a jobs file's lines are arrays.
  const first = Buffer.alloc(1);
  const fd = openSync(data, 'r');
  readSync(fd, first, 0, 1, 0);
  closeSync(fd);
  return first.toString() === '['
    ? `${String(n)} jobs`
    : `the first ${String(n)} events of one job`;
}

const args = process.argv.slice(2);
if (args[0] === '--child') {
  const [, dist = '', data = '', n = '0', workload = 'fold'] = args;
  console.log(String(await child(dist, data, Number(n), workload as Workload)));
} else {
  const [beforeDist, afterDist, data, nArg = '10000', pairsArg = '4'] = args;
  if (beforeDist === undefined || afterDist === undefined || data === undefined) {
    console.error('usage: bench/side-by-side.ts BEFORE_DIST AFTER_DIST DATA.ndjson [N] [PAIRS]');
    process.exit(2);
  }
  const self = fileURLToPath(import.meta.url);
  const side = (dist: string, workload: Workload): number =>
    Number(
      execFileSync(
        process.execPath,
        ['--expose-gc', '--import', 'tsx', self, '--child', dist, data, nArg, workload],
        { encoding: 'utf8' },
      ).trim(),
    );
  const only = process.env['ONLY'];
  for (const workload of ['fold', 'checker'] as const) {
    if (only !== undefined && only !== workload) continue;
    const times = { before: [] as number[], after: [] as number[] };
    for (let p = 0; p < Number(pairsArg); p++) {
      const order = p % 2 === 0 ? (['before', 'after'] as const) : (['after', 'before'] as const);
      for (const which of order)
        times[which].push(side(which === 'before' ? beforeDist : afterDist, workload));
    }
    const before = median(times.before);
    const after = median(times.after);
    const list = (xs: number[]) => xs.map((x) => x.toFixed(1)).join(', ');
    console.log(
      `${workload}: ${events(data, Number(nArg))}, CPU ms a round, medians of 15 rounds in ` +
        `${pairsArg} processes a side: before ${list(times.before)}; after ${list(times.after)}; ` +
        `after/before ×${(after / before).toFixed(3)}`,
    );
  }
}
