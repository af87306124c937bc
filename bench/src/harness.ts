/*
 * Interleaved rounds: each round runs every contender of a workload once, in a rotating order,
 * after a forced GC, and times it with the monotonic clock. A ratio is computed inside each
 * round (so a burst of noise from another process hits both sides of it) and the reported ratio
 * is the median of the rounds' ratios.
 */

export interface Contender {
  readonly name: string;
  /** Runs the workload once and returns the number of events (or operations) it processed. */
  readonly run: () => number;
}

export interface ContenderResult {
  readonly name: string;
  /** Events per second, one per measured round. */
  readonly rates: number[];
  readonly medianRate: number;
}

export interface Comparison {
  readonly workload: string;
  readonly baseline: string;
  readonly contenders: ContenderResult[];
  /** contender rate / baseline rate, median over the rounds, keyed by contender name. */
  readonly ratios: Record<string, number>;
}

let sink: unknown;
/** Keeps a value alive so the work that made it cannot be optimised away. */
export function keep(value: unknown): void {
  sink = value;
}
export function kept(): unknown {
  return sink;
}

export function gc(): void {
  const g = (globalThis as { gc?: () => void }).gc;
  if (g !== undefined) g();
}

export function median(values: readonly number[]): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1
    ? (sorted[mid] as number)
    : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
}

export function quantile(values: readonly number[], q: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const at = Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1));
  return sorted[at] as number;
}

/** Times one run, in seconds. */
export function time(run: () => number): { seconds: number; count: number } {
  const t0 = process.hrtime.bigint();
  const count = run();
  const t1 = process.hrtime.bigint();
  return { seconds: Number(t1 - t0) / 1e9, count };
}

export interface CompareOptions {
  readonly rounds: number;
  /** Rounds run first and thrown away (JIT warm-up). */
  readonly warmup: number;
  readonly log?: (line: string) => void;
}

export function compare(
  workload: string,
  baseline: string,
  contenders: readonly Contender[],
  options: CompareOptions,
): Comparison {
  const rates = new Map<string, number[]>(contenders.map((c) => [c.name, []]));
  const perRound: Array<Map<string, number>> = [];
  for (let round = 0; round < options.warmup + options.rounds; round++) {
    const measured = round >= options.warmup;
    const thisRound = new Map<string, number>();
    for (let k = 0; k < contenders.length; k++) {
      const c = contenders[(k + round) % contenders.length] as Contender;
      gc();
      const { seconds, count } = time(c.run);
      const rate = count / seconds;
      thisRound.set(c.name, rate);
      if (measured) rates.get(c.name)?.push(rate);
    }
    if (measured) perRound.push(thisRound);
    options.log?.(
      `  ${workload} ${measured ? `round ${String(round - options.warmup + 1)}/${String(options.rounds)}` : 'warm-up'}: ` +
        [...thisRound].map(([n, r]) => `${n} ${formatRate(r)}`).join(', '),
    );
  }
  const ratios: Record<string, number> = {};
  for (const c of contenders) {
    if (c.name === baseline) continue;
    ratios[c.name] = median(
      perRound.map((r) => (r.get(c.name) as number) / (r.get(baseline) as number)),
    );
  }
  return {
    workload,
    baseline,
    contenders: contenders.map((c) => {
      const r = rates.get(c.name) as number[];
      return { name: c.name, rates: r, medianRate: median(r) };
    }),
    ratios,
  };
}

/** A count as the tables print it: 1,000,000. */
export function formatCount(x: number): string {
  return x.toLocaleString('en-US');
}

/** A contender's median rate in a comparison (NaN if it is not one of them). */
export function rateOf(c: Comparison, name: string): number {
  return c.contenders.find((x) => x.name === name)?.medianRate ?? Number.NaN;
}

/** A comparison's rows in the fold tables: workload, events, contender, rate, ratio. */
export function comparisonRows(c: Comparison, events: string): string[][] {
  return c.contenders.map((x) => [
    c.workload,
    events,
    x.name,
    formatRate(x.medianRate),
    x.name === c.baseline ? '1 (baseline)' : (c.ratios[x.name] ?? Number.NaN).toFixed(3),
  ]);
}

export function formatRate(perSecond: number): string {
  if (perSecond >= 1e6) return `${(perSecond / 1e6).toFixed(2)} M/s`;
  if (perSecond >= 1e3) return `${(perSecond / 1e3).toFixed(1)} k/s`;
  return `${perSecond.toFixed(0)} /s`;
}

export function formatDuration(seconds: number): string {
  if (seconds >= 1) return `${seconds.toFixed(2)} s`;
  if (seconds >= 1e-3) return `${(seconds * 1e3).toFixed(2)} ms`;
  return `${(seconds * 1e6).toFixed(1)} µs`;
}
