import type { Draft } from 'immer';
import { deepFreeze } from '../domain/shared/freeze.js';
import { applyEvent } from '../domain/decider.js';
import type { JobEvent } from '../domain/events.js';
import type { SettlementOutcome } from '../domain/dispute/events.js';
import { disputeOf } from '../domain/dispute/state.js';
import type { RefundReason } from '../domain/escrow/events.js';
import { escrowOf } from '../domain/escrow/state.js';
import { emptyState, type JobState } from '../domain/state.js';
import { fail } from '../domain/shared/errors.js';
import { describe } from '../domain/shared/parse.js';
import type { Money } from '../domain/shared/money.js';
import type { ActorRole, Role } from '../domain/shared/schema.js';
import { assertNever } from '../domain/shared/never.js';
import { project, type Projection } from './projection.js';
import { requireLedger } from './ledger-check.js';

/*
 * The escrow ledger: every money event as double-entry postings between three kinds of account.
 * - `source:<source>`  the client's payment source the money came from (and goes back to);
 * - `escrow:<milestoneId>`  the money escrow holds for one milestone (prefunds included);
 * - `freelancer`  what the freelancer has been paid;
 * - `platform`  the platform's fees (R22), charged to the freelancer on each release.
 * A posting moves `amount` from its `credit` account to its `debit` account. An account's balance
 * is its debits minus its credits, so a source that paid in has a negative balance, escrow holds a
 * positive one, and every posting leaves the sum of all balances (the trial balance) at zero.
 */

/** An account of the escrow ledger. */
export type LedgerAccount = 'freelancer' | 'platform' | `escrow:${string}` | `source:${string}`;

/** The freelancer's account: what has been released to them, less the platform's fees. */
export const FREELANCER_ACCOUNT = 'freelancer';
/**
 * The platform's account: its fees on releases (R22); its balance is the job's `totals.fees`.
 * @category Reading a job
 */
export const PLATFORM_ACCOUNT = 'platform';
/** The escrow account of one milestone. */
export function escrowAccount(milestoneId: string): `escrow:${string}` {
  return `escrow:${accountPart(milestoneId, 'milestoneId')}`;
}
/** The account of one of the client's payment sources. */
export function sourceAccount(source: string): `source:${string}` {
  return `source:${accountPart(source, 'source')}`;
}

/** What names an account is text (a Symbol or an object without toString was a TypeError). */
function accountPart(value: unknown, path: string): string {
  if (typeof value !== 'string')
    fail('INVALID_INPUT', `${path} must be a string, not ${describe(value)}`, { path });
  return value;
}

/**
 * What a posting records: a funding (source → escrow), a release (escrow → freelancer), a refund
 * (escrow → source) or the platform's fee on a release (freelancer → platform, R22).
 */
export type PostingKind = 'funding' | 'release' | 'refund' | 'fee';

/** One double-entry posting: `amount` moves from `credit` to `debit`. */
export interface Posting {
  readonly kind: PostingKind;
  /** The 1-based position in the job's stream of the event that made it. */
  readonly position: number;
  /** The event's `at`. */
  readonly at: string;
  readonly debit: LedgerAccount;
  readonly credit: LedgerAccount;
  readonly amount: Money;
  readonly milestoneId: string;
  /** The funding whose money moves (a release of a milestone funded twice makes two postings). */
  readonly fundingId: string;
  /** The payment source that funding came from. */
  readonly source: string;
  /** The funding's comment, on a funding posting that has one. */
  readonly comment?: string;
  /** Why the money went back, on a refund posting. */
  readonly reason?: RefundReason;
}

/** Money totals as the ledger counts them. */
export interface LedgerTotals {
  /** Everything paid into escrow (the funding postings). */
  readonly funded: Money;
  /** Everything escrow holds now (the escrow accounts' balances). */
  readonly held: Money;
  /** Everything paid to the freelancer (the release postings). */
  readonly released: Money;
  /** Everything paid back to sources (the refund postings). */
  readonly refunded: Money;
  /** The platform's fees (the fee postings): the platform account's balance (R22). */
  readonly fees: Money;
}

/**
 * A dispute's settlement as the ledger records it (R21): who settled it and how, which its
 * postings (the refunds and the release that follow it) do not say.
 */
export interface LedgerSettlement {
  /** The stream position of the `DisputeSettled` event. */
  readonly position: number;
  readonly at: string;
  readonly disputeId: string;
  readonly milestoneId: string;
  readonly outcome: SettlementOutcome;
  /** The role whose command settled it. */
  readonly by: ActorRole;
  /** The party that opened the dispute. */
  readonly openedBy: Role;
  /** Whose figure it settled on: the standing offer's author, or the platform for a ruling. */
  readonly offeredBy: ActorRole;
  readonly refund: Money;
  readonly release: Money;
}

