/*
 * The immer baseline: one `produce` per event, the usual way to get immutable, structurally
 * shared states without writing the copying by hand. The state is the mutable loop's own shape
 * (`MutableJobState`: Maps and Sets, through immer's MapSet plugin), frozen by immer after every
 * event, so this contender computes what the other two compute.
 *
 * Its recipe repeats the mutable loop's switch on purpose: V8 keeps type feedback per function,
 * and running `mutableFold` itself on immer's drafts would make its property accesses megamorphic
 * and slow the baseline every other ratio is taken against.
 */
import { enableMapSet, freeze, produce, type Draft } from 'immer';
import type { JobEvent } from 'milestone-escrow';
import {
  mutableInitial,
  type MutableJobState,
  type MutableMilestoneEscrow,
} from './mutable-state.js';

enableMapSet();

function escrowOf(s: Draft<MutableJobState>, milestoneId: string): Draft<MutableMilestoneEscrow> {
  let m = s.escrow.get(milestoneId);
  if (m === undefined) {
    s.escrow.set(milestoneId, {
      funded: 0,
      held: 0,
      released: 0,
      refunded: 0,
      fees: 0,
      fundings: [],
    });
    m = s.escrow.get(milestoneId)!;
  }
  return m;
}

// The mutable loop's R14 clock helpers, copied for the same reason as the recipe (a draft's
// active milestones are searched in place: an index kept in the draft would be drafted too).
function clockMotion(s: Draft<MutableJobState>, milestoneId: string): 'runs' | 'paused' | 'reset' {
  if (s.reviews.get(milestoneId) !== 'submitted') return 'reset';
  const milestone = s.active?.milestones.find((m) => m.milestoneId === milestoneId);
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

function tick(s: Draft<MutableJobState>, milestoneId: string, at: string): void {
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

function tickClocks(s: Draft<MutableJobState>, event: JobEvent): void {
  switch (event.type) {
    case 'WorkSubmitted':
    case 'ChangesRequested':
    case 'MilestoneFunded':
    case 'FundsReleased':
    case 'FundsRefunded':
    case 'DisputeOpened':
    case 'DisputeSettled':
    case 'ReviewExpired':
      tick(s, event.data.milestoneId, event.data.at);
      return;
    case 'DisputeWithdrawn': {
      const dispute = s.disputes.get(event.data.disputeId);
      if (dispute !== undefined) tick(s, dispute.milestoneId, event.data.at);
      return;
    }
    case 'TermsAccepted': {
      const ids = new Set<string>();
      for (const m of s.active?.milestones ?? []) ids.add(m.milestoneId);
      for (const [id, clock] of s.clocks) if (clock !== null) ids.add(id);
      for (const id of ids) tick(s, id, event.data.at);
      return;
    }
    default:
      return;
  }
}

function endDispute(
  s: Draft<MutableJobState>,
  disputeId: string,
  status: 'settled' | 'withdrawn',
): void {
  const dispute = s.disputes.get(disputeId);
  if (dispute === undefined) return;
  dispute.status = status;
  s.openByMilestone.set(dispute.milestoneId, null);
  s.openDisputes -= 1;
}

function recipe(s: Draft<MutableJobState>, event: JobEvent): void {
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
        const f = m.fundings[k];
        if (f !== undefined && f.fundingId === fundingId) {
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

const EMPTY: MutableJobState = freeze(mutableInitial(), true);

/** The initial state, frozen (immer's states are). */
export function immerInitial(): MutableJobState {
  return EMPTY;
}

/** One immer `produce` per event, from `from` (the empty state by default). */
export function immerPerEvent(
  events: readonly JobEvent[],
  from: MutableJobState = EMPTY,
): MutableJobState {
  let state = from;
  for (let i = 0; i < events.length; i++) {
    const event = events[i] as JobEvent;
    state = produce(state, (draft) => {
      recipe(draft, event);
    });
  }
  return state;
}
