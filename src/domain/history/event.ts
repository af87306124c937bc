import type { JobCommand } from '../commands.js';
import { actorRole, admitCommand, requirePartyCommand } from '../decider.js';
import type { JobEvent } from '../events.js';
import type { JobState } from '../state.js';
import { platformIdOf } from '../job/policy.js';
import { assertNever } from '../shared/never.js';
import type { ActorRole } from '../shared/schema.js';
import { NOTHING } from './compare.js';
import { checkDisputeEvent } from './dispute.js';
import { checkReviewEvent } from './review.js';
import { checkEscrowEvent } from './escrow.js';
import { checkAwardEvent, checkJobEvent } from './job.js';
import { checkTermsEvent } from './terms.js';

/*
 * A stored event that starts a decision, checked in place: the checks every command passes
 * (`admitCommand`, `actorRole`), then its own slice's, with the event's own values. The checks
 * are the ones `decide` makes, shared, so a history is legal exactly when `decide` would have
 * written it.
 */

/** The id of the actor that plays `role` in the awarded job (`''` before the award). */
function actorFor(state: JobState, role: ActorRole): string {
  const award = state.job.award;
  if (award === null) return '';
  if (role === 'platform') return platformIdOf(award);
  return role === 'client' ? award.clientId : award.freelancerId;
}

/** The command whose decision starts with this event. */
function commandOf(event: Exclude<JobEvent, { type: 'JobAwarded' }>): JobCommand['type'] {
  switch (event.type) {
    case 'TermsProposed':
      return 'ProposeTerms';
    case 'TermsAccepted':
      return 'AcceptTerms';
    case 'TermsDeclined':
      return 'DeclineTerms';
    case 'TermsWithdrawn':
      return 'WithdrawTerms';
    case 'MilestoneFunded':
      return 'FundMilestone';
    case 'FundsReleased':
      return 'ReleaseFunds';
    case 'FundsRefunded':
      return 'RefundMilestone';
    case 'WorkSubmitted':
      return 'SubmitWork';
    case 'ChangesRequested':
      return 'RequestChanges';
    case 'JobClosed':
      return 'CloseJob';
    case 'ReviewExpired':
      return 'ExpireReview';
    case 'DisputeOpened':
      return 'OpenDispute';
    case 'SettlementProposed':
      return 'ProposeSettlement';
    case 'DisputeEscalated':
      return 'EscalateDispute';
    case 'DisputeWithdrawn':
      return 'WithdrawDispute';
    case 'DisputeSettled': {
      const outcome = event.data.outcome;
      return outcome === 'agreed'
        ? 'AcceptSettlement'
        : outcome === 'expired'
          ? 'ExpireDispute'
          : 'ResolveDispute';
    }
    default:
      return assertNever(event, 'event');
  }
}

/** The role whose command the event records: named in it, or the one its command belongs to. */
function roleOfEvent(event: Exclude<JobEvent, { type: 'JobAwarded' }>): ActorRole {
  switch (event.type) {
    case 'MilestoneFunded':
    case 'FundsReleased':
    case 'ChangesRequested':
      return 'client';
    case 'FundsRefunded':
    case 'WorkSubmitted':
      return 'freelancer';
    default:
      return event.data.by;
  }
}

/**
 * Checks a stored event that starts a decision against everything its command requires, and
 * returns what the decision owes after it; for an event whose values the decision computes
 * (`COMPUTED_RULE`), the whole decision, for the stored events to be compared with. Throws the
 * `DomainError` `decide` would have thrown.
 */
export function checkEvent(
  event: JobEvent,
  state: JobState,
  forward: boolean,
): readonly JobEvent[] {
  admitCommand(event.data.at, state, forward);
  if (event.type === 'JobAwarded') {
    checkAwardEvent(event, state);
    return NOTHING;
  }
  const type = commandOf(event);
  const role = actorRole(type, actorFor(state, roleOfEvent(event)), state);
  switch (event.type) {
    case 'TermsProposed':
    case 'TermsAccepted':
    case 'TermsDeclined':
    case 'TermsWithdrawn':
      return checkTermsEvent(event, state, requirePartyCommand(type, role));
    case 'MilestoneFunded':
    case 'FundsReleased':
    case 'FundsRefunded':
      return checkEscrowEvent(event, state, requirePartyCommand(type, role));
    case 'WorkSubmitted':
    case 'ChangesRequested':
    case 'JobClosed':
      return checkJobEvent(event, state, requirePartyCommand(type, role));
    case 'ReviewExpired':
      return checkReviewEvent(event, state, role);
    case 'DisputeOpened':
    case 'SettlementProposed':
    case 'DisputeEscalated':
    case 'DisputeWithdrawn':
    case 'DisputeSettled':
      return checkDisputeEvent(event, state, role);
    default:
      return assertNever(event, 'event');
  }
}
