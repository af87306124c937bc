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
import { mutableInitial, type MutableJobState, type MutableMilestoneEscrow } from './baselines.js';

enableMapSet();

function escrowOf(s: Draft<MutableJobState>, milestoneId: string): Draft<MutableMilestoneEscrow> {
  let m = s.escrow.get(milestoneId);
  if (m === undefined) {
    s.escrow.set(milestoneId, { funded: 0, held: 0, released: 0, refunded: 0, fundings: [] });
    m = s.escrow.get(milestoneId)!;
  }
  return m;
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
      const m = escrowOf(s, milestoneId);
      for (const f of m.fundings) {
        if (f.held === 0) continue;
        f.released += f.held;
        f.held = 0;
      }
      m.held -= amount;
      m.released += amount;
      s.totals.held -= amount;
      s.totals.released += amount;
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
    default: {
      const unknown: never = event;
      throw new Error(`unknown event ${JSON.stringify(unknown)}`);
    }
  }
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
