import type { Draft } from 'immer';
import { applyEvent } from '../domain/decider.js';
import type { JobEvent } from '../domain/events.js';
import { emptyState, type JobState } from '../domain/state.js';
import type { Money } from '../domain/shared/money.js';
import { assertNever } from '../domain/shared/never.js';
import { otherRole } from '../domain/shared/roles.js';
import type { ActorRole, Role } from '../domain/shared/schema.js';
import type { SettlementOutcome } from '../domain/dispute/events.js';
import { disputeOf } from '../domain/dispute/state.js';
import { escrowOf } from '../domain/escrow/state.js';
import { platformIdOf } from '../domain/job/policy.js';
import { milestoneIn } from '../domain/terms/state.js';
import { project, type Projection } from './projection.js';

/*
 * The notifications outbox: who must be told of what, derived from the job's events alone.
 * - the freelancer, of every funding, prefunds included (R6, R7: "the Freelancer will receive a
 *   notification when you fund job Milestones");
 * - the party who must answer a proposal, of the proposal: the freelancer of terms the client
 *   sends, the client of the freelancer's counter-proposals and changes (R2, R3);
 * - the proposer, of the other party's acceptance or decline ("you will be notified when the
 *   Freelancer accepts or declines the Terms"), and the other party of a withdrawal;
 * - the client, of submitted work (R12);
 * - part two: the party who must answer a dispute's offer, of the opening and of each new offer
 *   (R16, R18); the other party, of an escalation and of a withdrawal, and the platform, of an
 *   escalation (it now decides, R19); both parties, of a settlement and of a review that ran out
 *   (their money moved, R15, R21).
 * Each notification has an id made only of the event's place in the stream, so a sender that
 * records the ids it has sent delivers each one once, however often the outbox is rebuilt.
 */

/** The kinds of notification, in the order the events that cause them usually come. */
export const NOTIFICATION_KINDS = [
  'terms-proposed',
  'terms-accepted',
  'terms-declined',
  'terms-withdrawn',
  'milestone-funded',
  'work-submitted',
  'review-expired',
  'dispute-opened',
  'settlement-proposed',
  'dispute-escalated',
  'dispute-withdrawn',
  'dispute-settled',
] as const;
/** What a notification tells its recipient. */
export type NotificationKind = (typeof NOTIFICATION_KINDS)[number];

/** Who receives a notification: a party of the job (or the platform) and the part it plays. */
export interface Recipient {
  readonly role: ActorRole;
  readonly partyId: string;
}

/** What a dispute notification tells about the offer that stands. */
export interface DisputeOffer {
  readonly disputeId: string;
  readonly milestoneId: string;
  readonly title: string;
  readonly by: Role;
  /** The offer: what goes back to the client, in minor units of `currency`. */
  readonly refund: Money;
  /** What the offer releases to the freelancer. */
  readonly release: Money;
  readonly currency: string;
  /** When the recipient's answer is due. */
  readonly respondBy: string;
}

/** The facts each kind of notification carries. */
export interface NotificationData {
  readonly 'terms-proposed': {
    readonly proposalId: string;
    readonly by: Role;
    readonly milestoneCount: number;
    /** The proposed contract total, in minor units of `currency`. */
    readonly total: Money;
    readonly currency: string;
    /** The other party's pending proposal this counter-proposal supersedes, if any (R3). */
    readonly supersedes: string | null;
    /** The active terms this proposal would change, if any (R4). */
    readonly changes: string | null;
  };
  readonly 'terms-accepted': { readonly proposalId: string; readonly by: Role };
  readonly 'terms-declined': {
    readonly proposalId: string;
    readonly by: Role;
    readonly reason?: string;
  };
  readonly 'terms-withdrawn': { readonly proposalId: string; readonly by: Role };
  readonly 'milestone-funded': {
    readonly milestoneId: string;
    readonly title: string;
    readonly fundingId: string;
    readonly amount: Money;
    readonly currency: string;
    /** True for a prefund: the milestone is not (yet) in the active terms (R7). */
    readonly prefund: boolean;
    /** For a prefund, the pending proposal it was made for; `null` otherwise. */
    readonly proposalId: string | null;
    readonly comment?: string;
  };
  readonly 'work-submitted': {
    readonly milestoneId: string;
    readonly title: string;
    readonly note?: string;
  };
  readonly 'review-expired': {
    readonly milestoneId: string;
    readonly title: string;
    readonly by: ActorRole;
    readonly dueAt: string;
    /** The whole milestone, released as approved (R15). */
    readonly amount: Money;
    readonly currency: string;
  };
  readonly 'dispute-opened': DisputeOffer & { readonly reason?: string };
  readonly 'settlement-proposed': DisputeOffer;
  readonly 'dispute-escalated': {
    readonly disputeId: string;
    readonly milestoneId: string;
    readonly title: string;
    readonly by: Role;
  };
  readonly 'dispute-withdrawn': {
    readonly disputeId: string;
    readonly milestoneId: string;
    readonly title: string;
    readonly by: Role;
  };
  readonly 'dispute-settled': {
    readonly disputeId: string;
    readonly milestoneId: string;
    readonly title: string;
    readonly outcome: SettlementOutcome;
    readonly by: ActorRole;
    readonly refund: Money;
    readonly release: Money;
    readonly currency: string;
  };
}

