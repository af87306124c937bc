/*
 * The marketplace's last step (examples/live/marketplace.ts): everything the loops left in the
 * database, checked against a fresh fold of every stream and against what the job scripts call
 * for. Nothing here trusts the loops' own counts: each figure comes from the stored events, the
 * summary table or the provider's log.
 */
import { isDeepStrictEqual } from 'node:util';
import type pg from 'pg';
import { currentUpcasters, fold, summarize, type JobEvent } from 'milestone-escrow';
import { outbox, type Notification } from 'milestone-escrow/projections';
import type { PostgresEventStore } from 'milestone-escrow/postgres';
import { jobEnding } from './jobs.js';

/** The example's one JSON line. */
export interface MarketplaceResult {
  readonly jobs: number;
  readonly events: number;
  readonly notifications: {
    readonly expected: number;
    readonly delivered: number;
    readonly lost: number;
    readonly duplicateSends: number;
  };
  readonly readModel: { readonly rows: number; readonly matchesFold: boolean };
  /** `ReviewExpired` events in the store: reviews the timer runners ended (R15). */
  readonly autoReleased: number;
  /** Deadlines acted on more than once (two decisions under one key, or two expiries of one). */
  readonly timerDoubleActs: number;
  readonly restarts: number;
  readonly partTwo: PartTwoResult;
  readonly seconds: number;
}

/** What part two did in the run, from the stored events, against what the scripts call for. */
export interface PartTwoResult {
  /** Reviews the scripts leave to run out (ending `review-expires`, `…-withdrawn-review-expires`). */
  readonly reviewsToExpire: number;
  /** Disputes the scripts leave unanswered (ending `dispute-expires`). */
  readonly disputesToExpire: number;
  /** `DisputeSettled` events with `outcome: "expired"`. */
  readonly disputesExpired: number;
  /** `DisputeSettled` events by outcome. */
  readonly settled: { readonly agreed: number; readonly expired: number; readonly ruled: number };
  /** Part-two notifications expected (from the outbox of every stream). */
  readonly notifications: number;
  /** True when those are exactly what the stored part-two events call for (§9 recipients). */
  readonly notificationsMatchEvents: boolean;
}

/** The example's exit criteria. */
export function passed(result: MarketplaceResult): boolean {
  const { partTwo } = result;
  return (
    result.notifications.lost === 0 &&
    result.notifications.delivered === result.notifications.expected &&
    result.readModel.matchesFold &&
    result.timerDoubleActs === 0 &&
    result.autoReleased >= 1 &&
    result.autoReleased === partTwo.reviewsToExpire &&
    partTwo.disputesExpired === partTwo.disputesToExpire &&
    partTwo.notificationsMatchEvents
  );
}

/**
 * The part-two notifications each part-two event calls for (docs/read-models.md, the outbox):
 * both parties of an expired review and of a settlement, the party who must answer of an opening
 * and of an offer, the other party and the platform of an escalation, the other party of a
 * withdrawal.
 */
const PART_TWO_NOTIFICATIONS: Readonly<Record<string, readonly [Notification['kind'], number]>> = {
  ReviewExpired: ['review-expired', 2],
  DisputeOpened: ['dispute-opened', 1],
  SettlementProposed: ['settlement-proposed', 1],
  DisputeEscalated: ['dispute-escalated', 2],
  DisputeWithdrawn: ['dispute-withdrawn', 1],
  DisputeSettled: ['dispute-settled', 2],
};

/** What the stored events say, one pass over the global order. */
interface Stored {
  readonly streams: Map<string, JobEvent[]>;
  readonly events: number;
  /** Per timer key (scoped to its stream): the commands decided under it. */
  readonly timerDecisions: Map<string, Set<string>>;
  /** How many times each review (stream, milestone) expired and each dispute settled. */
  readonly expiries: Map<string, number>;
  readonly settled: { agreed: number; expired: number; ruled: number };
  /** Part-two notifications the events call for, by kind. */
  readonly implied: Map<string, number>;
}

