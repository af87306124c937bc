/*
 * Sampling handle calls one at a time, each read on the wall clock and on process CPU time, and
 * the p99 over every round's samples together.
 */
import { gc } from '../harness.js';
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
