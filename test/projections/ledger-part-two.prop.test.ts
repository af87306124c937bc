/*
 * The ledger and the closing statement over histories with part two in them (the toolkit's
 * generated histories: policies with fees, expired reviews, disputes settled every way,
 * withdrawals), where ledger.prop.test.ts's local generator plays part one's commands only: the
 * trial balance is zero after every event, the platform's account is `totals.fees`, and each
 * settlement in the closing statement puts every cent somewhere (R21, R22, C5).
 */
import { test } from '@fast-check/vitest';
import { expect, test as plain } from 'vitest';
import { feeOn, fold, summarize } from '../../src/index.js';
import {
  closingStatement,
  createProjector,
  FREELANCER_ACCOUNT,
  ledger,
  ledgerProjection,
  PLATFORM_ACCOUNT,
  trialBalance,
} from '../../src/projections/index.js';
import { escrowArbitraries } from '../../src/testing/index.js';
import fc from 'fast-check';

const arb = escrowArbitraries(fc);
const RUNS = { numRuns: 60 };

test.prop([arb.history({ maxSteps: 50 })], RUNS)(
  "after every event: the trial balance is zero, the platform's account is totals.fees and the freelancer's released − fees",
  ({ events }) => {
    const projector = createProjector(ledgerProjection);
    for (let i = 0; i < events.length; i++) {
      projector.push(events[i] as (typeof events)[number]);
      const book = projector.view();
      const { totals } = summarize(fold(events.slice(0, i + 1)));
      expect(trialBalance(book).balance).toBe(0);
      expect(book.balances[PLATFORM_ACCOUNT] ?? 0).toBe(totals.fees);
      expect(book.balances[FREELANCER_ACCOUNT] ?? 0).toBe(totals.released - totals.fees);
      expect(book.totals.fees).toBe(totals.fees);
    }
  },
);

test.prop([arb.history({ maxSteps: 50 })], RUNS)(
  'the closing statement lists every settlement, each with every cent somewhere: refund parts = refund, refund + release = held, fee = R22 on the release',
  ({ events, state }) => {
    const statement = closingStatement(ledger(events));
    const settled = events.flatMap((e) => (e.type === 'DisputeSettled' ? [e.data] : []));
    expect(statement.settlements.map((s) => s.disputeId)).toEqual(settled.map((s) => s.disputeId));
    const bps = summarize(state).policy.serviceFeeBps;
    for (const s of statement.settlements) {
      expect(s.refunds.reduce((sum, part) => sum + part.amount, 0)).toBe(s.refund);
      expect(s.refund + s.release).toBe(s.held);
      expect(s.fee).toBe(feeOn(s.release, bps));
      expect(s.toFreelancer).toBe(s.release - s.fee);
      const milestone = summarize(state).milestones.find((m) => m.milestoneId === s.milestoneId);
      expect(milestone).toMatchObject({ status: 'settled', released: s.release, fees: s.fee });
    }
  },
);

plain(
  'the generated histories settle disputes with fees (the properties above are not vacuous)',
  () => {
    const settlements = fc
      .sample(arb.history({ maxSteps: 50 }), { numRuns: 60, seed: 20141124 })
      .flatMap(({ events }) => closingStatement(ledger(events)).settlements);
    expect(settlements.length).toBeGreaterThan(3);
    expect(settlements.some((s) => s.fee > 0 && s.refunds.length > 0)).toBe(true);
  },
);
