import type { Draft } from 'immer';
import { tableWith } from '../shared/table.js';
import { sharedText } from '../shared/shared-text.js';
import { assertNever } from '../shared/never.js';
import type { EscrowEvent } from './events.js';
import type { DisputeSettled } from '../dispute/events.js';
import {
  addFunding,
  fundingPosition,
  fundingToChange,
  milestoneToChange,
  type EscrowSlice,
} from './state.js';

/**
 * Folds a money event into the escrow slice (a recipe: it changes the working copy it is given);
 * a `DisputeSettled` marks its milestone settled.
 */
export function evolveEscrow(
  working: Draft<EscrowSlice>,
  event: EscrowEvent | DisputeSettled,
): void {
  switch (event.type) {
    case 'MilestoneFunded': {
      const { milestoneId, fundingId, amount, source, at } = event.data;
      const m = milestoneToChange(working, milestoneId);
      m.funded += amount;
      m.held += amount;
      addFunding(m, {
        fundingId,
        source: sharedText(source),
        amount,
        held: amount,
        released: 0,
        refunded: 0,
        at,
      });
      working.fundingIds = tableWith(working.fundingIds, fundingId, true);
      working.totals.funded += amount;
      working.totals.held += amount;
      return;
    }
    case 'FundsReleased': {
      const { milestoneId, amount } = event.data;
      // A v1 release carries no fee: 0 (R22).
      const fee = event.data.fee ?? 0;
      const m = milestoneToChange(working, milestoneId);
      // A release pays the whole milestone: every funding's held part goes to the freelancer (R10).
      for (let i = 0; i < m.fundings.length; i++) {
        if (m.fundings[i]?.held === 0) continue;
        const f = fundingToChange(m, i);
        f.released += f.held;
        f.held = 0;
      }
      m.held -= amount;
      m.released += amount;
      m.fees += fee;
      working.totals.held -= amount;
      working.totals.released += amount;
      working.totals.fees += fee;
      return;
    }
    case 'FundsRefunded': {
      const { milestoneId, fundingId, amount } = event.data;
      const m = milestoneToChange(working, milestoneId);
      // The refund goes back out of the funding it names (C3).
      const i = fundingPosition(m, fundingId);
      if (i >= 0) {
        const f = fundingToChange(m, i);
        f.held -= amount;
        f.refunded += amount;
      }
      m.held -= amount;
      m.refunded += amount;
      working.totals.held -= amount;
      working.totals.refunded += amount;
      return;
    }
    case 'DisputeSettled':
      // The settlement's refunds and release follow; from now on the milestone is settled (R21).
      working.settled = tableWith(working.settled, event.data.milestoneId, true);
      return;
    default:
      assertNever(event, 'escrow event');
  }
}
