import type { JobState } from '../domain/state.js';
import type { Money } from '../domain/shared/money.js';
import type { ActorRole, Role } from '../domain/shared/schema.js';
import type { SettlementOutcome } from '../domain/dispute/events.js';
import { platformIdOf } from '../domain/job/policy.js';

/*
 * What the outbox holds: the kinds of notification, the facts each carries, and how one is made
 * (its stable id, its recipient). Which event causes which notification is in
 * `outbox-terms.ts` (part one) and `outbox-disputes.ts` (reviews and disputes).
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

/** The job's award: every notification names its job and its recipient's party id from it. */
export type Award = NonNullable<JobState['job']['award']>;

/** One notification of `kind` to `role`, caused by the event at `position`, frozen. */
export function notification<K extends NotificationKind>(
  award: Award,
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
