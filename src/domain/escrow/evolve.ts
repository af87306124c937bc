import type { Draft } from 'immer';
import { tableGet, tableWith } from '../shared/table.js';
import { assertNever } from '../shared/never.js';
import type { EscrowEvent } from './events.js';
import type { EscrowSlice, MilestoneEscrow } from './state.js';

function milestoneDraft(draft: Draft<EscrowSlice>, milestoneId: string): Draft<MilestoneEscrow> {
  const m = tableGet(draft.milestones, milestoneId);
  if (m !== undefined) return m;
  const fresh: Draft<MilestoneEscrow> = { funded: 0, held: 0, released: 0, refunded: 0, fundings: [] };
  draft.milestones = tableWith(draft.milestones, milestoneId, fresh);
  // Read back: inside immer this is the draft of the new entry.
  return tableGet(draft.milestones, milestoneId) as Draft<MilestoneEscrow>;
}

/** Folds a money event into the escrow slice (an immer recipe). */
export function evolveEscrow(draft: Draft<EscrowSlice>, event: EscrowEvent): void {
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
      const m = milestoneDraft(draft, milestoneId);
      // A release pays the whole milestone: every funding's held part goes to the freelancer (R10).
      for (const f of m.fundings) {
        if (f.held === 0) continue;
        f.released += f.held;
        f.held = 0;
      }
      m.held -= amount;
      m.released += amount;
      draft.totals.held -= amount;
      draft.totals.released += amount;
      return;
    }
    case 'FundsRefunded': {
      const { milestoneId, fundingId, amount } = event.data;
      const m = milestoneDraft(draft, milestoneId);
      for (let i = m.fundings.length - 1; i >= 0; i--) {
        const f = m.fundings[i];
        if (f !== undefined && f.fundingId === fundingId) {
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
    default:
      assertNever(event, 'escrow event');
  }
}
