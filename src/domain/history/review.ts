import type { JobEvent } from '../events.js';
import type { JobState } from '../state.js';
import type { ReviewExpired } from '../review/events.js';
import { checkExpireReview, reviewExpiry } from '../review/decide.js';
import type { ActorRole } from '../shared/schema.js';

/** Checks a stored review expiry in place (R15: `decideReview`'s checks); returns its decision. */
export function checkReviewEvent(
  event: ReviewExpired,
  state: JobState,
  role: ActorRole,
): JobEvent[] {
  const { milestoneId, at } = event.data;
  const dueAt = checkExpireReview(state, role, milestoneId, at);
  return reviewExpiry(state, role, milestoneId, dueAt, at);
}
