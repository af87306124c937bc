import type { JobEvent } from '../events.js';
import type { JobState } from '../state.js';
import type { Role } from '../shared/schema.js';
import { assertNever } from '../shared/never.js';
import type { TermsEvent } from '../terms/events.js';
import {
  acceptanceRefunds,
  checkAcceptTerms,
  checkDeclineTerms,
  checkProposeTerms,
  checkWithdrawTerms,
  refundPrefunds,
  supersededRefunds,
} from '../terms/decide.js';

/**
 * Checks a stored terms event in place against what its command requires (R2–R5, R8, R9: the
 * checks `decideTerms` makes) and returns the refunds its decision owes after it.
 */
export function checkTermsEvent(
  event: TermsEvent,
  state: JobState,
  role: Role,
): readonly JobEvent[] {
  const at = event.data.at;
  switch (event.type) {
    case 'TermsProposed':
      checkProposeTerms(state, role, event.data.proposalId, event.data.milestones);
      return supersededRefunds(state, at);
    case 'TermsAccepted':
      return acceptanceRefunds(state, checkAcceptTerms(state, role, event.data.proposalId), at);
    case 'TermsDeclined': {
      const declined = checkDeclineTerms(state, role, event.data.proposalId);
      return refundPrefunds(state, declined, 'terms-declined', at);
    }
    case 'TermsWithdrawn': {
      const withdrawn = checkWithdrawTerms(state, role, event.data.proposalId);
      return refundPrefunds(state, withdrawn, 'terms-withdrawn', at);
    }
    default:
      return assertNever(event, 'terms event');
  }
}
