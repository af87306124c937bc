import type { Draft } from 'immer';
import type { JobState } from '../state.js';
import { disputeOf } from '../dispute/state.js';
import { tableEntries, tableGet, tableIsEmpty, tableWith } from '../shared/table.js';
import { instantMs } from '../shared/time.js';
import { clockMayRun, clockMotion, type ClockMotion } from './clock.js';
import type { ReviewClock } from './state.js';

/*
 * After every event, each milestone's clock agrees with what the state says it does (R14): it
 * has a running clock (`since` set) while it runs, a paused one or none while paused, none (or
 * `null`) once reset. So an event moves only the clocks of the milestones it changes, and the
 * fold asks only what that event can change: most events of a v1 job can neither start nor stop
 * a clock, and answering that costs a table read, not a look through the terms.
 */

/** The clock after a motion: it starts at `at`, pauses keeping the time run, or resets. */
function clockAfter(
  clock: ReviewClock | null,
  motion: ClockMotion,
  at: string,
): ReviewClock | null {
  if (motion === 'reset') return null;
  if (motion === 'paused')
    // Time run never counts backwards (a v1 history's instants may go back).
    return clock !== null && clock.since !== null
      ? { ran: clock.ran + Math.max(0, instantMs(at) - instantMs(clock.since)), since: null }
      : clock;
  return clock === null || clock.since === null ? { ran: clock?.ran ?? 0, since: at } : clock;
}

/** A milestone's clock, `null` when it has none (never run, or reset). */
function clockIn(draft: Draft<JobState>, milestoneId: string): ReviewClock | null {
  return tableGet(draft.review.clocks, milestoneId) ?? null;
}

/** Moves one milestone's clock to what the state after an event says it does (R14). */
function tick(draft: Draft<JobState>, milestoneId: string, at: string): void {
  const state = draft as JobState;
  const clock = clockIn(draft, milestoneId);
  // Without a clock only a start changes anything, and a milestone that cannot run starts none.
  if (clock === null && !clockMayRun(state, milestoneId)) return;
  const next = clockAfter(clock, clockMotion(state, milestoneId), at);
  if (next !== clock) draft.review.clocks = tableWith(draft.review.clocks, milestoneId, next);
}

/*
 * What each event does to the clocks, called by the decider's `applyEvent` in the event's own
 * case, after the event's slice took it: one dispatch on the event's type, since comparing type
 * strings is a good part of a fold's cost (JSON.parse does not intern strings that long).
 */

/**
 * WorkSubmitted: a second submission changes nothing, so only a milestone without a clock may
 * start one, and a clock it starts has run nothing before (a reset clock is gone).
 */
export function reviewAfterSubmission(
  draft: Draft<JobState>,
  milestoneId: string,
  at: string,
): void {
  // What it holds says first whether it could start one (read once, and no look through the terms).
  if (!clockMayRun(draft, milestoneId) || clockIn(draft, milestoneId) !== null) return;
  if (clockMotion(draft, milestoneId) === 'runs')
    draft.review.clocks = tableWith(draft.review.clocks, milestoneId, { ran: 0, since: at });
}

/** MilestoneFunded: more money can start or resume the clock of a submitted milestone, and nothing else. */
export function reviewAfterFunding(draft: Draft<JobState>, milestoneId: string, at: string): void {
  if (tableIsEmpty(draft.job.reviews)) return;
  if (tableGet(draft.job.reviews, milestoneId) === 'submitted') tick(draft, milestoneId, at);
}

/** FundsRefunded: a refund can only pause or reset a clock, so a milestone without one keeps none. */
export function reviewAfterStop(draft: Draft<JobState>, milestoneId: string, at: string): void {
  if (tableIsEmpty(draft.review.clocks)) return;
  if (clockIn(draft, milestoneId) !== null) tick(draft, milestoneId, at);
}

/**
 * FundsReleased, ChangesRequested: the milestone is released (a release pays the whole of it,
 * R10) or its review is no longer submitted, so its clock resets whatever else the state says.
 */
export function reviewAfterEnd(draft: Draft<JobState>, milestoneId: string): void {
  if (tableIsEmpty(draft.review.clocks)) return;
  if (clockIn(draft, milestoneId) !== null)
    draft.review.clocks = tableWith(draft.review.clocks, milestoneId, null);
}

/** DisputeOpened, DisputeSettled: the clock pauses, or resets for good. */
export function reviewAfterDispute(draft: Draft<JobState>, milestoneId: string, at: string): void {
  tick(draft, milestoneId, at);
}

/** DisputeWithdrawn: the clock of the dispute's milestone resumes where it paused. */
export function reviewAfterWithdrawal(draft: Draft<JobState>, disputeId: string, at: string): void {
  const dispute = disputeOf(draft.dispute, disputeId);
  if (dispute !== undefined) tick(draft, dispute.milestoneId, at);
}

/**
 * TermsAccepted: new terms may raise, drop or keep any milestone under review, so the clock of
 * every submitted one moves (a clock that has run belongs to a submitted milestone).
 */
export function reviewAfterTerms(draft: Draft<JobState>, at: string): void {
  if (tableIsEmpty(draft.job.reviews)) return;
  for (const [milestoneId, review] of tableEntries(draft.job.reviews))
    if (review === 'submitted') tick(draft, milestoneId, at);
}
