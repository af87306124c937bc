import type { Money } from '../shared/money.js';
import type { FundsRefunded, RefundReason } from './events.js';
import { escrowOf, type EscrowSlice } from './state.js';

/**
 * The refund events that send `amount` of a milestone's held money back, newest funding first,
 * each part to the source it came from (R9, C3).
 */
export function refundsFor(
  escrow: EscrowSlice,
  milestoneId: string,
  amount: Money,
  reason: RefundReason,
  at: string,
): FundsRefunded[] {
  const refunds: FundsRefunded[] = [];
  const { fundings } = escrowOf(escrow, milestoneId);
  let left = amount;
  for (let i = fundings.length - 1; i >= 0 && left > 0; i--) {
    const f = fundings[i];
    if (f === undefined || f.held === 0) continue;
    const part = Math.min(f.held, left);
    refunds.push({
      type: 'FundsRefunded',
      data: { milestoneId, fundingId: f.fundingId, amount: part, source: f.source, reason, at },
    });
    left -= part;
  }
  return refunds;
}

/** Refunds of everything held for a milestone. */
export function refundAllHeld(
  escrow: EscrowSlice,
  milestoneId: string,
  reason: RefundReason,
  at: string,
): FundsRefunded[] {
  return refundsFor(escrow, milestoneId, escrowOf(escrow, milestoneId).held, reason, at);
}
