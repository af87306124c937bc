/*
 * The baselines the library's fold is measured against.
 *
 * `mutableFold` is what a careful engineer would write by hand for the same job stream: one
 * loop, one switch, mutable objects, Maps and Sets, no freezing, no copies it does not need.
 * It computes the same information the library's `JobState` holds (see bench/README.md):
 * the award (its policy included), the closing, the last event's time, every milestone's
 * review; the active terms and the pending proposal with their milestones; the proposal ids used
 * and the retired milestone ids; per milestone the funded/held/released/refunded money, the fees
 * and every funding with its source and its own held/released/refunded split; the funding ids
 * used; the settled milestones; the job's totals; the disputes and the open one of each
 * milestone; the review clocks (R14); and the version. It keeps references into the events (the
 * milestone lists, the award) where the library copies them, because a state nobody freezes need
 * not be detached from its events.
 *
 * Its state's shape is mutable-state.ts's. The immer baseline (one `produce` per event over this
 * same mutable shape) is in immer-baseline.ts.
 */
import { type JobEvent, type JobState, type Milestone } from 'milestone-escrow';
// The id tables are the library's internals: the bench reads them straight from the source.
import { tableEntries, type IdTable } from '../../src/domain/shared/table.js';

import {
  mutableInitial,
  type MutableFunding,
  type MutableJobState,
  type MutableMilestoneEscrow,
} from './mutable-state.js';

function escrowOf(s: MutableJobState, milestoneId: string): MutableMilestoneEscrow {
  let m = s.escrow.get(milestoneId);
  if (m === undefined) {
    m = { funded: 0, held: 0, released: 0, refunded: 0, fees: 0, fundings: [] };
    s.escrow.set(milestoneId, m);
  }
  return m;
}

function activeMilestone(s: MutableJobState, milestoneId: string): Milestone | undefined {
  if (s.active === null) return undefined;
  let byId = s.activeById;
  if (byId === null) {
    byId = new Map();
    for (const m of s.active.milestones) if (!byId.has(m.milestoneId)) byId.set(m.milestoneId, m);
    s.activeById = byId;
  }
  return byId.get(milestoneId);
}

/** R14: whether a milestone's review clock runs, pauses (keeping its time) or resets. */
function clockMotion(s: MutableJobState, milestoneId: string): 'runs' | 'paused' | 'reset' {
  if (s.reviews.get(milestoneId) !== 'submitted') return 'reset';
  const milestone = activeMilestone(s, milestoneId);
  if (milestone === undefined) return 'reset';
  const m = s.escrow.get(milestoneId);
  if ((m !== undefined && m.released > 0) || s.settled.has(milestoneId)) return 'reset';
  if ((m === undefined ? 0 : m.held) < milestone.amount) return 'paused';
  if (s.openDisputes > 0) {
    const open = s.openByMilestone.get(milestoneId);
    if (open !== undefined && open !== null) return 'paused';
  }
  return 'runs';
}

/** Moves one milestone's review clock to what the state after an event says (R14). */
function tick(s: MutableJobState, milestoneId: string, at: string): void {
  const clock = s.clocks.get(milestoneId) ?? null;
  const motion = clockMotion(s, milestoneId);
  if (motion === 'reset') {
    if (clock !== null) s.clocks.set(milestoneId, null);
  } else if (motion === 'paused') {
    if (clock !== null && clock.since !== null) {
      clock.ran += Math.max(0, Date.parse(at) - Date.parse(clock.since));
      clock.since = null;
    }
  } else if (clock === null) s.clocks.set(milestoneId, { ran: 0, since: at });
  else if (clock.since === null) clock.since = at;
}

/**
 * The review clocks after an event (R14), only once some work was ever submitted. Each event moves
 * only the clocks it can, as a careful hand-written fold would (and as the library does): a
 * submission can only start a clock, a funding only start or resume a submitted milestone's, a
 * release or a change request only reset one that exists.
 */
