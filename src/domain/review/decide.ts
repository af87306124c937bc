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
import { compareInstants, FIRST_INSTANT_MS, instantMs, LAST_INSTANT_MS } from '../shared/time.js';
import { clockMotion, dueAtOf } from './clock.js';
import type { ExpireReview } from './commands.js';

/**
 * What `ExpireReview` requires (R15): the platform or the freelancer, an active milestone whose
 * review clock runs and has run out by `at`. Returns when it ran out. Shared by `decideReview`
 * and the history checker.
 */
export function checkExpireReview(
  state: JobState,
  role: ActorRole,
  milestoneId: string,
  at: string,
): string {
  if (role === 'client')
    fail(
      'FORBIDDEN',
      'The client releases with ReleaseFunds; ExpireReview is for the platform or the freelancer.',
      { rule: 'R15', role },
    );
  activeMilestone(state, milestoneId);
  requireUnreleased(state, milestoneId);
  requireNoDispute(state, milestoneId);
  const dueAt = dueAtOf(state, milestoneId);
  if (clockMotion(state, milestoneId) !== 'runs' || dueAt === undefined)
    fail(
      'REVIEW_NOT_RUNNING',
      `Milestone ${milestoneId} has no review running: it needs submitted work, no change request since, and its whole amount held.`,
      { rule: 'R15', milestoneId },
    );
  if (compareInstants(at, dueAt) < 0)
    fail('TOO_EARLY', `The client's review of milestone ${milestoneId} runs until ${dueAt}.`, {
      rule: 'R15',
      milestoneId,
      dueAt,
    });
  // A deadline the wire cannot write (as `deadlineAfter` refuses one): ReviewExpired records it.
  const dueMs = instantMs(dueAt);
  if (dueMs > LAST_INSTANT_MS || dueMs < FIRST_INSTANT_MS)
    fail(
      'INVALID_INPUT',
      `command at: the review of milestone ${milestoneId} ran out at ${dueAt}, outside the years 0000–9999, which an instant cannot write.`,
      { path: 'at' },
    );
  return dueAt;
}

/** R15's decision once checked: the expiry, then the release of the whole milestone. */
export function reviewExpiry(
  state: JobState,
  by: ActorRole,
  milestoneId: string,
  dueAt: string,
  at: string,
): JobEvent[] {
  const held = escrowOf(state.escrow, milestoneId).held;
  return [
    { type: 'ReviewExpired', data: { milestoneId, by, dueAt, at } },
    releaseOf(state, milestoneId, held, at),
  ];
}

/**
 * R15: once a milestone's review clock has run out, the platform's timer or the freelancer
 * releases it: the client is deemed to have approved.
 */
export function decideReview(command: ExpireReview, state: JobState, role: ActorRole): JobEvent[] {
  const { milestoneId } = command.data;
  const dueAt = checkExpireReview(state, role, milestoneId, command.at);
  return reviewExpiry(state, role, milestoneId, dueAt, command.at);
}
