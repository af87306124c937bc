/*
 * fold: the library's trusted fold vs the hand-written mutable loop vs one immer `produce` per
 * event, on the realistic jobs and on the long job. validation: the history checker (checked
 * replay) vs the same two folds.
 */
import { isDeepStrictEqual } from 'node:util';
import { freeze } from 'immer';
import { fold, verifyHistory, type JobEvent } from 'milestone-escrow';
// The checker of events validated already, as the library's own callers use it (verified replay,
// the CLI, verifyHistory after parsing): since a3189b8 the public `createHistoryChecker` validates
// each pushed event too, a cost the `verifyHistory` row measures. Read from the source: internal.
import { createTrustedChecker } from '../../../src/domain/history.js';
import { freezeEvent as freezeForChecker } from '../../../src/domain/freeze-event.js';
import { freezeEvent } from 'milestone-escrow/store';
import fc from 'fast-check';
import { escrowArbitraries } from 'milestone-escrow/testing';
import { canonicalLibrary, canonicalMutable, mutableFold } from '../baselines.js';
import { immerPerEvent } from '../immer-baseline.js';
import { compare, keep, type Comparison, type CompareOptions, type Contender } from '../harness.js';
import type { LibraryModule } from '../instances.js';

function count(jobs: readonly JobEvent[][]): number {
  let n = 0;
  for (const job of jobs) n += job.length;
  return n;
}

/** Fails loudly if the mutable baseline does not compute what the library computes. */
export function checkBaselineAgrees(jobs: readonly JobEvent[][]): void {
  for (const job of jobs) {
    if (!isDeepStrictEqual(canonicalMutable(mutableFold(job)), canonicalLibrary(fold(job)))) {
      throw new Error(
        `the mutable baseline and the library disagree on ${JSON.stringify(job[0]?.data)}`,
      );
    }
  }
}

/**
 * The same check on part-two histories (disputes, settlements, review expiries, fees): seeded
 * legal histories from the testing toolkit's arbitraries. The workloads are v1 histories, but the
 * mutable loop folds the whole state, part two included, as the library does. Run after the
 * timings, so that part two's event shapes never reach the timed loops' type feedback.
 */
export function checkBaselineAgreesOnPartTwo(): number {
  const arb = escrowArbitraries(fc);
  const histories = fc.sample(arb.history({ minSteps: 40, maxSteps: 150 }), {
    numRuns: 300,
    seed: 20_261_130,
  });
  const jobs = histories.map((h) => h.events as JobEvent[]);
  checkBaselineAgrees(jobs);
  return count(jobs);
}

/**
 * Freezes events in place with the library's `freezeEvent`, as `decide`, `parseEvent` and the
 * stores leave theirs (what every load, replay and projection rebuild folds), and as an app with
 * its own store would: in place rather than through `parseEvent`'s copies, so that both folds read
 * the same compact `JSON.parse` objects (see bench/README.md, "Frozen events"). Takes one job's
 * events or a list of jobs.
 */
export function freezeEvents<T extends JobEvent[] | JobEvent[][]>(events: T): T {
  for (const x of events) {
    if (Array.isArray(x)) for (const e of x) freezeEvent(e);
    else freezeEvent(x);
  }
  return events;
}

/**
 * Runs both folds over both data sets a few times before anything is timed. Measured without it,
 * the mutable loop ran at half its speed in the first workload and at full speed in later ones
 * (V8 optimises it differently depending on which inputs it has seen first); so each side is
 * measured in its settled state.
 */
export function warmUp(jobs: readonly JobEvent[][], long: readonly JobEvent[]): void {
  for (let round = 0; round < 3; round++) {
    for (const job of jobs) {
      keep(mutableFold(job));
      keep(fold(job));
    }
    keep(mutableFold(long));
    keep(fold(long));
  }
}

export function libraryFold(
  jobs: readonly JobEvent[][],
  name = 'library fold',
  lib?: LibraryModule,
): Contender {
  const n = count(jobs);
  const f = lib?.fold ?? fold;
  return {
    name,
    run: () => {
      for (let i = 0; i < jobs.length; i++) keep(f(jobs[i] as JobEvent[]));
      return n;
    },
  };
}