function tickClocks(s: MutableJobState, event: JobEvent): void {
  switch (event.type) {
    case 'WorkSubmitted':
      if ((s.clocks.get(event.data.milestoneId) ?? null) === null)
        tick(s, event.data.milestoneId, event.data.at);
      return;
    case 'MilestoneFunded':
      if (s.reviews.get(event.data.milestoneId) === 'submitted')
        tick(s, event.data.milestoneId, event.data.at);
      return;
    case 'FundsReleased':
    case 'ChangesRequested':
      if ((s.clocks.get(event.data.milestoneId) ?? null) !== null)
        s.clocks.set(event.data.milestoneId, null);
      return;
    case 'FundsRefunded':
      if ((s.clocks.get(event.data.milestoneId) ?? null) !== null)
        tick(s, event.data.milestoneId, event.data.at);
      return;
    case 'DisputeOpened':
    case 'DisputeSettled':
      tick(s, event.data.milestoneId, event.data.at);
      return;
    case 'DisputeWithdrawn': {
      const dispute = s.disputes.get(event.data.disputeId);
      if (dispute !== undefined) tick(s, dispute.milestoneId, event.data.at);
      return;
    }
    case 'TermsAccepted':
      // A clock that has run belongs to a submitted milestone.
      for (const [id, review] of s.reviews) if (review === 'submitted') tick(s, id, event.data.at);
      return;
    default:
      return;
  }
}

function endDispute(s: MutableJobState, disputeId: string, status: 'settled' | 'withdrawn'): void {
  const dispute = s.disputes.get(disputeId);
  if (dispute === undefined) return;
  dispute.status = status;
  s.openByMilestone.set(dispute.milestoneId, null);
  s.openDisputes -= 1;
}

/**
 * The hand-written fold: a plain loop with a switch over mutable state. It folds part two's
 * events and fields too (fees, settlements, disputes, review clocks), as the library does.
 */
export function mutableFold(
  events: readonly JobEvent[],
  s: MutableJobState = mutableInitial(),
): MutableJobState {
  for (let i = 0; i < events.length; i++) {
    const event = events[i] as JobEvent;
    switch (event.type) {
      case 'JobAwarded':
        s.award = event.data;
        break;
      case 'TermsProposed': {
        const { proposalId, by, at, milestones } = event.data;
        s.proposalIds.add(proposalId);
        s.pending = { proposalId, by, at, milestones };
        break;
      }
      case 'TermsAccepted': {
        const accepted = s.pending;
        if (accepted === null) break;
        if (s.active !== null) {
          const kept = new Set<string>();
          for (const m of accepted.milestones) kept.add(m.milestoneId);
          for (const m of s.active.milestones)
            if (!kept.has(m.milestoneId)) s.retiredMilestoneIds.add(m.milestoneId);
        }
        s.active = { proposalId: accepted.proposalId, milestones: accepted.milestones };
        s.activeById = null;
        s.pending = null;
        break;
      }
      case 'TermsDeclined':
      case 'TermsWithdrawn':
        s.pending = null;
        break;
      case 'MilestoneFunded': {
        const { milestoneId, fundingId, amount, source, at } = event.data;
        const m = escrowOf(s, milestoneId);
        m.funded += amount;
        m.held += amount;
        m.fundings.push({ fundingId, source, amount, held: amount, released: 0, refunded: 0, at });
        s.fundingIds.add(fundingId);
        s.totals.funded += amount;
        s.totals.held += amount;
        break;
      }
      case 'FundsReleased': {
        const { milestoneId, amount } = event.data;
        const fee = event.data.fee ?? 0;
        const m = escrowOf(s, milestoneId);
        for (const f of m.fundings) {
          if (f.held === 0) continue;
          f.released += f.held;
          f.held = 0;
        }
        m.held -= amount;
        m.released += amount;
        m.fees += fee;
        s.totals.held -= amount;
        s.totals.released += amount;
        s.totals.fees += fee;
        break;
      }
      case 'FundsRefunded': {
        const { milestoneId, fundingId, amount } = event.data;
        const m = escrowOf(s, milestoneId);
        for (let k = m.fundings.length - 1; k >= 0; k--) {
          const f = m.fundings[k] as MutableFunding;
          if (f.fundingId === fundingId) {
            f.held -= amount;
            f.refunded += amount;
            break;
          }
        }
        m.held -= amount;
        m.refunded += amount;
        s.totals.held -= amount;
        s.totals.refunded += amount;
        break;
      }
      case 'WorkSubmitted':
        s.reviews.set(event.data.milestoneId, 'submitted');
        break;
      case 'ChangesRequested':
        s.reviews.set(event.data.milestoneId, 'changes-requested');
        break;
      case 'JobClosed':
        s.closedAt = event.data.at;
        break;
      case 'ReviewExpired':
        break;
      case 'DisputeOpened': {
        const { disputeId, milestoneId, by, refund, respondBy } = event.data;
        s.disputes.set(disputeId, {
          disputeId,
          milestoneId,
          openedBy: by,
          offerBy: by,
          refund,
          respondBy,
          escalated: false,
          status: 'open',
        });
        s.openByMilestone.set(milestoneId, disputeId);
        s.openDisputes += 1;
        break;
      }
      case 'SettlementProposed': {
        const dispute = s.disputes.get(event.data.disputeId);
        if (dispute !== undefined) {
          dispute.offerBy = event.data.by;
          dispute.refund = event.data.refund;
          dispute.respondBy = event.data.respondBy;
        }
        break;
      }
      case 'DisputeEscalated': {
        const dispute = s.disputes.get(event.data.disputeId);
        if (dispute !== undefined) dispute.escalated = true;
        break;
      }
      case 'DisputeWithdrawn':
        endDispute(s, event.data.disputeId, 'withdrawn');
        break;
      case 'DisputeSettled':
        endDispute(s, event.data.disputeId, 'settled');
        s.settled.add(event.data.milestoneId);
        break;
      default: {
        const unknown: never = event;
        throw new Error(`unknown event ${JSON.stringify(unknown)}`);
      }
    }
    if (s.reviews.size > 0) tickClocks(s, event);
    s.lastAt = event.data.at;
    s.version += 1;
  }
  return s;
}

