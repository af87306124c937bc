/*
 * Two builds of the library side by side: the same jobs folded (`fold`) or checked
 * (`verifyHistory`) by each, in one process, in alternating rounds, timed in CPU time (steadier
 * than wall time on a shared machine), medians of the rounds. Measures what a change of the
 * domain costs in absolute time, where `bench:check`'s ratios compare against a mutable loop
 * that changes with the domain (part two made both fold more state).
 *
 *   node --expose-gc --import tsx bench/side-by-side.ts BEFORE_DIST AFTER_DIST JOBS.ndjson [N] [ROUNDS]
 *
 * A dist is a built `dist/` folder (e.g. a worktree of an older commit after `npm run build`);
 * JOBS.ndjson holds one job's events per line, as bench:check's generator writes them
 * (.bench-tmp/realistic-g2-*.ndjson: part one's histories). `ONLY=fold` or `ONLY=checker` runs one.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { JobEvent, JobState } from '../src/index.js';

interface Build {
  fold(events: readonly JobEvent[]): JobState;
  verifyHistory(events: readonly JobEvent[]): JobState;
  freezeEvent(event: JobEvent): JobEvent;
}

const [beforeDist, afterDist, data, jobsArg = '10000', roundsArg = '15'] = process.argv.slice(2);
if (beforeDist === undefined || afterDist === undefined || data === undefined) {
  console.error('usage: bench/side-by-side.ts BEFORE_DIST AFTER_DIST JOBS.ndjson [N] [ROUNDS]');
  process.exit(2);
}

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

function readJobs(file: string, n: number, build: Build): JobEvent[][] {
  const text = readFileSync(file, 'utf8');
  const jobs: JobEvent[][] = [];
  let start = 0;
  while (jobs.length < n) {
    const end = text.indexOf('\n', start);
    if (end < 0) break;
    const job = JSON.parse(text.slice(start, end)) as JobEvent[];
    for (const event of job) build.freezeEvent(event);
    jobs.push(job);
    start = end + 1;
  }
  return jobs;
}

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[xs.length >> 1] ?? NaN;
const gc = (globalThis as { gc?: () => void }).gc;

const builds = { before: await load(beforeDist), after: await load(afterDist) };
const n = Number(jobsArg);
const rounds = Number(roundsArg);
// Each build folds its own copy of the jobs, frozen by itself.
const jobs = {
  before: readJobs(data, n, builds.before),
  after: readJobs(data, n, builds.after),
};
const events = jobs.before.reduce((sum, job) => sum + job.length, 0);

const workloads = {
  fold: (b: Build, js: JobEvent[][]) => js.reduce((v, job) => v + b.fold(job).version, 0),
  checker: (b: Build, js: JobEvent[][]) =>
    js.reduce((v, job) => v + b.verifyHistory(job).version, 0),
};
const only = process.env['ONLY'];

for (const [name, run] of Object.entries(workloads)) {
  if (only !== undefined && only !== name) continue;
  const sides = ['before', 'after'] as const;
  for (const side of sides) for (let i = 0; i < 2; i++) run(builds[side], jobs[side]);
  const times = { before: [] as number[], after: [] as number[] };
  for (let r = 0; r < rounds; r++) {
    for (const side of r % 2 === 0 ? sides : [...sides].reverse()) {
      gc?.();
      const cpu = process.cpuUsage();
      run(builds[side], jobs[side]);
      const used = process.cpuUsage(cpu);
      times[side].push((used.user + used.system) / 1000);
    }
  }
  const before = median(times.before);
  const after = median(times.after);
  const rate = (ms: number) => `${(events / ms / 1000).toFixed(2)} M events/s`;
  console.log(
    `${name}: ${jobs.before.length} jobs, ${events} events, CPU time, median of ${rounds} rounds: ` +
      `before ${before.toFixed(1)} ms (${rate(before)}), after ${after.toFixed(1)} ms ` +
      `(${rate(after)}); after/before ×${(after / before).toFixed(3)}`,
  );
}
