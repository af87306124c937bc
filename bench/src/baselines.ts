/*
 * The baselines the library's fold is measured against.
 *
 * `mutableFold` is what a careful engineer would write by hand for the same job stream: one
 * loop, one switch, mutable objects, Maps and Sets, no freezing, no copies it does not need.
 * It computes the same information the library's `JobState` holds (see bench/README.md):
 * the award, the closing, every milestone's review; the active terms and the pending proposal
 * with their milestones; the proposal ids used and the retired
 * milestone ids; per milestone the funded/held/released/refunded money and every funding with
 * its source and its own held/released/refunded split; the funding ids used; the job's totals;
 * and the version. It keeps references into the events (the milestone lists, the award) where
 * the library copies them, because a state nobody freezes need not be detached from its events.
 *
 * The immer baseline (one `produce` per event over this same mutable shape) is in
 * immer-baseline.ts.
 */
import {
  type JobAwarded,
  type JobEvent,
  type JobState,
  type Milestone,
  type Role,
} from 'milestone-escrow';
import { type ReviewStatus } from 'milestone-escrow/projections';
// The id tables are the library's internals: the bench reads them straight from the source.
import { tableEntries, type IdTable } from '../../src/domain/shared/table.js';

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

export interface MutableJobState {
  version: number;
  award: JobAwarded['data'] | null;
  closedAt: string | null;
  readonly reviews: Map<string, ReviewStatus>;
  active: MutableTerms | null;
  pending: MutableProposal | null;
  readonly proposalIds: Set<string>;
  readonly retiredMilestoneIds: Set<string>;
  readonly escrow: Map<string, MutableMilestoneEscrow>;
  readonly fundingIds: Set<string>;
  readonly totals: { funded: number; held: number; released: number; refunded: number };
}

export function mutableInitial(): MutableJobState {
  return {
    version: 0,
    award: null,
    closedAt: null,
    reviews: new Map(),
    active: null,
    pending: null,
    proposalIds: new Set(),
    retiredMilestoneIds: new Set(),
    escrow: new Map(),
    fundingIds: new Set(),
    totals: { funded: 0, held: 0, released: 0, refunded: 0 },
  };
}

function escrowOf(s: MutableJobState, milestoneId: string): MutableMilestoneEscrow {
  let m = s.escrow.get(milestoneId);
  if (m === undefined) {
    m = { funded: 0, held: 0, released: 0, refunded: 0, fundings: [] };
    s.escrow.set(milestoneId, m);
  }
  return m;
}

/** The hand-written fold: a plain loop with a switch over mutable state. */
export function mutableFold(
  events: readonly JobEvent[],
  s: MutableJobState = mutableInitial(),
): MutableJobState {
  for (let i = 0; i < events.length; i++) {
    const event = events[i] as JobEvent;
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
          const f = m.fundings[k] as MutableFunding;
          if (f.fundingId === fundingId) {
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
      // Part two's events: the baselines fold the v1 workloads, which have none.
      case 'ReviewExpired':
      case 'DisputeOpened':
      case 'SettlementProposed':
      case 'DisputeEscalated':
      case 'DisputeWithdrawn':
      case 'DisputeSettled':
        throw new Error(`the v1 baseline does not fold ${event.type}`);
      default: {
        const unknown: never = event;
        throw new Error(`unknown event ${JSON.stringify(unknown)}`);
      }
    }
    s.version += 1;
  }
  return s;
}

/** The mutable state as plain records (for Maps and Sets), to check both folds agree. */
export function canonicalMutable(s: MutableJobState): unknown {
  const record = <T>(m: Map<string, T>): Record<string, T> => Object.fromEntries(m);
  const trues = (set: Set<string>): Record<string, true> =>
    Object.fromEntries([...set].map((k) => [k, true as const]));
  return {
    version: s.version,
    job: { award: s.award, closedAt: s.closedAt, reviews: record(s.reviews) },
    terms: {
      active: s.active && { proposalId: s.active.proposalId, milestones: s.active.milestones },
      pending: s.pending && {
        proposalId: s.pending.proposalId,
        milestones: s.pending.milestones,
        by: s.pending.by,
        at: s.pending.at,
      },
      proposalIds: trues(s.proposalIds),
      retiredMilestoneIds: trues(s.retiredMilestoneIds),
    },
    escrow: { milestones: record(s.escrow), fundingIds: trues(s.fundingIds), totals: s.totals },
  };
}

/** The library's state as plain records (its id tables read out), in the same canonical shape. */
export function canonicalLibrary(s: JobState): unknown {
  const record = <T>(t: IdTable<T>): Record<string, T> => Object.fromEntries(tableEntries(t));
  return {
    ...s,
    job: { ...s.job, reviews: record(s.job.reviews) },
    terms: {
      ...s.terms,
      proposalIds: record(s.terms.proposalIds),
      retiredMilestoneIds: record(s.terms.retiredMilestoneIds),
    },
    escrow: {
      ...s.escrow,
      milestones: record(s.escrow.milestones),
      fundingIds: record(s.escrow.fundingIds),
    },
  };
}