/** One notification of one kind. */
export interface NotificationOf<K extends NotificationKind> {
  /**
   * Stable and unique: `${jobId}:${position}:${role}:${kind}`. Rebuilding the outbox from the
   * same events gives the same ids, and appending events never changes an earlier one.
   */
  readonly id: string;
  readonly kind: K;
  readonly jobId: string;
  /** The 1-based stream position of the event that caused it. */
  readonly position: number;
  /** The event's `at`. */
  readonly at: string;
  readonly recipient: Recipient;
  readonly data: NotificationData[K];
}

/** A notification the outbox holds for a sender to deliver. */
export type Notification = { [K in NotificationKind]: NotificationOf<K> }[NotificationKind];

/** The outbox of one job: its notifications in event order. */
export interface Outbox {
  readonly jobId: string;
  /** The number of events folded. */
  readonly version: number;
  readonly notifications: readonly Notification[];
}

/** The outbox projection's private accumulator. */
export interface OutboxAccumulator {
  /** The job's state so far: the parties, the terms a funding or a proposal meets. */
  readonly state: JobState;
  readonly notifications: Notification[];
}

function notification<K extends NotificationKind>(
  award: NonNullable<JobState['job']['award']>,
  position: number,
  kind: K,
  role: ActorRole,
  at: string,
  data: NotificationData[K],
): NotificationOf<K> {
  const { jobId } = award;
  Object.freeze(data);
  return Object.freeze({
    id: `${jobId}:${String(position)}:${role}:${kind}`,
    kind,
    jobId,
    position,
    at,
    recipient: Object.freeze({
      role,
      partyId:
        role === 'client'
          ? award.clientId
          : role === 'freelancer'
            ? award.freelancerId
            : platformIdOf(award),
    }),
    data,
  });
}

/** The notifications an event causes (read against the state before the event). */
function notificationsFor(state: JobState, event: JobEvent): readonly Notification[] {
  // Over 80 lines: one exhaustive switch with a short case per event type, which reads best whole.
  const award = state.job.award;
  if (award === null) return [];
  if (PART_TWO.has(event.type)) return disputeNotifications(state, award, event);
  const one = notificationFor(state, award, event);
  return one === undefined ? [] : [one];
}

