import type { Draft } from 'immer';
import type { Money } from '../shared/money.js';
import { count, fact, growingList, idSet, record, table, text } from '../shared/shape.js';
import {
  freezeTable,
  noIds,
  tableGet,
  tableHas,
  tableWith,
  type IdTable,
} from '../shared/table.js';
import { withOneMore } from '../shared/copies.js';
import { indexMoved, indexPushed, positionIn } from './funding-positions.js';

/**
 * One deposit into escrow, and where its money has gone since (C1 per funding).
 * @category State
 */
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

/**
 * The money of one milestone: funded = held + released + refunded (C1).
 * @category State
 */
export interface MilestoneEscrow {
  readonly funded: Money;
  readonly held: Money;
  readonly released: Money;
  readonly refunded: Money;
  /** The platform's fees on its release (R22), part of `released`. */
  readonly fees: Money;
  /** Oldest first; refunds take the newest first (R9). */
  readonly fundings: readonly Funding[];
}

/**
 * Money totals over the whole job.
 * @category State
 */
export interface EscrowTotals {
  readonly funded: Money;
  readonly held: Money;
  readonly released: Money;
  readonly refunded: Money;
  /** The platform's fees (R22, C5): part of `released`. */
  readonly fees: Money;
}

/**
 * The escrow slice: every milestone's money, keyed by milestone id, and the funding ids used.
 * @category State
 */
export interface EscrowSlice {
  readonly milestones: IdTable<MilestoneEscrow>;
  /** Every funding id used in the job (R5: never reused). */
  readonly fundingIds: IdTable<true>;
  /** Milestones whose dispute settled (R21): done, never released, never changed again. */
  readonly settled: IdTable<true>;
  readonly totals: EscrowTotals;
}

const EMPTY: MilestoneEscrow = Object.freeze({
  funded: 0,
  held: 0,
  released: 0,
  refunded: 0,
  fees: 0,
  fundings: Object.freeze([]),
});

const money = count;

/** A milestone's money's shape (see shared/shape.ts). */
export const milestoneEscrowShape = record<MilestoneEscrow>({
  funded: money,
  held: money,
  released: money,
  refunded: money,
  fees: money,
  fundings: growingList(
    fact<Funding>({
      fundingId: text,
      source: text,
      amount: money,
      held: money,
      released: money,
      refunded: money,
      at: text,
    }),
  ),
});

/** The escrow slice's shape (see shared/shape.ts): what copying and snapshots know of it. */
export const escrowSliceShape = record<EscrowSlice>({
  milestones: table(milestoneEscrowShape),
  fundingIds: idSet(),
  settled: idSet(),
  totals: record<EscrowTotals>({
    funded: money,
    held: money,
    released: money,
    refunded: money,
    fees: money,
  }),
});

/** A new job's escrow: no money, no funding ids. */
export function initialEscrowSlice(): EscrowSlice {
  return {
    milestones: noIds(),
    fundingIds: noIds(),
    settled: noIds(),
    totals: { funded: 0, held: 0, released: 0, refunded: 0, fees: 0 },
  };
}

/** A milestone's money (all zero if it was never funded). */
export function escrowOf(escrow: EscrowSlice, milestoneId: string): MilestoneEscrow {
  return tableGet(escrow.milestones, milestoneId) ?? EMPTY;
}

/**
 * True once the milestone's funds were released (R5, R10): a release pays the whole, positive
 * amount. A settlement's release (R21) does not make a milestone released: it is settled.
 */
export function isReleased(escrow: EscrowSlice, milestoneId: string): boolean {
  return escrowOf(escrow, milestoneId).released > 0 && !tableHas(escrow.settled, milestoneId);
}

/** True once the milestone's dispute settled (R21). */
export function isSettled(escrow: EscrowSlice, milestoneId: string): boolean {
  return tableHas(escrow.settled, milestoneId);
}