/** The mutable state as plain records (for Maps and Sets), to check both folds agree. */
export function canonicalMutable(s: MutableJobState): unknown {
  const record = <T>(m: Map<string, T>): Record<string, T> => Object.fromEntries(m);
  const trues = (set: Set<string>): Record<string, true> =>
    Object.fromEntries([...set].map((k) => [k, true as const]));
  return {
    version: s.version,
    job: { award: s.award, closedAt: s.closedAt, reviews: record(s.reviews), lastAt: s.lastAt },
    terms: {
      active: s.active && { proposalId: s.active.proposalId, milestones: s.active.milestones },
      pending: s.pending && {
        proposalId: s.pending.proposalId,
        milestones: s.pending.milestones,
        by: s.pending.by,
        at: s.pending.at,
      },
      proposalIds: trues(s.proposalIds),
      retiredMilestoneIds: trues(s.retiredMilestoneIds),
    },
    escrow: {
      milestones: record(s.escrow),
      fundingIds: trues(s.fundingIds),
      settled: trues(s.settled),
      totals: s.totals,
    },
    dispute: {
      disputes: record(s.disputes),
      openByMilestone: record(s.openByMilestone),
      open: s.openDisputes,
    },
    review: { clocks: record(s.clocks) },
  };
}

/** The library's state as plain records (its id tables read out), in the same canonical shape. */
export function canonicalLibrary(s: JobState): unknown {
  const record = <T>(t: IdTable<T>): Record<string, T> => Object.fromEntries(tableEntries(t));
  return {
    version: s.version,
    job: { ...s.job, reviews: record(s.job.reviews) },
    terms: {
      ...s.terms,
      proposalIds: record(s.terms.proposalIds),
      retiredMilestoneIds: record(s.terms.retiredMilestoneIds),
    },
    escrow: {
      ...s.escrow,
      milestones: record(s.escrow.milestones),
      fundingIds: record(s.escrow.fundingIds),
      settled: record(s.escrow.settled),
    },
    dispute: {
      ...s.dispute,
      disputes: record(s.dispute.disputes),
      openByMilestone: record(s.dispute.openByMilestone),
    },
    review: { clocks: record(s.review.clocks) },
  };
}
