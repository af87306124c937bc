import type { Funding } from './state.js';

/*
 * Where a funding is in its milestone's list, by id. A refund names its funding, and scanning the
 * list for each one made the refunds of a milestone of n fundings cost n²/2 steps: folding 20,000
 * refunds took 1.3 s, 40,000 took 5.6 s. The newest few are scanned, as before (a command's
 * refunds take the newest first, R9, and most milestones have a few fundings); past them, an index
 * of the list answers, built once and kept beside it in a `WeakMap`, so the state's shape, its
 * JSON and its snapshots stay as they are. A frozen list never changes, so its index stays true; a
 * working copy's own list is only pushed onto (`addFunding`) or has a funding replaced by a copy
 * with the same id (`fundingToChange`), and a push updates the index.
 */

// The newest fundings scanned before the index is used (or built): below this, no index.
const SCAN = 32;

const indexes = new WeakMap<readonly Funding[], Map<string, number>>();

// Fundings read by the lookups so far, for the test that they stay linear (not timed).
let examined = 0;

/** The position of a funding in a milestone's list (the newest of that id), or -1. */
export function positionIn(fundings: readonly Funding[], fundingId: string): number {
  const n = fundings.length;
  const stop = n > SCAN ? n - SCAN : 0;
  for (let i = n - 1; i >= stop; i--)
    if ((fundings[i] as Funding).fundingId === fundingId) {
      examined += n - i;
      return i;
    }
  examined += n - stop;
  if (stop === 0) return -1;
  let index = indexes.get(fundings);
  if (index === undefined) {
    index = new Map();
    // Oldest first, so that the newest of a repeated id wins, as the scan finds it.
    for (let i = 0; i < n; i++) index.set((fundings[i] as Funding).fundingId, i);
    examined += n;
    indexes.set(fundings, index);
  }
  return index.get(fundingId) ?? -1;
}

/**
 * `copy`, at the same positions, replaces `list` in a working copy: the index of `list`, if it has
 * one, moves to `copy` (shared, the copy's pushes would reach the list it was copied from; the
 * list is indexed again if it is ever read again).
 */
export function indexMoved(list: readonly Funding[], copy: readonly Funding[]): void {
  const index = indexes.get(list);
  if (index === undefined) return;
  indexes.delete(list);
  indexes.set(copy, index);
}

/** A working copy pushed the funding at `position` onto its own `list`: its index learns it. */
export function indexPushed(list: readonly Funding[], position: number): void {
  indexes.get(list)?.set((list[position] as Funding).fundingId, position);
}

/** How many fundings the lookups have read so far (for tests of their cost, not timed). */
export function fundingsExamined(): number {
  return examined;
}
