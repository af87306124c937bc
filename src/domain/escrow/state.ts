import type { Money } from '../shared/money.js';
import { noIds, tableGet, type IdTable } from '../shared/table.js';

/** One deposit into escrow, and where its money has gone since (C1 per funding). */
export interface Funding {
  readonly fundingId: string;
  readonly source: string;
  readonly amount: Money;
  /** Still in escrow. */
  readonly held: Money;
  /** Paid to the freelancer. */
  readonly released: Money;
  /** Back to `source` (C3: never more than `amount`). */
  readonly refunded: Money;
  readonly at: string;
}

/** The money of one milestone: funded = held + released + refunded (C1). */
export interface MilestoneEscrow {
  readonly funded: Money;
  readonly held: Money;
  readonly released: Money;
  readonly refunded: Money;
  /** Oldest first; refunds take the newest first (R9). */
  readonly fundings: readonly Funding[];
}

/** Money totals over the whole job. */
export interface EscrowTotals {
  readonly funded: Money;
  readonly held: Money;
  readonly released: Money;
  readonly refunded: Money;
}

/** The escrow slice: every milestone's money, keyed by milestone id, and the funding ids used. */
export interface EscrowSlice {
  readonly milestones: IdTable<MilestoneEscrow>;
  /** Every funding id used in the job (R5: never reused). */
  readonly fundingIds: IdTable<true>;
  readonly totals: EscrowTotals;
}

const EMPTY: MilestoneEscrow = Object.freeze({
  funded: 0,
  held: 0,
  released: 0,
  refunded: 0,
  fundings: Object.freeze([]),
});

export function initialEscrowSlice(): EscrowSlice {
  return {
    milestones: noIds(),
    fundingIds: noIds(),
    totals: { funded: 0, held: 0, released: 0, refunded: 0 },
  };
}

/** A milestone's money (all zero if it was never funded). */
export function escrowOf(escrow: EscrowSlice, milestoneId: string): MilestoneEscrow {
  return tableGet(escrow.milestones, milestoneId) ?? EMPTY;
}

/** True once the milestone's funds were released (R5, R10): a release pays the whole, positive amount. */
export function isReleased(escrow: EscrowSlice, milestoneId: string): boolean {
  return escrowOf(escrow, milestoneId).released > 0;
}

/**
 * A milestone's money as a working copy changes it: its own totals and list, sharing the
 * fundings; the recipes copy a shared (frozen) funding before they change it.
 */
export function copyMilestoneEscrow(m: MilestoneEscrow): MilestoneEscrow {
  // Spread, not `slice` or `map`: those take V8's slow path on a frozen array.
  return {
    funded: m.funded,
    held: m.held,
    released: m.released,
    refunded: m.refunded,
    fundings: [...m.fundings],
  };
}

/**
 * The same for a milestone of any state: a funding that is not frozen (a state the library did
 * not hand out) is copied, so that freezing the result never freezes the caller's object.
 */
export function ownMilestoneEscrow(m: MilestoneEscrow): MilestoneEscrow {
  const fundings: Funding[] = [];
  for (const f of m.fundings) fundings.push(Object.isFrozen(f) ? f : { ...f });
  return { funded: m.funded, held: m.held, released: m.released, refunded: m.refunded, fundings };
}
