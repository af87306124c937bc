import { freezeEscrowSlice } from './escrow/state.js';
import { freezeJobSlice } from './job/state.js';
import { jobStateShape, type JobState } from './state.js';
import { freezeTermsSlice } from './terms/state.js';
import { frozenDisputeSlice } from './dispute/state.js';
import { frozenReviewSlice } from './review/state.js';

/*
 * A working copy is a mutable state the library folds events into in place (a fold from scratch,
 * the history checker, a projection's accumulator): plain objects, with its id tables as flat
 * arrays or `Map`s (see shared/table.ts). Copying and sharing follow the state's shape, declared
 * once in state.ts (`jobStateShape`). Freezing is each slice's (its state.ts): each object is
 * frozen once, without walking the strings and numbers inside (a generic deep freeze costs about
 * twice as much), and parts frozen already (milestone lists shared with frozen events, money
 * shared with an earlier state) are skipped.
 */

// Marks a state the library froze all the way down (a non-enumerable symbol: JSON, spreads,
// structuredClone and deep equality never see it). Only such a state is shared by the
// copy-on-write working copy: a state frozen at the top by someone else may hide mutable parts.
const FROZEN_STATE: unique symbol = Symbol('milestone-escrow frozen state');

/**
 * True for a state the library froze all the way down and marked (`freezeState` marks states of
 * 64 events or more; `markFrozenState`).
 */
export function isLibraryState(state: JobState): boolean {
  try {
    // An own mark only: an object that merely inherits from a marked state is not one.
    return Object.prototype.hasOwnProperty.call(state, FROZEN_STATE);
  } catch {
    // A revoked proxy, or one whose traps throw: no state the library made (a TypeError before).
    return false;
  }
}

/**
 * Marks a state as frozen all the way down by the library; call it on a fresh, unfrozen state
 * that is about to be deep-frozen (a snapshot freshly read), before freezing it.
 */
export function markFrozenState<T extends object>(state: T): T {
  if (!Object.prototype.hasOwnProperty.call(state, FROZEN_STATE))
    Object.defineProperty(state, FROZEN_STATE, { value: true });
  return state;
}

// The number of events from which a state is worth sharing rather than copying (`changeable`):
// marking costs about what the rest of freezing a small job does, and copying a small state
// whole costs about what sharing it does.
const SHARE_FROM_VERSION = 64;

/** Freezes a working copy in place (its tables become frozen tries) and returns it. */
export function freezeState(state: JobState): JobState {
  // Already frozen (a checker or a replayer finished twice): nothing to do.
  if (Object.isFrozen(state)) return state;
  if (state.version >= SHARE_FROM_VERSION) markFrozenState(state);
  // Each slice freezes its own (its state.ts): written out there, since a freeze derived from
  // the shape cost a realistic fold 27 %.
  freezeJobSlice(state.job);
  freezeTermsSlice(state.terms);
  freezeEscrowSlice(state.escrow);
  const working = state as { -readonly [K in keyof JobState]: JobState[K] };
  working.dispute = frozenDisputeSlice(state.dispute);
  working.review = frozenReviewSlice(state.review);
  return Object.freeze(state);
}

/**
 * A working copy of any state (one the library handed out, a working copy, or someone's plain
 * data), to fold more events into in place. Nothing mutable is shared with `state`; only parts
 * frozen all the way down that recipes never change in place (the award, milestone lists,
 * fundings) are shared.
 */
export function workingCopy(state: JobState): JobState {
  return jobStateShape.working(state);
}

/**
 * A working copy that shares a frozen state's tables and values until a recipe changes them: the
 * slices and totals are copied (a few small objects), an id table is copied only along the path
 * to the id a recipe sets (`tableWith`), a milestone's money only when an event changes it
 * (`milestoneToChange`). So folding a few events onto a state of any size costs about what those
 * events touch, and `freezeState` freezes only what was copied.
 */
export function changeable(state: JobState): JobState {
  // A state the library did not freeze itself may hide mutable parts (someone's): copied whole.
  if (!isLibraryState(state)) return workingCopy(state);
  return jobStateShape.changeable(state);
}