/*
 * Copy-on-write for the escrow slice. A working copy may share milestones and fundings with the
 * frozen state it started from (see `changeable` in freeze-state.ts); these helpers hand a recipe
 * an object of its own to change, so that evolve reads as the rule and never as the plumbing.
 */

/**
 * A milestone's money for a recipe to change: the working copy's own (a shared, frozen one is
 * copied first; one never funded starts at zero).
 */
export function milestoneToChange(
  working: Draft<EscrowSlice>,
  milestoneId: string,
): Draft<MilestoneEscrow> {
  const m = tableGet(working.milestones, milestoneId);
  if (m !== undefined && !Object.isFrozen(m)) return m;
  const own: Draft<MilestoneEscrow> =
    m === undefined
      ? { funded: 0, held: 0, released: 0, refunded: 0, fees: 0, fundings: [] }
      : (copyMilestoneEscrow(m) as Draft<MilestoneEscrow>);
  working.milestones = tableWith(working.milestones, milestoneId, own);
  return own;
}

/**
 * The funding at position `i` of a milestone a recipe is changing, as its own copy: the list and
 * its fundings are shared with the frozen state until changed.
 */
export function fundingToChange(m: Draft<MilestoneEscrow>, i: number): Draft<Funding> {
  if (Object.isFrozen(m.fundings)) {
    const shared = m.fundings;
    m.fundings = [...shared];
    indexMoved(shared, m.fundings);
  }
  const f = m.fundings[i] as Draft<Funding>;
  if (!Object.isFrozen(f)) return f;
  const copy = { ...f };
  m.fundings[i] = copy;
  return copy;
}

/**
 * Adds a funding to a milestone a recipe is changing: onto its own list, or onto a copy of the
 * list it shares with the frozen state, made once at its size.
 */
export function addFunding(m: Draft<MilestoneEscrow>, funding: Funding): void {
  const shared = m.fundings;
  const position = shared.length;
  if (Object.isFrozen(shared)) {
    m.fundings = withOneMore(shared, funding);
    indexMoved(shared, m.fundings);
  } else shared.push(funding);
  indexPushed(m.fundings, position);
}

/**
 * The position of a funding in its milestone's list (the newest of that id), or -1: the newest
 * few are scanned, then an index is used (see funding-positions.ts).
 */
export function fundingPosition(m: MilestoneEscrow, fundingId: string): number {
  return positionIn(m.fundings, fundingId);
}

/**
 * A milestone's money as a working copy changes it: its own totals, sharing the list of fundings
 * (`addFunding` and `fundingToChange` copy it before it is changed).
 */
export function copyMilestoneEscrow(m: MilestoneEscrow): MilestoneEscrow {
  return {
    funded: m.funded,
    held: m.held,
    released: m.released,
    refunded: m.refunded,
    fees: m.fees,
    fundings: m.fundings,
  };
}

function freezeMilestoneEscrow(m: MilestoneEscrow): void {
  // Shared with the state a working copy started from (`milestoneToChange`): frozen already.
  if (Object.isFrozen(m)) return;
  const fundings = m.fundings;
  // A list still shared with a frozen state is frozen with every funding in it.
  if (!Object.isFrozen(fundings)) {
    for (let i = 0; i < fundings.length; i++) Object.freeze(fundings[i]);
    Object.freeze(fundings);
  }
  Object.freeze(m);
}

/**
 * Freezes a working copy's escrow slice in place (written out for speed, as `freezeJobSlice` is,
 * and held to the shape by the same property test).
 */
export function freezeEscrowSlice(escrow: EscrowSlice): void {
  const working = escrow as { -readonly [K in keyof EscrowSlice]: EscrowSlice[K] };
  working.milestones = freezeTable(working.milestones, freezeMilestoneEscrow);
  working.fundingIds = freezeTable(working.fundingIds);
  working.settled = freezeTable(working.settled);
  Object.freeze(working.totals);
  Object.freeze(working);
}
