import type { JobState } from './state.js';
import type { JobSlice } from './job/state.js';
import type { Terms, TermsSlice } from './terms/state.js';
import { ownMilestoneEscrow, type EscrowSlice, type MilestoneEscrow } from './escrow/state.js';
import { freezeTable, tableToWorking } from './shared/table.js';

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

/** Freezes a working copy in place (its tables become frozen tries) and returns it. */
export function freezeState(state: JobState): JobState {
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
  Object.freeze(escrow.totals);
  Object.freeze(escrow);
  return Object.freeze(state);
}

/**
 * A working copy of a state (frozen or itself a working copy), to fold more events into in place.
 * What the recipes replace rather than change (the award, the terms and their milestone lists)
 * is shared; what they change (the tables, each milestone's money and fundings, the totals) is
 * copied.
 */
export function workingCopy(state: JobState): JobState {
  const { job, terms, escrow } = state;
  return {
    version: state.version,
    job: { award: job.award, closedAt: job.closedAt, reviews: tableToWorking(job.reviews) },
    terms: {
      active: terms.active,
      pending: terms.pending,
      proposalIds: tableToWorking(terms.proposalIds),
      retiredMilestoneIds: tableToWorking(terms.retiredMilestoneIds),
    },
    escrow: {
      milestones: tableToWorking(escrow.milestones, ownMilestoneEscrow),
      fundingIds: tableToWorking(escrow.fundingIds),
      totals: { ...escrow.totals },
    },
  };
}

/**
 * A working copy that shares a frozen state's tables and values until a recipe changes them: the
 * slices and totals are copied (a few small objects), an id table is copied only along the path
 * to the id a recipe sets (`tableWith`), a milestone's money only when an event changes it. So
 * folding a few events onto a state of any size costs about what those events touch, and
 * `freezeState` freezes only what was copied.
 */
export function changeable(state: JobState): JobState {
  // A state that is not frozen (not one the library handed out) may be someone's: copied whole.
  if (!Object.isFrozen(state)) return workingCopy(state);
  const { job, terms, escrow } = state;
  return { version: state.version, job: { ...job }, terms: { ...terms }, escrow: { ...escrow, totals: { ...escrow.totals } } };
}
