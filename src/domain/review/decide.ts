import type { JobEvent } from '../events.js';
import type { JobState } from '../state.js';
import {
  activeMilestone,
  releaseOf,
  requireNoDispute,
  requireUnreleased,
} from '../escrow/decide.js';
import { escrowOf } from '../escrow/state.js';
import { fail } from '../shared/errors.js';
import type { ActorRole } from '../shared/schema.js';
import { compareInstants } from '../shared/time.js';
import { clockMotion, reviewDueAt } from './clock.js';
import type { ExpireReview } from './commands.js';

/**
 * R15: once a milestone's review clock has run out, the platform's timer or the freelancer
 * releases it: the client is deemed to have approved.
 */
export function decideReview(command: ExpireReview, state: JobState, role: ActorRole): JobEvent[] {
  if (role === 'client')
    fail(
      'FORBIDDEN',
      'The client releases with ReleaseFunds; ExpireReview is for the platform or the freelancer.',
      { rule: 'R15', role },
    );
  const { milestoneId } = command.data;
  activeMilestone(state, milestoneId);
  requireUnreleased(state, milestoneId);
  requireNoDispute(state, milestoneId);
  const dueAt = reviewDueAt(state, milestoneId);
  if (clockMotion(state, milestoneId) !== 'runs' || dueAt === undefined)
    fail(
      'REVIEW_NOT_RUNNING',
      `Milestone ${milestoneId} has no review running: it needs submitted work, no change request since, and its whole amount held.`,
      { rule: 'R15', milestoneId },
    );
  if (compareInstants(command.at, dueAt) < 0)
    fail('TOO_EARLY', `The client's review of milestone ${milestoneId} runs until ${dueAt}.`, {
      rule: 'R15',
      milestoneId,
      dueAt,
    });
  const held = escrowOf(state.escrow, milestoneId).held;
  return [
    { type: 'ReviewExpired', data: { milestoneId, by: role, dueAt, at: command.at } },
    releaseOf(state, milestoneId, held, command.at),
  ];
}
