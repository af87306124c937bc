import type { Draft } from 'immer';
import { tableGet, tableWith } from '../shared/table.js';
import { assertNever } from '../shared/never.js';
import type { EscrowEvent } from './events.js';
import type { DisputeSettled } from '../dispute/events.js';
import {
  copyMilestoneEscrow,
  type EscrowSlice,
  type Funding,
  type MilestoneEscrow,
} from './state.js';

function milestoneDraft(draft: Draft<EscrowSlice>, milestoneId: string): Draft<MilestoneEscrow> {
  const m = tableGet(draft.milestones, milestoneId);
  if (m !== undefined) {
    if (!Object.isFrozen(m)) return m;
    // Shared with the frozen state a working copy started from: changed on a copy of its own.
    const own = copyMilestoneEscrow(m) as Draft<MilestoneEscrow>;
    draft.milestones = tableWith(draft.milestones, milestoneId, own);
    return own;
  }
  const fresh: Draft<MilestoneEscrow> = {
    funded: 0,
    held: 0,
    released: 0,
    refunded: 0,
    fees: 0,
    fundings: [],
  };
  draft.milestones = tableWith(draft.milestones, milestoneId, fresh);
  return fresh;
}

/**
 * The funding at `i`, to change: a funding shared with the frozen state a working copy started
 * from (see `copyMilestoneEscrow`) is replaced by a copy of its own first.
 */
function own(fundings: Draft<Funding>[], i: number): Draft<Funding> {
  const f = fundings[i] as Draft<Funding>;
  if (!Object.isFrozen(f)) return f;
  const copy = { ...f };
  fundings[i] = copy;
  return copy;
}

/**
 * Folds a money event into the escrow slice (a recipe: it mutates the working copy it is given);
 * a `DisputeSettled` marks its milestone settled.
 */
export function evolveEscrow(draft: Draft<EscrowSlice>, event: EscrowEvent | DisputeSettled): void {
  switch (event.type) {
    case 'MilestoneFunded': {
      const { milestoneId, fundingId, amount, source, at } = event.data;
      const m = milestoneDraft(draft, milestoneId);
      m.funded += amount;
      m.held += amount;
      m.fundings.push({ fundingId, source, amount, held: amount, released: 0, refunded: 0, at });
      draft.fundingIds = tableWith(draft.fundingIds, fundingId, true);
      draft.totals.funded += amount;
      draft.totals.held += amount;
      return;
    }
    case 'FundsReleased': {
      const { milestoneId, amount } = event.data;
      // A v1 release carries no fee: 0 (R22).
      const fee = event.data.fee ?? 0;
      const m = milestoneDraft(draft, milestoneId);
      // A release pays the whole milestone: every funding's held part goes to the freelancer (R10).
      const fundings = m.fundings;
      for (let i = 0; i < fundings.length; i++) {
        const f = own(fundings, i);
        if (f.held === 0) continue;
        f.released += f.held;
        f.held = 0;
      }
      m.held -= amount;
      m.released += amount;
      m.fees += fee;
      draft.totals.held -= amount;
      draft.totals.released += amount;
      draft.totals.fees += fee;
      return;
    }
    case 'FundsRefunded': {
      const { milestoneId, fundingId, amount } = event.data;
      const m = milestoneDraft(draft, milestoneId);
      const fundings = m.fundings;
      for (let i = fundings.length - 1; i >= 0; i--) {
        if ((fundings[i] as Funding).fundingId === fundingId) {
          const f = own(fundings, i);
          f.held -= amount;
          f.refunded += amount;
          break;
        }
      }
      m.held -= amount;
      m.refunded += amount;
      draft.totals.held -= amount;
      draft.totals.refunded += amount;
      return;
    }
    case 'DisputeSettled':
      // The settlement's refunds and release follow; from now on the milestone is settled (R21).
      draft.settled = tableWith(draft.settled, event.data.milestoneId, true);
      return;
    default:
      assertNever(event, 'escrow event');
  }
}
