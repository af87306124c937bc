/*
 * The mutable loop's state (baselines.ts): what the library's JobState holds, as a hand-written
 * fold would keep it (mutable objects, Maps and Sets).
 */
import type { JobAwarded, Milestone, Role } from 'milestone-escrow';
import type { ReviewStatus } from 'milestone-escrow/projections';

export interface MutableFunding {
  readonly fundingId: string;
  readonly source: string;
  readonly amount: number;
  held: number;
  released: number;
  refunded: number;
  readonly at: string;
}

export interface MutableMilestoneEscrow {
  funded: number;
  held: number;
  released: number;
  refunded: number;
  fees: number;
  readonly fundings: MutableFunding[];
}

export interface MutableTerms {
  readonly proposalId: string;
  readonly milestones: readonly Milestone[];
}

export interface MutableProposal extends MutableTerms {
  readonly by: Role;
  readonly at: string;
}

export interface MutableDispute {
  readonly disputeId: string;
  readonly milestoneId: string;
  readonly openedBy: Role;
  offerBy: Role;
  refund: number;
  respondBy: string;
  escalated: boolean;
  status: 'open' | 'settled' | 'withdrawn';
}

/** A milestone's review clock (R14): milliseconds run before, and since when it runs. */
export interface MutableClock {
  ran: number;
  since: string | null;
}

export interface MutableJobState {
  version: number;
  award: JobAwarded['data'] | null;
  closedAt: string | null;
  lastAt: string | null;
  readonly reviews: Map<string, ReviewStatus>;
  active: MutableTerms | null;
  /** The active milestones by id, built when first needed after an acceptance. */
  activeById: Map<string, Milestone> | null;
  pending: MutableProposal | null;
  readonly proposalIds: Set<string>;
  readonly retiredMilestoneIds: Set<string>;
  readonly escrow: Map<string, MutableMilestoneEscrow>;
  readonly fundingIds: Set<string>;
  readonly settled: Set<string>;
  readonly totals: {
    funded: number;
    held: number;
    released: number;
    refunded: number;
    fees: number;
  };
  readonly disputes: Map<string, MutableDispute>;
  readonly openByMilestone: Map<string, string | null>;
  openDisputes: number;
  readonly clocks: Map<string, MutableClock | null>;
}

export function mutableInitial(): MutableJobState {
  return {
    version: 0,
    award: null,
    closedAt: null,
    lastAt: null,
    reviews: new Map(),
    active: null,
    activeById: null,
    pending: null,
    proposalIds: new Set(),
    retiredMilestoneIds: new Set(),
    escrow: new Map(),
    fundingIds: new Set(),
    settled: new Set(),
    totals: { funded: 0, held: 0, released: 0, refunded: 0, fees: 0 },
    disputes: new Map(),
    openByMilestone: new Map(),
    openDisputes: 0,
    clocks: new Map(),
  };
}
