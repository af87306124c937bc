import type { JobState } from './state.js';
import { frozenAward, type JobSlice } from './job/state.js';
import type { Proposal, Terms, TermsSlice } from './terms/state.js';
import { allFrozen } from './shared/freeze.js';
import { ownMilestoneEscrow, type EscrowSlice, type MilestoneEscrow } from './escrow/state.js';
import { freezeTable, tableToWorking } from './shared/table.js';
import type { DisputeSlice } from './dispute/state.js';
import type { ReviewSlice } from './review/state.js';

/*
 * A working copy is a mutable state the library folds events into in place (a fold from scratch,
 * the history checker, a projection's accumulator): plain objects, with its id tables as flat
 * arrays or `Map`s (see shared/table.ts).
 * `freezeState` turns one into a frozen state in place, knowing the state's shape, so each object
 * is frozen once without walking the strings and numbers inside (a generic deep freeze costs
 * about twice as much). Milestone lists shared with frozen events are frozen already and skipped.
 */

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

function freezeTerms(terms: Terms | null): void {
  if (terms === null) return;
  if (!Object.isFrozen(terms.milestones)) {
    for (const m of terms.milestones) Object.freeze(m);
    Object.freeze(terms.milestones);
  }
  Object.freeze(terms);
}

function freezeMilestoneEscrow(m: MilestoneEscrow): void {
  // Shared with the state a working copy started from (see `changeable`): frozen already.
  if (Object.isFrozen(m)) return;
  const fundings = m.fundings;
  for (let i = 0; i < fundings.length; i++) Object.freeze(fundings[i]);
  Object.freeze(fundings);
  Object.freeze(m);
}

// Marks a state the library froze all the way down (a non-enumerable symbol: JSON, spreads,
// structuredClone and deep equality never see it). Only such a state is shared by the
// copy-on-write working copy: a state frozen at the top by someone else may hide mutable parts.
const FROZEN_STATE: unique symbol = Symbol('milestone-escrow frozen state');

/**
 * True for a state the library froze all the way down and marked (`freezeState` marks states of
 * 64 events or more; `markFrozenState`).
 */
export function isLibraryState(state: JobState): boolean {
  // An own mark only: an object that merely inherits from a marked state is not one.
  return Object.prototype.hasOwnProperty.call(state, FROZEN_STATE);
}

/**
 * Marks a state as frozen all the way down by the library; call it on a fresh, unfrozen state
 * that is about to be deep-frozen (a snapshot freshly parsed), before freezing it.
 */
export function markFrozenState<T extends object>(state: T): T {
  Object.defineProperty(state, FROZEN_STATE, { value: true });
  return state;
}

/** Freezes a working copy in place (its tables become frozen tries) and returns it. */
export function freezeState(state: JobState): JobState {
  // Already frozen (a checker or a replayer finished twice): nothing to do.
  if (Object.isFrozen(state)) return state;
  const job = state.job as Mutable<JobSlice>;
  const terms = state.terms as Mutable<TermsSlice>;
  const escrow = state.escrow as Mutable<EscrowSlice>;
  // The award is frozen already: shared from a frozen event or frozen when copied (evolveJob).
  job.reviews = freezeTable(job.reviews);
  Object.freeze(job);
  freezeTerms(terms.active);
  freezeTerms(terms.pending);
  terms.proposalIds = freezeTable(terms.proposalIds);
  terms.retiredMilestoneIds = freezeTable(terms.retiredMilestoneIds);
  Object.freeze(terms);
  escrow.milestones = freezeTable(escrow.milestones, freezeMilestoneEscrow);
  escrow.fundingIds = freezeTable(escrow.fundingIds);
  escrow.settled = freezeTable(escrow.settled);
  Object.freeze(escrow.totals);
  Object.freeze(escrow);
  const dispute = state.dispute as Mutable<DisputeSlice>;
  // Disputes are replaced whole, never changed in place: each is frozen once, here.
  dispute.disputes = freezeTable(dispute.disputes, (d) => Object.freeze(d));
  dispute.openByMilestone = freezeTable(dispute.openByMilestone);
  Object.freeze(dispute);
  const review = state.review as Mutable<ReviewSlice>;
  review.clocks = freezeTable(review.clocks, (c) => Object.freeze(c));
  Object.freeze(review);
  // Marking costs about what the rest of freezing a small job does, and copying a small state
  // whole costs about what sharing it does: only states past a few dozen events are marked.
  if (state.version >= SHARE_FROM_VERSION) markFrozenState(state);
  return Object.freeze(state);
}

// The number of events from which a state is worth sharing rather than copying (`changeable`).
const SHARE_FROM_VERSION = 64;

/**
 * A working copy of any state (one the library handed out, a working copy, or someone's plain
 * data), to fold more events into in place. Nothing mutable is shared with `state`: the tables,
 * each milestone's money and list of fundings, the totals and the terms are copied; only objects
 * of strings and numbers that are frozen (the award, milestones, fundings) are shared, since
 * freezing them is freezing them all the way down.
 */
export function workingCopy(state: JobState): JobState {
  const { job, terms, escrow } = state;
  const award = job.award === null ? null : frozenAward(job.award);
  return {
    version: state.version,
    job: {
      award,
      closedAt: job.closedAt,
      reviews: tableToWorking(job.reviews),
      lastAt: job.lastAt,
    },
    terms: {
      active: copyTerms(terms.active),
      pending: copyTerms(terms.pending),
      proposalIds: tableToWorking(terms.proposalIds),
      retiredMilestoneIds: tableToWorking(terms.retiredMilestoneIds),
    },
    escrow: {
      milestones: tableToWorking(escrow.milestones, ownMilestoneEscrow),
      fundingIds: tableToWorking(escrow.fundingIds),
      settled: tableToWorking(escrow.settled),
      totals: { ...escrow.totals },
    },
    // Disputes and clocks are replaced whole when they change: shared, frozen or copied.
    dispute: {
      disputes: tableToWorking(state.dispute.disputes, (d) => (Object.isFrozen(d) ? d : { ...d })),
      openByMilestone: tableToWorking(state.dispute.openByMilestone),
      open: state.dispute.open,
    },
    review: {
      clocks: tableToWorking(state.review.clocks, (c) =>
        c === null || Object.isFrozen(c) ? c : { ...c },
      ),
    },
  };
}

function copyTerms<T extends Terms | Proposal>(terms: T | null): T | null {
  if (terms === null) return null;
  const milestones = allFrozen(terms.milestones)
    ? terms.milestones
    : terms.milestones.map((m) => ({ ...m }));
  return { ...terms, milestones };
}

/**
 * A working copy that shares a frozen state's tables and values until a recipe changes them: the
 * slices and totals are copied (a few small objects), an id table is copied only along the path
 * to the id a recipe sets (`tableWith`), a milestone's money only when an event changes it. So
 * folding a few events onto a state of any size costs about what those events touch, and
 * `freezeState` freezes only what was copied.
 */
export function changeable(state: JobState): JobState {
  // A state the library did not freeze itself may hide mutable parts (someone's): copied whole.
  if (!isLibraryState(state)) return workingCopy(state);
  const { job, terms, escrow } = state;
  return {
    version: state.version,
    job: { ...job },
    terms: { ...terms },
    escrow: { ...escrow, totals: { ...escrow.totals } },
    dispute: { ...state.dispute },
    review: { ...state.review },
  };
}