async function readStored(store: PostgresEventStore): Promise<Stored> {
  const stored: Stored = {
    streams: new Map(),
    events: 0,
    timerDecisions: new Map(),
    expiries: new Map(),
    settled: { agreed: 0, expired: 0, ruled: 0 },
    implied: new Map(),
  };
  const bump = (map: Map<string, number>, key: string, by = 1): void => {
    map.set(key, (map.get(key) ?? 0) + by);
  };
  for await (const recorded of store.readAll()) {
    const streamId = recorded.metadata.streamId;
    const event = currentUpcasters.upcast(recorded);
    (stored as { events: number }).events += 1;
    stored.streams.set(streamId, [...(stored.streams.get(streamId) ?? []), event]);
    const key = recorded.metadata.idempotencyKey;
    if (key?.startsWith('timer:') === true) {
      const decisions = stored.timerDecisions.get(`${streamId} ${key}`) ?? new Set<string>();
      decisions.add(String(recorded.metadata['commandId']));
      stored.timerDecisions.set(`${streamId} ${key}`, decisions);
    }
    const implied = PART_TWO_NOTIFICATIONS[event.type];
    if (implied !== undefined) bump(stored.implied, implied[0], implied[1]);
    if (event.type === 'ReviewExpired')
      bump(stored.expiries, `${streamId} review ${event.data.milestoneId}`);
    if (event.type === 'DisputeSettled') {
      bump(stored.expiries, `${streamId} dispute ${event.data.disputeId}`);
      stored.settled[event.data.outcome] += 1;
    }
  }
  return stored;
}

/** Everything against a fresh fold of every stream and against the scripts of `jobs` jobs. */
export async function verify(
  pool: pg.Pool,
  schema: string,
  store: PostgresEventStore,
  jobs: number,
): Promise<Omit<MarketplaceResult, 'restarts' | 'seconds'>> {
  const stored = await readStored(store);
  const expected = new Set<string>();
  const partTwoKinds = new Map<string, number>();
  const folded = new Map<string, unknown>();
  for (const [, list] of stored.streams) {
    for (const n of outbox(list).notifications) {
      expected.add(n.id);
      if (isPartTwoKind(n.kind)) partTwoKinds.set(n.kind, (partTwoKinds.get(n.kind) ?? 0) + 1);
    }
    const summary = summarize(fold(list));
    folded.set(summary.jobId, summary);
  }
  const { rows: sent } = await pool.query<{ notification_id: string }>(
    `SELECT notification_id FROM "${schema}".provider_log`,
  );
  const delivered = new Set(sent.map((r) => r.notification_id));
  const { rows: summaryRows } = await pool.query<{ job_id: string; summary: unknown }>(
    `SELECT job_id, summary FROM "${schema}".job_summary`,
  );
  const matchesFold =
    summaryRows.length === folded.size &&
    summaryRows.every((r) => isDeepStrictEqual(r.summary, folded.get(r.job_id)));
  const endings = Array.from({ length: jobs }, (_, n) => jobEnding(n));
  const reviewExpiries = [...stored.expiries].filter(([key]) => key.includes(' review '));
  return {
    jobs: stored.streams.size,
    events: stored.events,
    notifications: {
      expected: expected.size,
      delivered: [...expected].filter((id) => delivered.has(id)).length,
      lost: [...expected].filter((id) => !delivered.has(id)).length,
      duplicateSends: sent.length - delivered.size,
    },
    readModel: { rows: summaryRows.length, matchesFold },
    autoReleased: reviewExpiries.reduce((sum, [, times]) => sum + times, 0),
    timerDoubleActs:
      [...stored.timerDecisions.values()].filter((d) => d.size > 1).length +
      [...stored.expiries.values()].filter((times) => times > 1).length,
    partTwo: {
      reviewsToExpire: endings.filter(
        (e) => e === 'review-expires' || e === 'dispute-withdrawn-review-expires',
      ).length,
      disputesToExpire: endings.filter((e) => e === 'dispute-expires').length,
      disputesExpired: stored.settled.expired,
      settled: stored.settled,
      notifications: [...partTwoKinds.values()].reduce((sum, n) => sum + n, 0),
      notificationsMatchEvents: isDeepStrictEqual(
        new Map([...partTwoKinds].sort()),
        new Map([...stored.implied].sort()),
      ),
    },
  };
}

function isPartTwoKind(kind: Notification['kind']): boolean {
  return Object.values(PART_TWO_NOTIFICATIONS).some(([k]) => k === kind);
}
