/*
 * Sampling handle calls one at a time, each read on the wall clock and on process CPU time, and
 * the p99 over every round's samples together.
 */
import { constants, PerformanceObserver, type PerformanceEntry } from 'node:perf_hooks';
import { gc, median } from '../harness.js';
import type { App } from './handle-app.js';
import type { Target } from './handle-jobs.js';
import type { HandleOptions } from './handle.js';

let clockKind: HandleOptions['clock'] = 'min';

/** Nanoseconds of process CPU time (user + system, every thread). */
function cpuNow(): number {
  const u = process.cpuUsage();
  return (u.user + u.system) * 1e3;
}

/** How `latency` reads a sample: set once per run by the workload. */
export function useClock(kind: HandleOptions['clock']): void {
  clockKind = kind;
}

export interface Latency {
  readonly samples: number;
  /** Seconds. */
  readonly p50: number;
  readonly p99: number;
  readonly max: number;
  /** Every sample kept (seconds, sorted): the verdicts take the p99 of all rounds' samples at once. */
  readonly sorted: readonly number[];
  /** The main thread's scavenges (minor collections) while sampling: each pause, seconds. */
  readonly scavenges: readonly number[];
}

/*
 * The garbage-collection pauses while a side is sampled, as the runtime reports them. The p99 of
 * a side is its slowest 1 %: when a side's commands allocate enough that a scavenge lands on
 * more than 1 % of them, the p99 is a scavenge's pause, not a command's work (bench/RESULTS.md,
 * "Fourteenth session"). Reported with the p99 so that a reader sees which one it is.
 */
function watchScavenges(): () => Promise<number[]> {
  const entries: PerformanceEntry[] = [];
  const observer = new PerformanceObserver((list) => entries.push(...list.getEntries()));
  observer.observe({ entryTypes: ['gc'] });
  return async () => {
    // Entries are delivered after the tick that made them: let the last ones arrive.
    await new Promise((resolve) => setImmediate(resolve));
    entries.push(...observer.takeRecords());
    observer.disconnect();
    // A gc entry's detail says its kind (Node's types for PerformanceEntry leave it out).
    return entries
      .filter(
        (e) =>
          (e as { detail?: { kind?: number } | null }).detail?.kind ===
          constants.NODE_PERFORMANCE_GC_MINOR,
      )
      .map((e) => e.duration / 1e3);
  };
}

/** Scavenges per 1,000 commands and their median pause, over every round's samples. */
export function scavengeRate(runs: readonly Latency[]): { perThousand: number; median: number } {
  const pauses = runs.flatMap((r) => r.scavenges);
  const commands = runs.reduce((a, r) => a + r.samples, 0);
  return {
    perThousand: commands === 0 ? Number.NaN : (pauses.length * 1000) / commands,
    median: median(pauses),
  };
}

/**
 * The p99 of every round's samples taken together. A round's own p99 is its 1 % slowest commands:
 * with a few hundred commands that is a handful, and one garbage collection landing on them moved
 * the quick check's ratio from 0.3 to 5; over all rounds' thousands of samples it is a rate of
 * slow commands, which one pause cannot move.
 */
export function pooledP99(runs: readonly Latency[]): number {
  const all = runs.flatMap((r) => r.sorted).sort((a, b) => a - b);
  return all[Math.floor(0.99 * (all.length - 1))] ?? Number.NaN;
}

/**
 * Samples up to `count` handle calls, stopping early once `budget` seconds of them are spent
 * (but never before `least` calls); `next` makes each call's job and command (not timed). Two
 * calls first, thrown away (warm-up). Each sample is one call, read on both clocks (`latency`).
 */
export async function sample(
  app: App,
  count: number,
  next: () => Target,
  budget = Number.POSITIVE_INFINITY,
  least = count,
): Promise<Latency> {
  gc();
  for (let i = 0; i < 2; i++) {
    const t = next();
    await app.handler.handle(t.jobId, t.command);
  }
  const samples: number[] = [];
  let spent = 0;
  const scavenges = watchScavenges();
  while (samples.length < count && (spent < budget || samples.length < least)) {
    const t = next();
    const cpu0 = cpuNow();
    const wall0 = process.hrtime.bigint();
    await app.handler.handle(t.jobId, t.command);
    const wall = Number(process.hrtime.bigint() - wall0) / 1e9;
    const cpu = (cpuNow() - cpu0) / 1e9;
    const took = latency(wall, cpu);
    samples.push(took);
    spent += took;
  }
  const sorted = samples.sort((a, b) => a - b);
  const at = (q: number) => sorted[Math.floor(q * (sorted.length - 1))] ?? Number.NaN;
  return {
    samples: sorted.length,
    p50: at(0.5),
    p99: at(0.99),
    max: sorted[sorted.length - 1] ?? Number.NaN,
    sorted,
    scavenges: await scavenges(),
  };
}

/**
 * One sample's latency from its wall-clock and process-CPU readings (seconds), by `clockKind`.
 * `min` (default): the smaller of the two. Wall time counts the time another process held the
 * core (a 150 µs command descheduled for 5–20 ms on a loaded machine); process CPU time counts
 * every thread, and this kernel adds a background thread's time (V8's concurrent marking,
 * sweeping and compiling) in 4 ms ticks, so that a 60 µs command read 4.1 ms of CPU in about one
 * sample of fifty (bench/README.md, "Clock"). Each inflates a different sample; the smaller
 * reading is the command's own time, its garbage-collection pauses included.
 */
function latency(wall: number, cpu: number): number {
  return clockKind === 'wall' ? wall : clockKind === 'cpu' ? cpu : Math.min(wall, cpu);
}