/** A job's escrow ledger. */
export interface Ledger {
  readonly jobId: string;
  readonly title: string;
  readonly currency: string;
  /** The number of events folded. */
  readonly version: number;
  /** When the job was closed, `null` while it is open. */
  readonly closedAt: string | null;
  /** Every posting, in event order. */
  readonly postings: readonly Posting[];
  /** Every dispute's settlement, in event order (R21). */
  readonly settlements: readonly LedgerSettlement[];
  /** Each account's balance (debits − credits), in the order of its first posting. */
  readonly balances: Readonly<Partial<Record<LedgerAccount, number>>>;
  readonly totals: LedgerTotals;
}

/** The ledger projection's private accumulator. */
export interface LedgerAccumulator {
  /** The job's state so far: which fundings a release pays from. */
  readonly state: JobState;
  readonly postings: Posting[];
  readonly settlements: LedgerSettlement[];
  readonly balances: Partial<Record<LedgerAccount, number>>;
  readonly totals: { funded: Money; released: Money; refunded: Money; fees: Money };
}

const TOTAL = { funding: 'funded', release: 'released', refund: 'refunded', fee: 'fees' } as const;

/** Keeps an event's postings (each adds to its kind's total) once the state took the event. */
function keep(acc: LedgerAccumulator, postings: readonly Posting[]): void {
  for (const posting of postings) {
    acc.postings.push(Object.freeze(posting));
    acc.balances[posting.debit] = (acc.balances[posting.debit] ?? 0) + posting.amount;
    acc.balances[posting.credit] = (acc.balances[posting.credit] ?? 0) - posting.amount;
    acc.totals[TOTAL[posting.kind]] += posting.amount;
  }
}

/**
 * A release pays every funding's held part to the freelancer (R10): one posting each. The fee is
 * charged once, on the newest funding released (the postings name a funding).
 */
function postRelease(
  acc: LedgerAccumulator,
  postings: Posting[],
  position: number,
  release: Extract<JobEvent, { type: 'FundsReleased' }>['data'],
): void {
  const { milestoneId, at } = release;
  const fee = release.fee ?? 0;
  let last: { fundingId: string; source: string } | undefined;
  for (const f of escrowOf(acc.state.escrow, milestoneId).fundings) {
    if (f.held === 0) continue;
    last = f;
    postings.push({
      kind: 'release',
      position,
      at,
      debit: FREELANCER_ACCOUNT,
      credit: escrowAccount(milestoneId),
      amount: f.held,
      milestoneId,
      fundingId: f.fundingId,
      source: f.source,
    });
  }
  if (fee > 0 && last !== undefined) {
    const { fundingId, source } = last;
    postings.push({
      kind: 'fee',
      position,
      at,
      debit: PLATFORM_ACCOUNT,
      credit: FREELANCER_ACCOUNT,
      amount: fee,
      milestoneId,
      fundingId,
      source,
    });
  }
}

function applyToLedger(acc: LedgerAccumulator, event: JobEvent): void {
  const position = acc.state.version + 1;
  // Read against the state before the event, kept once the state took it.
  const postings: Posting[] = [];
  let settlement: LedgerSettlement | undefined;
  switch (event.type) {
    case 'MilestoneFunded': {
      const { milestoneId, fundingId, amount, source, comment, at } = event.data;
      const base = {
        kind: 'funding',
        position,
        at,
        debit: escrowAccount(milestoneId),
        credit: sourceAccount(source),
        amount,
        milestoneId,
        fundingId,
        source,
      } as const;
      postings.push(comment === undefined ? base : { ...base, comment });
      break;
    }
    case 'FundsReleased':
      postRelease(acc, postings, position, event.data);
      break;
    case 'FundsRefunded': {
      const { milestoneId, fundingId, amount, source, reason, at } = event.data;
      postings.push({
        kind: 'refund',
        position,
        at,
        debit: sourceAccount(source),
        credit: escrowAccount(milestoneId),
        amount,
        milestoneId,
        fundingId,
        source,
        reason,
      });
      break;
    }
    case 'JobAwarded':
    case 'TermsProposed':
    case 'TermsAccepted':
    case 'TermsDeclined':
    case 'TermsWithdrawn':
    case 'WorkSubmitted':
    case 'ChangesRequested':
    case 'JobClosed':
    case 'ReviewExpired':
    case 'DisputeOpened':
    case 'SettlementProposed':
    case 'DisputeEscalated':
    case 'DisputeWithdrawn':
      // No money moves: the releases and refunds that follow post it.
      break;
    case 'DisputeSettled':
      // No money moves here either; the settlement's facts are kept for the closing statement.
      settlement = settlementOf(acc.state, event.data, position);
      break;
    default:
      assertNever(event, 'event');
  }
  applyEvent(acc.state as Draft<JobState>, event);
  keep(acc, postings);
  if (settlement !== undefined) acc.settlements.push(settlement);
}

