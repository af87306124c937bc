import { readState, type JobState } from './state.js';
import { openDisputeOn } from './dispute/state.js';
import { dueAtOf } from './review/clock.js';
import { compareInstants } from './shared/time.js';

/*
 * The job's running deadlines (spec §11): what a timer runner reads. Each entry carries the exact
 * command to issue at or after `dueAt`; the runner adds the platform as actor and the time it
 * runs at. A pure function of the state: no clock.
 */

/**
 * The timer command of a review that runs out (R15).
 * @category Deadlines and fees
 */
export interface ExpireReviewTimer {
  readonly type: 'ExpireReview';
  readonly data: { readonly milestoneId: string };
}

/**
 * The timer command of a dispute offer left unanswered (R20).
 * @category Deadlines and fees
 */
export interface ExpireDisputeTimer {
  readonly type: 'ExpireDispute';
  readonly data: { readonly disputeId: string };
}

/**
 * One running deadline of a job and the command that acts on it.
 * @category Deadlines and fees
 */
export type Deadline =
  | {
      readonly kind: 'review';
      readonly milestoneId: string;
      /** When the client's review ends (R14). */
      readonly dueAt: string;
      readonly command: ExpireReviewTimer;
    }
  | {
      readonly kind: 'dispute';
      readonly milestoneId: string;
      readonly disputeId: string;
      /** When the current offer's answer is due (R16, R18). */
      readonly dueAt: string;
      readonly command: ExpireDisputeTimer;
    };

/**
 * Every running deadline of a job, earliest `dueAt` first (instants by value; ties: disputes
 * before reviews, then the active terms' order): the reviews whose clock runs (R14) and the
 * offers of open disputes that are not escalated (R19: once escalated, nothing expires).
 *
 * @example
 * ```ts
 * import { deadlines, initialState } from 'milestone-escrow';
 *
 * console.log(deadlines(initialState())); // []: nothing runs before the award
 * ```
 * @category Deadlines and fees
 */
export function deadlines(state: JobState): Deadline[] {
  return readState(state, deadlinesOf);
}

/** {@link deadlines} of a state the library made (unchecked: a timer runner's, a summary's). */
export function deadlinesOf(state: JobState): Deadline[] {
  const found: { deadline: Deadline; order: number }[] = [];
  const milestones = state.terms.active?.milestones ?? [];
  for (let i = 0; i < milestones.length; i++) {
    const milestoneId = (milestones[i] as { milestoneId: string }).milestoneId;
    const dispute = openDisputeOn(state.dispute, milestoneId);
    if (dispute !== undefined && !dispute.escalated) {
      const { disputeId, respondBy } = dispute;
      found.push({
        deadline: {
          kind: 'dispute',
          milestoneId,
          disputeId,
          dueAt: respondBy,
          command: { type: 'ExpireDispute', data: { disputeId } },
        },
        order: i,
      });
    }
    const dueAt = dueAtOf(state, milestoneId);
    if (dueAt !== undefined)
      found.push({
        deadline: {
          kind: 'review',
          milestoneId,
          dueAt,
          command: { type: 'ExpireReview', data: { milestoneId } },
        },
        order: milestones.length + i,
      });
  }
  return found
    .sort((a, b) => compareInstants(a.deadline.dueAt, b.deadline.dueAt) || a.order - b.order)
    .map((entry) => entry.deadline);
}
