import type { Draft } from 'immer';
import { applyEvent } from '../domain/decider.js';
import type { JobEvent } from '../domain/events.js';
import { emptyState, type JobState } from '../domain/state.js';
import type { Notification } from './notifications.js';
import { DISPUTE_NOTIFYING, disputeNotifications } from './outbox-disputes.js';
import { termsNotification } from './outbox-terms.js';
import { project, type Projection } from './projection.js';

export {
  NOTIFICATION_KINDS,
  type NotificationKind,
  type Recipient,
  type DisputeOffer,
  type NotificationData,
  type NotificationOf,
  type Notification,
} from './notifications.js';

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

/** The notifications an event causes (read against the state before the event). */
function notificationsFor(state: JobState, event: JobEvent): readonly Notification[] {
  const award = state.job.award;
  if (award === null) return [];
  if (DISPUTE_NOTIFYING.has(event.type)) return disputeNotifications(state, award, event);
  const one = termsNotification(state, award, event);
  return one === undefined ? [] : [one];
}

/** The notifications outbox as a projection (one outbox per job stream). */
export const outboxProjection: Projection<OutboxAccumulator, Outbox> = {
  name: 'outbox',
  initial: () => ({ state: emptyState(), notifications: [] }),
  // The notifications are kept only once the state took the event: all of it or none.
  apply: (acc, event) => {
    const told = notificationsFor(acc.state, event);
    applyEvent(acc.state as Draft<JobState>, event);
    for (const n of told) acc.notifications.push(n);
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
