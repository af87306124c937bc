/** The targets of issue 6: each is a ratio measured in one run (medians of several rounds). */
export interface Target {
  readonly id: string;
  readonly what: string;
  /** `min`: measured ≥ bound; `max`: measured ≤ bound; `under`: measured < bound. */
  readonly kind: 'min' | 'max' | 'under';
  readonly bound: number;
  readonly unit: string;
}

export const TARGETS = {
  foldRealistic: {
    id: 'fold.realistic',
    what: 'library fold / mutable fold, realistic jobs',
    kind: 'min',
    bound: 0.5,
    unit: '×',
  },
  foldLong: {
    id: 'fold.long',
    what: 'library fold / mutable fold, long job',
    kind: 'min',
    bound: 0.5,
    unit: '×',
  },
  checkedRealistic: {
    id: 'validation.realistic',
    what: 'history checker / mutable fold, realistic jobs',
    kind: 'min',
    bound: 0.3,
    unit: '×',
  },
  checkedLong: {
    id: 'validation.long',
    what: 'history checker / mutable fold, long job',
    kind: 'min',
    bound: 0.3,
    unit: '×',
  },
  replayRate: {
    id: 'replay.rate',
    what: 'CLI replay / JSON.parse of the lines, events/s',
    kind: 'min',
    bound: 0.5,
    unit: '×',
  },
  replayRss: {
    id: 'replay.rss',
    what: 'CLI replay peak RSS',
    // Issue 6: "peak RSS < 200 MiB".
    kind: 'under',
    bound: 200,
    unit: 'MiB',
  },
  handleP99: {
    id: 'handle.p99',
    what: 'handle p99, 200,000-event job (snapshot) / 20-event job, no cache',
    kind: 'max',
    bound: 2,
    unit: '×',
  },
  handleP99Cached: {
    id: 'handle.p99.cached',
    what: 'handle p99, the same with the default cache',
    kind: 'max',
    bound: 2,
    unit: '×',
  },
  handleVsEmmett: {
    id: 'handle.emmett',
    what: "commands/s, our handler / Emmett's DeciderCommandHandler, 20-event jobs",
    kind: 'min',
    bound: 1,
    unit: '×',
  },
} as const satisfies Record<string, Target>;

export interface Verdict {
  readonly target: Target;
  readonly measured: number;
  readonly pass: boolean;
  readonly detail: string;
}

export function verdict(target: Target, measured: number, detail: string): Verdict {
  const pass =
    target.kind === 'min'
      ? measured >= target.bound
      : target.kind === 'max'
        ? measured <= target.bound
        : measured < target.bound;
  return { target, measured, pass, detail };
}
