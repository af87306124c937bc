import type { JobEvent } from '../events.js';
import type { JobState } from '../state.js';
import type { EscrowEvent } from '../escrow/events.js';
import {
  checkFundMilestone,
  checkRefundMilestone,
  checkReleaseFunds,
  releaseOf,
} from '../escrow/decide.js';
import { refundAllHeld } from '../escrow/refunds.js';
import type { Role } from '../shared/schema.js';
import { assertNever } from '../shared/never.js';
import { NOTHING } from './compare.js';

/**
 * Checks a stored money event in place against what its command requires (R5–R7, R10, R11, R17,
 * R21: the checks `decideEscrow` makes). A funding owes nothing after it; a release and a refund
 * by the freelancer return their whole decision, whose amounts the stored events must match.
 * A refund of any other reason never starts a decision: the checker rejects it before this.
 */
export function checkEscrowEvent(
  event: EscrowEvent,
  state: JobState,
  role: Role,
): readonly JobEvent[] {
  const { milestoneId, at } = event.data;
  switch (event.type) {
    case 'MilestoneFunded': {
      // The amount funded is the command's guard: a different remainder is AMOUNT_MISMATCH (R6).
      const { fundingId, amount } = event.data;
      checkFundMilestone(state, role, milestoneId, fundingId, amount);
      return NOTHING;
    }
    case 'FundsReleased':
      return [releaseOf(state, milestoneId, checkReleaseFunds(state, role, milestoneId), at)];
    case 'FundsRefunded':
      checkRefundMilestone(state, role, milestoneId);
      return refundAllHeld(state.escrow, milestoneId, 'refunded-by-freelancer', at);
    default:
      return assertNever(event, 'escrow event');
  }
}
