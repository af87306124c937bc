import type { JobEvent } from '../domain/events.js';
import type { JobState } from '../domain/state.js';
import { assertNever } from '../domain/shared/never.js';
import { otherRole } from '../domain/shared/roles.js';
import type { Role } from '../domain/shared/schema.js';
import { milestoneIn } from '../domain/terms/state.js';
import {
  notification,
  type Award,
  type Notification,
  type NotificationData,
  type NotificationKind,
} from './notifications.js';

/**
 * The notification a part-one event causes, if any (read against the state before the event):
 * proposals to the party who must answer, acceptances, declines and withdrawals to the other
 * party, fundings to the freelancer, submitted work to the client. Reviews and disputes are
 * `outbox-disputes.ts`'s.
 */
// eslint-disable-next-line max-lines-per-function -- one exhaustive switch over every event type, a short case each: it reads best whole.
export function termsNotification(
  state: JobState,
  award: Award,
  event: JobEvent,
): Notification | undefined {
  const position = state.version + 1;
  const to = <K extends NotificationKind>(
    kind: K,
    role: Role,
    at: string,
    data: NotificationData[K],
  ) => notification(award, position, kind, role, at, data);
  const { active, pending } = state.terms;
  switch (event.type) {
    case 'TermsProposed': {
      const { proposalId, by, milestones, at } = event.data;
      let total = 0;
      for (const m of milestones) total += m.amount;
      return to('terms-proposed', otherRole(by), at, {
        proposalId,
        by,
        milestoneCount: milestones.length,
        total,
        currency: award.currency,
        supersedes: pending?.proposalId ?? null,
        changes: active?.proposalId ?? null,
      });
    }
    case 'TermsAccepted': {
      const { proposalId, by, at } = event.data;
      return to('terms-accepted', otherRole(by), at, { proposalId, by });
    }
    case 'TermsDeclined': {
      const { proposalId, by, reason, at } = event.data;
      const data = reason === undefined ? { proposalId, by } : { proposalId, by, reason };
      return to('terms-declined', otherRole(by), at, data);
    }
    case 'TermsWithdrawn': {
      const { proposalId, by, at } = event.data;
      return to('terms-withdrawn', otherRole(by), at, { proposalId, by });
    }
    case 'MilestoneFunded': {
      const { milestoneId, fundingId, amount, comment, at } = event.data;
      const inActive = milestoneIn(active, milestoneId);
      const milestone = inActive ?? milestoneIn(pending, milestoneId);
      const data: NotificationData['milestone-funded'] = {
        milestoneId,
        title: milestone?.title ?? '',
        fundingId,
        amount,
        currency: award.currency,
        prefund: inActive === undefined,
        proposalId: inActive === undefined ? (pending?.proposalId ?? null) : null,
      };
      return to(
        'milestone-funded',
        'freelancer',
        at,
        comment === undefined ? data : { ...data, comment },
      );
    }
    case 'WorkSubmitted': {
      const { milestoneId, note, at } = event.data;
      const title = milestoneIn(active, milestoneId)?.title ?? '';
      const data = note === undefined ? { milestoneId, title } : { milestoneId, title, note };
      return to('work-submitted', 'client', at, data);
    }
    case 'JobAwarded':
    case 'FundsReleased':
    case 'FundsRefunded':
    case 'ChangesRequested':
    case 'JobClosed':
    case 'ReviewExpired':
    case 'DisputeOpened':
    case 'SettlementProposed':
    case 'DisputeEscalated':
    case 'DisputeWithdrawn':
    case 'DisputeSettled':
      return undefined;
    default:
      return assertNever(event, 'event');
  }
}