/** The notification a part-one event causes, if any (read against the state before the event). */
function notificationFor(
  state: JobState,
  award: NonNullable<JobState['job']['award']>,
  event: JobEvent,
): Notification | undefined {
  const position = state.version + 1;
  const { active, pending } = state.terms;
  switch (event.type) {
    case 'TermsProposed': {
      const { proposalId, by, milestones, at } = event.data;
      let total = 0;
      for (const m of milestones) total += m.amount;
      return notification(award, position, 'terms-proposed', otherRole(by), at, {
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
      return notification(award, position, 'terms-accepted', otherRole(by), at, { proposalId, by });
    }
    case 'TermsDeclined': {
      const { proposalId, by, reason, at } = event.data;
      return notification(
        award,
        position,
        'terms-declined',
        otherRole(by),
        at,
        reason === undefined ? { proposalId, by } : { proposalId, by, reason },
      );
    }
    case 'TermsWithdrawn': {
      const { proposalId, by, at } = event.data;
      return notification(award, position, 'terms-withdrawn', otherRole(by), at, {
        proposalId,
        by,
      });
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
      return notification(
        award,
        position,
        'milestone-funded',
        'freelancer',
        at,
        comment === undefined ? data : { ...data, comment },
      );
    }
    case 'WorkSubmitted': {
      const { milestoneId, note, at } = event.data;
      const title = milestoneIn(active, milestoneId)?.title ?? '';
      return notification(
        award,
        position,
        'work-submitted',
        'client',
        at,
        note === undefined ? { milestoneId, title } : { milestoneId, title, note },
      );
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

const PART_TWO: ReadonlySet<JobEvent['type']> = new Set([
  'ReviewExpired',
  'DisputeOpened',
  'SettlementProposed',
  'DisputeEscalated',
  'DisputeWithdrawn',
  'DisputeSettled',
]);

/** The notifications of a review that ran out or of a dispute (read against the state before it). */
function disputeNotifications(
  state: JobState,
  award: NonNullable<JobState['job']['award']>,
  event: JobEvent,
): Notification[] {
  const position = state.version + 1;
  const currency = award.currency;
  const title = (milestoneId: string) => milestoneIn(state.terms.active, milestoneId)?.title ?? '';
  const both = <K extends NotificationKind>(kind: K, at: string, data: NotificationData[K]) =>
    [
      notification(award, position, kind, 'client', at, data),
      notification(award, position, kind, 'freelancer', at, { ...data }),
    ] as Notification[];
  switch (event.type) {
    case 'ReviewExpired': {
      const { milestoneId, by, dueAt, at } = event.data;
      const amount = escrowOf(state.escrow, milestoneId).held;
      return both('review-expired', at, {
        milestoneId,
        title: title(milestoneId),
        by,
        dueAt,
        amount,
        currency,
      });
    }
    case 'DisputeOpened': {
      const { disputeId, milestoneId, by, refund, reason, respondBy, at } = event.data;
      const release = escrowOf(state.escrow, milestoneId).held - refund;
      const data = {
        disputeId,
        milestoneId,
        title: title(milestoneId),
        by,
        refund,
        release,
        currency,
        respondBy,
      };
      return [
        notification(
          award,
          position,
          'dispute-opened',
          otherRole(by),
          at,
          reason === undefined ? data : { ...data, reason },
        ),
      ];
    }
    case 'SettlementProposed': {
      const { disputeId, by, refund, respondBy, at } = event.data;
      const milestoneId = disputeOf(state.dispute, disputeId)?.milestoneId ?? '';
      const release = escrowOf(state.escrow, milestoneId).held - refund;
      return [
        notification(award, position, 'settlement-proposed', otherRole(by), at, {
          disputeId,
          milestoneId,
          title: title(milestoneId),
          by,
          refund,
          release,
          currency,
          respondBy,
        }),
      ];
    }
    case 'DisputeEscalated': {
      const { disputeId, by, at } = event.data;
      const milestoneId = disputeOf(state.dispute, disputeId)?.milestoneId ?? '';
      const data = { disputeId, milestoneId, title: title(milestoneId), by };
      return [
        notification(award, position, 'dispute-escalated', 'platform', at, data),
        notification(award, position, 'dispute-escalated', otherRole(by), at, { ...data }),
      ];
    }
    case 'DisputeWithdrawn': {
      const { disputeId, by, at } = event.data;
      const milestoneId = disputeOf(state.dispute, disputeId)?.milestoneId ?? '';
      return [
        notification(award, position, 'dispute-withdrawn', otherRole(by), at, {
          disputeId,
          milestoneId,
          title: title(milestoneId),
          by,
        }),
      ];
    }
    case 'DisputeSettled': {
      const { disputeId, milestoneId, outcome, by, refund, release, at } = event.data;
      return both('dispute-settled', at, {
        disputeId,
        milestoneId,
        title: title(milestoneId),
        outcome,
        by,
        refund,
        release,
        currency,
      });
    }
    default:
      return [];
  }
}

/** The notifications outbox as a projection (one outbox per job stream). */
export const outboxProjection: Projection<OutboxAccumulator, Outbox> = {
  name: 'outbox',
  initial: () => ({ state: emptyState(), notifications: [] }),
  apply: (acc, event) => {
    for (const n of notificationsFor(acc.state, event)) acc.notifications.push(n);
    applyEvent(acc.state as Draft<JobState>, event);
  },
  view: (acc) =>
    Object.freeze({
      jobId: acc.state.job.award?.jobId ?? '',
      version: acc.state.version,
      notifications: Object.freeze(acc.notifications.slice()),
    }),
};

/** The notifications outbox of one job's events (in stream order, from the first). */
export function outbox(events: Iterable<JobEvent>): Outbox {
  return project(outboxProjection, events);
}
