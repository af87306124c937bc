import type { Money } from '../shared/money.js';
import type { Role } from '../shared/schema.js';
import { count, fact, flag, nullable, oneOf, record, table, text } from '../shared/shape.js';
import { freezeTable, noIds, tableGet, tableIsEmpty, type IdTable } from '../shared/table.js';

/**
 * Where a dispute stands: open, or ended by a settlement or a withdrawal (R20).
 * @category State
 */
export type DisputeStatus = 'open' | 'settled' | 'withdrawn';

/**
 * One dispute over the money held for a milestone (R16–R21).
 * @category State
 */
export interface Dispute {
  readonly disputeId: string;
  readonly milestoneId: string;
  /** The party that opened it (the only one who may withdraw it). */
  readonly openedBy: Role;
  /** The author of the current offer; the other party must answer it. */
  readonly offerBy: Role;
  /** The current offer: what goes back to the client (the rest goes to the freelancer). */
  readonly refund: Money;
  /** When the current offer's answer is due (enforced only while not escalated, R19). */
  readonly respondBy: string;
  /** True once a party handed the dispute to the platform (R19). */
  readonly escalated: boolean;
  readonly status: DisputeStatus;
}

/**
 * The dispute slice: every dispute of the job, and the open one of each milestone.
 * @category State
 */
export interface DisputeSlice {
  /** Every dispute ever opened, by id (ids are never reused). */
  readonly disputes: IdTable<Dispute>;
  /** The open dispute of a milestone, by milestone id (`null` once it ended). */
  readonly openByMilestone: IdTable<string | null>;
  /** How many disputes are open: none lets the terms checks skip looking (R17). */
  readonly open: number;
}

/** The dispute slice's shape (see shared/shape.ts): what freezing, copying and snapshots know of it. */
export const disputeSliceShape = record<DisputeSlice>({
  // Disputes are replaced whole (`disputeWith`), never changed in place: facts.
  disputes: table(
    fact<Dispute>({
      disputeId: text,
      milestoneId: text,
      openedBy: oneOf<Role>('client', 'freelancer'),
      offerBy: oneOf<Role>('client', 'freelancer'),
      refund: count,
      respondBy: text,
      escalated: flag,
      status: oneOf<DisputeStatus>('open', 'settled', 'withdrawn'),
    }),
  ),
  openByMilestone: table(nullable(text)),
  open: count,
});

/** A new job's disputes: none. */
export function initialDisputeSlice(): DisputeSlice {
  return { disputes: noIds(), openByMilestone: noIds(), open: 0 };
}

/** A dispute by id, if one was ever opened. */
export function disputeOf(slice: DisputeSlice, disputeId: string): Dispute | undefined {
  return tableGet(slice.disputes, disputeId);
}

/** The open dispute of a milestone, if any (R17). */
export function openDisputeOn(slice: DisputeSlice, milestoneId: string): Dispute | undefined {
  if (slice.open === 0) return undefined;
  const disputeId = tableGet(slice.openByMilestone, milestoneId);
  return disputeId === undefined || disputeId === null
    ? undefined
    : tableGet(slice.disputes, disputeId);
}

/** A dispute with some of its fields changed: disputes are values, replaced whole. */
export function disputeWith(dispute: Dispute, change: Partial<Dispute>): Dispute {
  return { ...dispute, ...change };
}

// The dispute slice every job without disputes (most jobs) hands out, frozen once: freezing a
// slice of its own on every fold cost about 3 % of a v1 fold.
const NO_DISPUTES: DisputeSlice = Object.freeze(initialDisputeSlice());

/**
 * A working copy's dispute slice, frozen (written out for speed, as `freezeJobSlice` is, and held
 * to the shape by the same property test): frozen in place, or for a job that never had a
 * dispute the one shared empty slice, equal to it.
 */
export function frozenDisputeSlice(slice: DisputeSlice): DisputeSlice {
  if (tableIsEmpty(slice.disputes) && tableIsEmpty(slice.openByMilestone) && slice.open === 0)
    return NO_DISPUTES;
  const working = slice as { -readonly [K in keyof DisputeSlice]: DisputeSlice[K] };
  working.disputes = freezeTable(working.disputes, freezeDispute);
  working.openByMilestone = freezeTable(working.openByMilestone);
  return Object.freeze(working);
}

function freezeDispute(dispute: Dispute): void {
  Object.freeze(dispute);
}
