import { readState, type JobState } from '../state.js';
import { fail } from '../shared/errors.js';
import { describe } from '../shared/parse.js';
import { openDisputeOn } from '../dispute/state.js';
import { escrowOf, isSettled, type MilestoneEscrow } from '../escrow/state.js';
import { policyOf } from '../job/policy.js';
import { tableGet } from '../shared/table.js';
import { DAY_MS, formatInstant, instantMs } from '../shared/time.js';
import { milestoneIn } from '../terms/state.js';
import { clockOf } from './state.js';
import type { ReviewStatus } from '../job/state.js';

/*
 * R14, the review clock, as pure functions of the state.
 */

/**
 * What a milestone's review clock does in a state (R14): it `runs` while the milestone is active,
 * submitted, fully funded, neither released nor settled and undisputed; it is `paused` (keeping
 * the time run) while a submitted milestone is short of funds or disputed; otherwise it is
 * `reset` (not submitted, not active, or done).
 * @category Deadlines and fees
 */
export type ClockMotion = 'runs' | 'paused' | 'reset';

/**
 * What the review clock of a milestone does in a state (R14).
 * @category Deadlines and fees
 */
export function clockMotion(state: JobState, milestoneId: string): ClockMotion {
  return motionOf(
    state,
    milestoneId,
    tableGet(state.job.reviews, milestoneId),
    escrowOf(state.escrow, milestoneId),
  );
}

/**
 * `clockMotion`, given the milestone's review and money already read (a fold reads each table
 * once per event: with thousands of milestones a read is a hash lookup).
 */
export function motionOf(
  state: JobState,
  milestoneId: string,
  review: ReviewStatus | undefined,
  money: MilestoneEscrow,
): ClockMotion {
  if (review !== 'submitted') return 'reset';
  // Done (released or settled) is asked before active: a released milestone keeps its
  // `submitted` review, and finding it in the terms may scan them.
  if (money.released > 0 || isSettled(state.escrow, milestoneId)) return 'reset';
  const milestone = milestoneIn(state.terms.active, milestoneId);
  if (milestone === undefined) return 'reset';
  if (money.held < milestone.amount) return 'paused';
  if (openDisputeOn(state.dispute, milestoneId) !== undefined) return 'paused';
  return 'runs';
}

/**
 * False when a milestone's clock cannot run, known without finding it in the terms: it holds
 * nothing (amounts are positive, so nothing held is short of any) or it was released.
 */
export function moneyMayRun(money: MilestoneEscrow): boolean {
  return money.held > 0 && money.released === 0;
}

/**
 * When the client's review of a milestone ends, while its clock runs (R14):
 * `started + reviewDays × 24 h − time run before`; `undefined` while it does not run.
 * @category Deadlines and fees
 */
export function reviewDueAt(state: JobState, milestoneId: string): string | undefined {
  requireMilestoneId(milestoneId);
  return readState(state, (s) => dueAtOf(s, milestoneId));
}

/** {@link reviewDueAt} on a state the library made (unchecked: decide and deadlines ask it). */
export function dueAtOf(state: JobState, milestoneId: string): string | undefined {
  const clock = clockOf(state.review, milestoneId);
  if (clock === undefined || clock.since === null) return undefined;
  const days = policyOf(state.job.award).reviewDays;
  return formatInstant(instantMs(clock.since) + days * DAY_MS - clock.ran);
}

/** A milestone id handed to a public function is a string (a number made a TypeError in a lookup). */
export function requireMilestoneId(milestoneId: unknown): asserts milestoneId is string {
  if (typeof milestoneId !== 'string')
    fail('INVALID_INPUT', `milestoneId must be a string, not ${describe(milestoneId)}`, {
      path: 'milestoneId',
    });
}
