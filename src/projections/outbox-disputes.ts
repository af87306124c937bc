import type { JobEvent } from '../domain/events.js';
import type { JobState } from '../domain/state.js';
import { otherRole } from '../domain/shared/roles.js';
import type { ActorRole } from '../domain/shared/schema.js';
import { disputeOf } from '../domain/dispute/state.js';
import { escrowOf } from '../domain/escrow/state.js';
import { milestoneIn } from '../domain/terms/state.js';
import {
  notification,
  type Award,
  type DisputeOffer,
  type Notification,
  type NotificationData,
  type NotificationKind,
} from './notifications.js';

/** The events of part two that notify: a review that ran out, and a dispute's steps. */
export const DISPUTE_NOTIFYING: ReadonlySet<JobEvent['type']> = new Set([
  'ReviewExpired',
  'DisputeOpened',
  'SettlementProposed',
  'DisputeEscalated',
  'DisputeWithdrawn',
  'DisputeSettled',
]);

function titleOf(state: JobState, milestoneId: string): string {
  return milestoneIn(state.terms.active, milestoneId)?.title ?? '';
}

/** The offer that stands after an opening or a proposal: what it refunds and what it releases. */
function offerOf(
  state: JobState,
  award: Award,
  offer: Omit<DisputeOffer, 'title' | 'release' | 'currency'>,
): DisputeOffer {
  const { disputeId, milestoneId, by, refund, respondBy } = offer;
  const release = escrowOf(state.escrow, milestoneId).held - refund;
  const title = titleOf(state, milestoneId);
  return {
    disputeId,
    milestoneId,
    title,
    by,
    refund,
    release,
    currency: award.currency,
    respondBy,
  };
}

/**
 * The notifications of a review that ran out or of a dispute (read against the state before the
 * event): an offer goes to the party who must answer it; an escalation to the platform and the
 * other party; a withdrawal to the other party; a settlement and an expired review to both
 * parties, whose money moved.
 */
export function disputeNotifications(
  state: JobState,
  award: Award,
  event: JobEvent,
): Notification[] {
  const position = state.version + 1;
  const to = <K extends NotificationKind>(
    kind: K,
    role: ActorRole,
    at: string,
    data: NotificationData[K],
  ): Notification => notification(award, position, kind, role, at, data) as Notification;
  const both = <K extends NotificationKind>(kind: K, at: string, data: NotificationData[K]) => [
    to(kind, 'client', at, data),
    to(kind, 'freelancer', at, { ...data }),
  ];
  const title = (milestoneId: string) => titleOf(state, milestoneId);
  const milestoneOf = (disputeId: string) => disputeOf(state.dispute, disputeId)?.milestoneId ?? '';
  switch (event.type) {
    case 'ReviewExpired': {
      const { milestoneId, by, dueAt, at } = event.data;
      const amount = escrowOf(state.escrow, milestoneId).held;
      const data = { milestoneId, title: title(milestoneId), by, dueAt, amount };
      return both('review-expired', at, { ...data, currency: award.currency });
    }
    case 'DisputeOpened': {
      const { disputeId, milestoneId, by, refund, reason, respondBy, at } = event.data;
      const data = offerOf(state, award, { disputeId, milestoneId, by, refund, respondBy });
      return [
        to('dispute-opened', otherRole(by), at, reason === undefined ? data : { ...data, reason }),
      ];
    }
    case 'SettlementProposed': {
      const { disputeId, by, refund, respondBy, at } = event.data;
      const milestoneId = milestoneOf(disputeId);
      const data = offerOf(state, award, { disputeId, milestoneId, by, refund, respondBy });
      return [to('settlement-proposed', otherRole(by), at, data)];
    }
    case 'DisputeEscalated': {
      const { disputeId, by, at } = event.data;
      const milestoneId = milestoneOf(disputeId);
      const data = { disputeId, milestoneId, title: title(milestoneId), by };
      return [
        to('dispute-escalated', 'platform', at, data),
        to('dispute-escalated', otherRole(by), at, { ...data }),
      ];
    }
    case 'DisputeWithdrawn': {
      const { disputeId, by, at } = event.data;
      const milestoneId = milestoneOf(disputeId);
      const data = { disputeId, milestoneId, title: title(milestoneId), by };
      return [to('dispute-withdrawn', otherRole(by), at, data)];
    }
    case 'DisputeSettled': {
      const { disputeId, milestoneId, outcome, by, refund, release, at } = event.data;
      const data = { disputeId, milestoneId, title: title(milestoneId), outcome, by, refund };
      return both('dispute-settled', at, { ...data, release, currency: award.currency });
    }
    default:
      return [];
  }
}
