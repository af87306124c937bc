import type { Draft } from 'immer';
import { assertNever } from '../shared/never.js';
import { tableGet, tableWith } from '../shared/table.js';
import { addDays } from '../shared/time.js';
import type { DisputeEvent } from './events.js';
import { disputeWith, type Dispute, type DisputeSlice } from './state.js';

function current(draft: Draft<DisputeSlice>, disputeId: string): Dispute | undefined {
  return tableGet(draft.disputes, disputeId);
}

/**
 * A stored deadline as spec §7 writes it (UTC, `.sss` only when not zero): the history checker
 * takes one written with an offset by value, and the summary shows the state's.
 */
const utc = (deadline: string): string => addDays(deadline, 0);

function put(draft: Draft<DisputeSlice>, dispute: Dispute): void {
  draft.disputes = tableWith(draft.disputes, dispute.disputeId, dispute);
}

/** A dispute ends: the milestone has no open dispute any more. */
function close(
  draft: Draft<DisputeSlice>,
  dispute: Dispute,
  status: 'settled' | 'withdrawn',
): void {
  put(draft, disputeWith(dispute, { status }));
  draft.openByMilestone = tableWith(draft.openByMilestone, dispute.milestoneId, null);
  draft.open -= 1;
}

/** Folds a dispute event into the dispute slice (a recipe: it mutates the working copy it is given). */
export function evolveDispute(draft: Draft<DisputeSlice>, event: DisputeEvent): void {
  switch (event.type) {
    case 'DisputeOpened': {
      const { disputeId, milestoneId, by, refund, respondBy } = event.data;
      put(draft, {
        disputeId,
        milestoneId,
        openedBy: by,
        offerBy: by,
        refund,
        respondBy: utc(respondBy),
        escalated: false,
        status: 'open',
      });
      draft.openByMilestone = tableWith(draft.openByMilestone, milestoneId, disputeId);
      draft.open += 1;
      return;
    }
    case 'SettlementProposed': {
      const { disputeId, by, refund, respondBy } = event.data;
      const dispute = current(draft, disputeId);
      if (dispute !== undefined)
        put(draft, disputeWith(dispute, { offerBy: by, refund, respondBy: utc(respondBy) }));
      return;
    }
    case 'DisputeEscalated': {
      const dispute = current(draft, event.data.disputeId);
      if (dispute !== undefined) put(draft, disputeWith(dispute, { escalated: true }));
      return;
    }
    case 'DisputeWithdrawn': {
      const dispute = current(draft, event.data.disputeId);
      if (dispute !== undefined) close(draft, dispute, 'withdrawn');
      return;
    }
    case 'DisputeSettled': {
      const dispute = current(draft, event.data.disputeId);
      if (dispute !== undefined) close(draft, dispute, 'settled');
      return;
    }
    default:
      assertNever(event, 'dispute event');
  }
}
