import type { JobState } from './state.js';
import type { Terms } from './terms/state.js';
import type { MilestoneEscrow } from './escrow/state.js';
import { freezeTable } from './shared/table.js';

/*
 * Freezes a state built by the mutable fold. It knows the state's shape, so it freezes each
 * object once without walking the strings and numbers inside (a generic deep freeze costs about
 * twice as much, and freezing is most of what a fold pays for handing out immutable states).
 * Milestone lists shared with frozen events are frozen already and skipped.
 */

function freezeTerms(terms: Terms | null): void {
  if (terms === null) return;
  if (!Object.isFrozen(terms.milestones)) {
    for (const m of terms.milestones) Object.freeze(m);
    Object.freeze(terms.milestones);
  }
  Object.freeze(terms);
}

function freezeMilestoneEscrow(m: MilestoneEscrow): void {
  if (Object.isFrozen(m)) return;
  for (const f of m.fundings) Object.freeze(f);
  Object.freeze(m.fundings);
  Object.freeze(m);
}

/** Freezes a state in place and returns it. */
export function freezeState(state: JobState): JobState {
  const { job, terms, escrow } = state;
  if (job.award !== null) Object.freeze(job.award);
  freezeTable(job.reviews);
  Object.freeze(job);
  freezeTerms(terms.active);
  freezeTerms(terms.pending);
  freezeTable(terms.proposalIds);
  freezeTable(terms.retiredMilestoneIds);
  Object.freeze(terms);
  freezeTable(escrow.milestones, freezeMilestoneEscrow);
  freezeTable(escrow.fundingIds);
  Object.freeze(escrow.totals);
  Object.freeze(escrow);
  return Object.freeze(state);
}