export function mutableLoop(jobs: readonly JobEvent[][]): Contender {
  const n = count(jobs);
  return {
    name: 'mutable loop',
    run: () => {
      for (let i = 0; i < jobs.length; i++) keep(mutableFold(jobs[i] as JobEvent[]));
      return n;
    },
  };
}

export function immerFold(jobs: readonly JobEvent[][]): Contender {
  const n = count(jobs);
  return {
    name: 'immer produce/event',
    run: () => {
      for (let i = 0; i < jobs.length; i++) keep(immerPerEvent(jobs[i] as JobEvent[]));
      return n;
    },
  };
}

/**
 * immer `produce` per event on the long job: the whole 200,000 events would take minutes (each
 * money event copies the Map of 10,000 milestones and the Set of funding ids), so it folds a
 * window of `size` events that starts at the history's middle, from the state there.
 */
export function immerWindow(long: readonly JobEvent[], size: number): Contender {
  const mid = long.length >> 1;
  // The state there, made by the mutable loop and frozen as immer would hand it out (folding the
  // first half with immer itself would take hours: each event copies the growing Map and Set).
  const from = freeze(mutableFold(long.slice(0, mid)), true);
  const window = long.slice(mid, mid + size);
  return {
    name: 'immer produce/event',
    run: () => {
      keep(immerPerEvent(window, from));
      return window.length;
    },
  };
}

/**
 * The checker is the source's copy of the library, beside the built copy the other contenders
 * use, and each copy marks what it deep-froze with its own symbol: on events frozen by the built
 * copy's `freezeEvent`, the checker took every proposal's milestone list for unfrozen and walked
 * it (`allFrozen`, 7 % of its time on realistic jobs), which no app with one copy does. So it
 * checks its own copy of the events, frozen by its own `freezeEvent`, as the CLI's checker does.
 */
export function checkedReplay(given: readonly JobEvent[][]): Contender {
  const jobs = given.map((job) => job.map((event) => freezeForChecker(structuredClone(event))));
  const n = count(jobs);
  return {
    name: 'history checker',
    run: () => {
      for (let i = 0; i < jobs.length; i++) {
        const checker = createTrustedChecker();
        const job = jobs[i] as JobEvent[];
        for (let k = 0; k < job.length; k++) checker.push(job[k] as JobEvent);
        keep(checker.finish());
      }
      return n;
    },
  };
}

/** verifyHistory: the checker plus the schema validation of every event (untrusted JSON). */
export function verifiedReplay(jobs: readonly JobEvent[][]): Contender {
  const n = count(jobs);
  return {
    name: 'verifyHistory',
    run: () => {
      for (let i = 0; i < jobs.length; i++) keep(verifyHistory(jobs[i] as JobEvent[]));
      return n;
    },
  };
}

export interface FoldOptions extends CompareOptions {
  readonly immer: boolean;
  readonly verify: boolean;
}

/** The long job's target: the library's fold and the mutable loop alone, as `bench:check` measures it. */
export function foldLong(long: readonly JobEvent[], o: FoldOptions): Comparison {
  return compare(
    `fold: long job`,
    'mutable loop',
    [libraryFold([long as JobEvent[]]), mutableLoop([long as JobEvent[]])],
    o,
  );
}

/** The long job's other contenders (immer, unfrozen events), in rounds of their own with the mutable loop. */
export function foldLongOthers(
  long: readonly JobEvent[],
  o: FoldOptions & { readonly immerWindow: number },
  extra: readonly Contender[],
): Comparison {
  return compare(
    `fold: long job, others`,
    'mutable loop',
    [mutableLoop([long as JobEvent[]]), immerWindow(long, o.immerWindow), ...extra],
    o,
  );
}

export function validation(name: string, jobs: readonly JobEvent[][], o: FoldOptions): Comparison {
  const contenders = [checkedReplay(jobs), libraryFold(jobs), mutableLoop(jobs)];
  if (o.verify) contenders.push(verifiedReplay(jobs));
  return compare(`validation: ${name}`, 'mutable loop', contenders, o);
}
