import { escrowOf, type MilestoneEscrow } from '../domain/escrow/state.js';
import { tableEntries } from '../domain/shared/table.js';
import { readState, type JobState } from '../domain/state.js';
import { requireMilestoneId } from '../domain/review/clock.js';

/*
 * Named readers of a job's state, for apps and tests: the state keeps its records in id tables
 * (an in-memory layout that may change), so users read through these instead.
 */

/**
 * A milestone's money: funded = held + released + refunded (C1), and its fundings, oldest
 * first. All zero for a milestone that was never funded (or does not exist).
 *
 * @example
 * ```ts
 * import { logoDesign } from 'milestone-escrow/testing';
 * import { fold, milestoneMoney } from 'milestone-escrow';
 *
 * const state = fold(logoDesign.events);
 * const files = milestoneMoney(state, 'm5');
 * console.log(files.released, files.held); // 10000 0: paid out in full
 * ```
 * @category State
 */
export function milestoneMoney(state: JobState, milestoneId: string): MilestoneEscrow {
  requireMilestoneId(milestoneId);
  return readState(state, (s) => escrowOf(s.escrow, milestoneId));
}

/**
 * Every milestone that money was ever deposited for, by id (in id order).
 * @category State
 */
export function moneyByMilestone(state: JobState): ReadonlyMap<string, MilestoneEscrow> {
  const entries = readState(state, (s) => tableEntries(s.escrow.milestones));
  entries.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return new Map(entries);
}
