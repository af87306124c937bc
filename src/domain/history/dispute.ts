import type { JobEvent } from '../events.js';
import type { JobState } from '../state.js';
import type { DisputeEvent, DisputeSettled } from '../dispute/events.js';
import {
  checkAcceptSettlement,
  checkEscalateDispute,
  checkExpireDispute,
  checkOpenDispute,
  checkProposeSettlement,
  checkResolveDispute,
  checkWithdrawDispute,
  disputeOpened,
  disputeParty,
  settle,
  settlementProposed,
} from '../dispute/decide.js';
import type { ActorRole } from '../shared/schema.js';
import { assertNever } from '../shared/never.js';
import { NOTHING } from './compare.js';

/**
 * Checks a stored dispute event in place against what its command requires (R16–R21: the checks
 * `decideDispute` makes). An opening and an offer return their event as the decision computes it
 * (the deadline); a settlement returns its whole decision (the split, the refunds, the release).
 */
export function checkDisputeEvent(
  event: DisputeEvent,
  state: JobState,
  role: ActorRole,
): readonly JobEvent[] {
  const at = event.data.at;
  switch (event.type) {
    case 'DisputeOpened': {
      const by = disputeParty('OpenDispute', role);
      const { data } = event;
      const respondBy = checkOpenDispute(state, data.milestoneId, data.disputeId, data.refund, at);
      return [disputeOpened(data, data.reason, by, respondBy, at)];
    }
    case 'SettlementProposed': {
      const by = disputeParty('ProposeSettlement', role);
      const { disputeId, refund } = event.data;
      const { dispute, respondBy } = checkProposeSettlement(state, disputeId, refund, at);
      return [settlementProposed(dispute, by, refund, respondBy, at)];
    }
    case 'DisputeEscalated':
      disputeParty('EscalateDispute', role);
      checkEscalateDispute(state, event.data.disputeId);
      return NOTHING;
    case 'DisputeWithdrawn':
      checkWithdrawDispute(state, disputeParty('WithdrawDispute', role), event.data.disputeId);
      return NOTHING;
    case 'DisputeSettled':
      return checkSettlement(event, state, role);
    default:
      return assertNever(event, 'dispute event');
  }
}

/** A settlement, by how it ended: agreed (R18), expired (R20) or ruled (R20). */
function checkSettlement(event: DisputeSettled, state: JobState, role: ActorRole): JobEvent[] {
  const { disputeId, outcome, refund, at } = event.data;
  switch (outcome) {
    case 'agreed': {
      const by = disputeParty('AcceptSettlement', role);
      const dispute = checkAcceptSettlement(state, by, disputeId, refund);
      return settle(state, dispute, 'agreed', by, dispute.refund, at);
    }
    case 'expired': {
      const dispute = checkExpireDispute(state, role, disputeId, at);
      return settle(state, dispute, 'expired', role, dispute.refund, at);
    }
    case 'ruled':
      return settle(
        state,
        checkResolveDispute(state, role, disputeId, refund),
        'ruled',
        role,
        refund,
        at,
      );
    default:
      return assertNever(outcome, 'settlement outcome');
  }
}
