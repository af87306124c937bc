import type { JobEvent } from '../domain/events.js';
import type { SettlementOutcome } from '../domain/dispute/events.js';
import type { RefundReason } from '../domain/escrow/events.js';
import type { Money } from '../domain/shared/money.js';
import type { ActorRole, Role } from '../domain/shared/schema.js';
import { ledgerProjection, type Ledger, type LedgerTotals } from './ledger.js';
import { requireLedger } from './ledger-check.js';
import { mapView, project } from './projection.js';

/*
 * The escrow closing statement of a job: each deposit, the source it came from, and what became of
 * its money (released to the freelancer, refunded to its source, or still held), with when and why.
 * It is read off the ledger's postings, so it agrees with the ledger by construction.
 */

/**
 * What became of part of a funding's money: released, refunded, or (part two) the platform's fee
 * on its release, which the freelancer pays out of the released money (R22).
 */
export interface FundingMovement {
  readonly kind: 'released' | 'refunded' | 'fee';
  readonly amount: Money;
  readonly at: string;
  /** The stream position of the event that moved it. */
  readonly position: number;
  /** Why, for a refund. */
  readonly reason?: RefundReason;
}

/** One deposit into escrow and where its money went. */
export interface FundingStatement {
  readonly fundingId: string;
  readonly milestoneId: string;
  readonly source: string;
  readonly amount: Money;
  readonly at: string;
  readonly position: number;
  readonly comment?: string;
  /** Still in escrow. */
  readonly held: Money;
  readonly released: Money;
  readonly refunded: Money;
  /** Releases and refunds of this funding, and the fees on its releases, in order. */
  readonly movements: readonly FundingMovement[];
}

/** One payment source's money over the job. */
export interface SourceStatement {
  readonly source: string;
  readonly funded: Money;
  readonly held: Money;
  readonly released: Money;
  readonly refunded: Money;
}

/** One part of a settlement's refund: the money of one funding, back to its own source (R21). */
export interface SettlementRefund {
  readonly fundingId: string;
  readonly source: string;
  readonly amount: Money;
}

/**
 * A dispute's settlement (R21) and where the money held for its milestone went: `refund` back to
 * the client's sources (newest funding first), `release` to the freelancer, who pays the
 * platform's `fee` out of it (R22).
 */
export interface SettlementStatement {
  readonly disputeId: string;
  readonly milestoneId: string;
  /** `agreed` (an offer accepted), `expired` (an offer left unanswered) or `ruled` (by the platform). */
  readonly outcome: SettlementOutcome;
  /** Whose figure it settled on: the standing offer's author, or the platform for a ruling. */
  readonly offeredBy: ActorRole;
  /** The party that opened the dispute. */
  readonly openedBy: Role;
  /** The role whose command settled it: the party who accepted, whoever expired it, the platform. */
  readonly settledBy: ActorRole;
  readonly at: string;
  /** The stream position of its `DisputeSettled` event (its refunds and release follow it). */
  readonly position: number;
  /** What the milestone held when it settled: `refund + release`. */
  readonly held: Money;
  /** Back to the client, in all. */
  readonly refund: Money;
  /** The refund, part by part, each to the source its funding came from. */
  readonly refunds: readonly SettlementRefund[];
  /** To the freelancer, gross. */
  readonly release: Money;
  /** The platform's fee on the release (R22). */
  readonly fee: Money;
  /** What the freelancer nets: `release − fee`. */
  readonly toFreelancer: Money;
}

/** A job's escrow closing statement (provisional while the job is open). */
export interface ClosingStatement {
  readonly jobId: string;
  readonly title: string;
  readonly currency: string;
  /** True once the job is closed: the statement is final. */
  readonly closed: boolean;
  readonly closedAt: string | null;
  /** The number of events the statement covers. */
  readonly version: number;
  /** Every funding, in the order it was made. */
  readonly fundings: readonly FundingStatement[];
  /** Every source, in the order of its first funding. */
  readonly sources: readonly SourceStatement[];
  /** Every dispute's settlement, in the order they happened (R21). */
  readonly settlements: readonly SettlementStatement[];
  readonly totals: LedgerTotals;
}

interface MutableFunding {
  fundingId: string;
  milestoneId: string;
  source: string;
  amount: Money;
  at: string;
  position: number;
  comment?: string;
  held: Money;
  released: Money;
  refunded: Money;
  movements: FundingMovement[];
}

/** A funding as its posting opens it: all of it held, nothing moved yet. */
function openedFunding(p: Ledger['postings'][number]): MutableFunding {
  const f: MutableFunding = {
    fundingId: p.fundingId,
    milestoneId: p.milestoneId,
    source: p.source,
    amount: p.amount,
    at: p.at,
    position: p.position,
    held: p.amount,
    released: 0,
    refunded: 0,
    movements: [],
  };
  if (p.comment !== undefined) f.comment = p.comment;
  return f;
}