function settlementOf(
  state: JobState,
  data: Extract<JobEvent, { type: 'DisputeSettled' }>['data'],
  position: number,
): LedgerSettlement {
  const { disputeId, milestoneId, outcome, by, refund, release, at } = data;
  // The dispute as it stood before it settled (a sound history opened it first).
  const dispute = disputeOf(state.dispute, disputeId);
  const openedBy = dispute?.openedBy ?? 'client';
  const offeredBy = outcome === 'ruled' ? 'platform' : (dispute?.offerBy ?? openedBy);
  return Object.freeze({
    position,
    at,
    disputeId,
    milestoneId,
    outcome,
    by,
    openedBy,
    offeredBy,
    refund,
    release,
  });
}

function heldIn(balances: Readonly<Partial<Record<LedgerAccount, number>>>): Money {
  let held = 0;
  for (const [account, balance] of Object.entries(balances))
    if (account.startsWith('escrow:')) held += balance ?? 0;
  return held;
}

/** The escrow ledger as a projection (one ledger per job stream). */
export const ledgerProjection: Projection<LedgerAccumulator, Ledger> = {
  name: 'ledger',
  initial: () => ({
    state: emptyState(),
    postings: [],
    settlements: [],
    balances: {},
    totals: { funded: 0, released: 0, refunded: 0, fees: 0 },
  }),
  apply: applyToLedger,
  view: (acc) => {
    const award = acc.state.job.award;
    // Postings are frozen when they are made; the rest is copied and frozen here.
    return Object.freeze({
      jobId: award?.jobId ?? '',
      title: award?.title ?? '',
      currency: award?.currency ?? '',
      version: acc.state.version,
      closedAt: acc.state.job.closedAt,
      postings: Object.freeze(acc.postings.slice()),
      settlements: Object.freeze(acc.settlements.slice()),
      balances: Object.freeze({ ...acc.balances }),
      totals: Object.freeze({ ...acc.totals, held: heldIn(acc.balances) }),
    });
  },
};

/** The escrow ledger of one job's events (in stream order, from the first). */
export function ledger(events: Iterable<JobEvent>): Ledger {
  return project(ledgerProjection, events);
}

/** One account's line in a trial balance. */
export interface TrialBalanceLine {
  readonly account: LedgerAccount;
  readonly debits: Money;
  readonly credits: Money;
  /** `debits − credits`. */
  readonly balance: number;
}

/** The ledger's accounts as of one stream position: total debits always equal total credits. */
export interface TrialBalance {
  /** The postings counted are those of events 1..position. */
  readonly position: number;
  readonly lines: readonly TrialBalanceLine[];
  readonly debits: Money;
  readonly credits: Money;
  /** `debits − credits` over every account: zero in a sound ledger. */
  readonly balance: number;
}

/**
 * The trial balance of a ledger as of the event at `position` (1-based; by default the ledger's
 * last event): every account's debits and credits from the postings of events up to it.
 */
export function trialBalance(
  ledger: Ledger,
  options: { readonly position?: number } = {},
): TrialBalance {
  requireLedger(ledger);
  const position = options.position ?? ledger.version;
  if (!Number.isSafeInteger(position) || position < 0 || position > ledger.version) {
    fail(
      'INVALID_INPUT',
      `position must be an integer from 0 to ${String(ledger.version)}, not ${String(position)}.`,
      { path: 'position' },
    );
  }
  const lines = new Map<LedgerAccount, { debits: number; credits: number }>();
  const line = (account: LedgerAccount) => {
    let l = lines.get(account);
    if (l === undefined) {
      l = { debits: 0, credits: 0 };
      lines.set(account, l);
    }
    return l;
  };
  let debits = 0;
  let credits = 0;
  for (const p of ledger.postings) {
    if (p.position > position) break;
    line(p.debit).debits += p.amount;
    line(p.credit).credits += p.amount;
    debits += p.amount;
    credits += p.amount;
  }
  return deepFreeze({
    position,
    lines: [...lines].map(([account, l]) => ({
      account,
      debits: l.debits,
      credits: l.credits,
      balance: l.debits - l.credits,
    })),
    debits,
    credits,
    balance: debits - credits,
  });
}
