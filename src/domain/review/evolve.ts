import type { Draft } from 'immer';
import type { JobState } from '../state.js';
import { disputeOf } from '../dispute/state.js';
import { tableGet, tableIsEmpty, tableWith } from '../shared/table.js';
import { instantMs } from '../shared/time.js';
import { moneyMayRun, motionOf, type ClockMotion } from './clock.js';
import { escrowOf } from '../escrow/state.js';
import type { ReviewClock } from './state.js';
import { milestonesMoved, type Terms } from '../terms/state.js';

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

/** Sets a milestone's clock to what `motion` makes of it (written only when it changes). */
function moveClock(
  draft: Draft<JobState>,
  milestoneId: string,
  clock: ReviewClock | null,
  motion: ClockMotion,
  at: string,
): void {
  const next = clockAfter(clock, motion, at);
  if (next !== clock) draft.review.clocks = tableWith(draft.review.clocks, milestoneId, next);
}

/**
 * Moves one milestone's clock to what the state after an event says it does (R14); `clock` is
 * the milestone's clock when the caller has read it already.
 */
function tick(
  draft: Draft<JobState>,
  milestoneId: string,
  at: string,
  clock: ReviewClock | null = clockIn(draft, milestoneId),
): void {
  const money = escrowOf(draft.escrow, milestoneId);
  // Without a clock only a start changes anything, and a milestone that cannot run starts none.
  if (clock === null && !moneyMayRun(money)) return;
  const review = tableGet(draft.job.reviews, milestoneId);
  moveClock(draft, milestoneId, clock, motionOf(draft, milestoneId, review, money), at);
}

/*
 * What each event does to the clocks, called by the decider's `applyEvent` in the event's own
 * case, after the event's slice took it: one dispatch on the event's type, since comparing type
 * strings is a good part of a fold's cost (JSON.parse does not intern strings that long). Each
 * reads what it needs once: on a job of thousands of milestones a read is a hash lookup.
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
  // What it holds says first whether it could start one (no look through the terms).
  const money = escrowOf(draft.escrow, milestoneId);
  if (!moneyMayRun(money) || clockIn(draft, milestoneId) !== null) return;
  moveClock(draft, milestoneId, null, motionOf(draft, milestoneId, 'submitted', money), at);
}

/**
 * MilestoneFunded: more money can start or resume the clock of a submitted milestone, and nothing
 * else (a running clock goes on running).
 */
export function reviewAfterFunding(draft: Draft<JobState>, milestoneId: string, at: string): void {
  if (tableIsEmpty(draft.job.reviews)) return;
  if (tableGet(draft.job.reviews, milestoneId) !== 'submitted') return;
  const clock = clockIn(draft, milestoneId);
  if (clock !== null && clock.since !== null) return;
  const motion = motionOf(draft, milestoneId, 'submitted', escrowOf(draft.escrow, milestoneId));
  moveClock(draft, milestoneId, clock, motion, at);
}

/** FundsRefunded: a refund can only pause or reset a clock, so a milestone without one keeps none. */
export function reviewAfterStop(draft: Draft<JobState>, milestoneId: string, at: string): void {
  if (tableIsEmpty(draft.review.clocks)) return;
  const clock = clockIn(draft, milestoneId);
  if (clock !== null) tick(draft, milestoneId, at, clock);
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
 * TermsAccepted: new terms may raise, drop or bring back any milestone under review. Acceptance
 * moves no money, so only the clock of a submitted milestone that entered or left the active terms
 * or whose amount changed can move (a clock that has run belongs to a submitted milestone).
 */
export function reviewAfterTerms(draft: Draft<JobState>, before: Terms | null, at: string): void {
  if (tableIsEmpty(draft.job.reviews)) return;
  for (const milestoneId of milestonesMoved(before, draft.terms.active))
    if (tableGet(draft.job.reviews, milestoneId) === 'submitted') tick(draft, milestoneId, at);
}