/** The closing statement read off a job's ledger. */
export function closingStatement(ledger: Ledger): ClosingStatement {
  requireLedger(ledger);
  const fundings = new Map<string, MutableFunding>();
  const sources = new Map<
    string,
    { source: string; funded: Money; held: Money; released: Money; refunded: Money }
  >();
  const sourceLine = (source: string) => {
    let s = sources.get(source);
    if (s === undefined) {
      s = { source, funded: 0, held: 0, released: 0, refunded: 0 };
      sources.set(source, s);
    }
    return s;
  };
  for (const p of ledger.postings) {
    const s = sourceLine(p.source);
    if (p.kind === 'funding') {
      fundings.set(p.fundingId, openedFunding(p));
      s.funded += p.amount;
      s.held += p.amount;
      continue;
    }
    const f = fundings.get(p.fundingId);
    if (f === undefined) continue; // not in a sound ledger: every movement follows its funding
    if (p.kind === 'fee') {
      // Out of the money released, not out of escrow: held and released stay as they are.
      f.movements.push(
        Object.freeze({ kind: 'fee', amount: p.amount, at: p.at, position: p.position }),
      );
      continue;
    }
    f.held -= p.amount;
    s.held -= p.amount;
    if (p.kind === 'release') {
      f.released += p.amount;
      s.released += p.amount;
      f.movements.push(
        Object.freeze({ kind: 'released', amount: p.amount, at: p.at, position: p.position }),
      );
    } else {
      f.refunded += p.amount;
      s.refunded += p.amount;
      const movement: FundingMovement =
        p.reason === undefined
          ? { kind: 'refunded', amount: p.amount, at: p.at, position: p.position }
          : {
              kind: 'refunded',
              amount: p.amount,
              at: p.at,
              position: p.position,
              reason: p.reason,
            };
      f.movements.push(Object.freeze(movement));
    }
  }
  const fundingList: FundingStatement[] = [];
  for (const f of fundings.values()) {
    Object.freeze(f.movements);
    fundingList.push(Object.freeze(f));
  }
  return Object.freeze({
    jobId: ledger.jobId,
    title: ledger.title,
    currency: ledger.currency,
    closed: ledger.closedAt !== null,
    closedAt: ledger.closedAt,
    version: ledger.version,
    fundings: Object.freeze(fundingList),
    sources: Object.freeze([...sources.values()].map((s) => Object.freeze(s))),
    settlements: settlementsOf(ledger),
    totals: ledger.totals,
  });
}

const NO_SETTLEMENTS: readonly SettlementStatement[] = Object.freeze([]);

/**
 * The settlements of a ledger with where their money went: the `dispute-settled` refunds and the
 * fee that follow each `DisputeSettled` (a milestone settles once, and nothing names it after).
 */
function settlementsOf(ledger: Ledger): readonly SettlementStatement[] {
  if (ledger.settlements.length === 0) return NO_SETTLEMENTS;
  const found = new Map(
    ledger.settlements.map((s) => [s.milestoneId, { refunds: [] as SettlementRefund[], fee: 0 }]),
  );
  const positions = new Map(ledger.settlements.map((s) => [s.milestoneId, s.position]));
  for (const p of ledger.postings) {
    const money = found.get(p.milestoneId);
    if (money === undefined || p.position <= (positions.get(p.milestoneId) ?? Infinity)) continue;
    if (p.kind === 'refund' && p.reason === 'dispute-settled')
      money.refunds.push(
        Object.freeze({ fundingId: p.fundingId, source: p.source, amount: p.amount }),
      );
    else if (p.kind === 'fee') money.fee += p.amount;
  }
  return Object.freeze(
    ledger.settlements.map((s) => {
      const { refunds, fee } = found.get(s.milestoneId) ?? { refunds: [], fee: 0 };
      return Object.freeze({
        disputeId: s.disputeId,
        milestoneId: s.milestoneId,
        outcome: s.outcome,
        offeredBy: s.offeredBy,
        openedBy: s.openedBy,
        settledBy: s.by,
        at: s.at,
        position: s.position,
        held: s.refund + s.release,
        refund: s.refund,
        refunds: Object.freeze(refunds),
        release: s.release,
        fee,
        toFreelancer: s.release - fee,
      });
    }),
  );
}

/** The closing statement as a projection (one per job stream). */
export const closingStatementProjection = mapView(
  ledgerProjection,
  'closing-statement',
  closingStatement,
);

/** The closing statement of one job's events. */
export function closingStatementOf(events: Iterable<JobEvent>): ClosingStatement {
  return project(closingStatementProjection, events);
}
