/*
 * How an app tests its own code with milestone-escrow/testing (vitest here; the helpers are
 * framework-neutral). The docs (docs/testing.md) quote the #region blocks of this file.
 */
// #region imports
// app.test.ts, beside payouts.ts: run with `npx vitest run app.test.ts`.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import type { JobCommandInput } from 'milestone-escrow';
import {
  assertInvariants,
  escrowArbitraries,
  given,
  logoDesign,
  microsoftAccess,
} from 'milestone-escrow/testing';
import { handle, openStore, payouts } from './payouts.js';
// #endregion imports

// #region fixtures
describe('payouts, on the seed’s jobs', () => {
  it('pays the freelancer the whole logo-design contract and refunds the declined extra', () => {
    expect(payouts(logoDesign.events)).toEqual({
      paidToFreelancer: 40000,
      refundedTo: { 'card:visa-4242': 5000 },
      inEscrow: 0,
    });
  });

  it('counts the refund of a superseded proposal’s prefund', () => {
    const { events } = microsoftAccess.stages.countered;
    expect(payouts(events).refundedTo).toEqual({ 'card:visa-4242': 20000 });
  });
});
// #endregion fixtures

// #region given
describe('the rules my app relies on', () => {
  const { clientId } = logoDesign;
  const at = '2014-11-05T10:00:00Z';

  it('a release pays the whole milestone', () => {
    given(logoDesign.stages.accepted.events)
      .when({ type: 'ReleaseFunds', actor: clientId, at, data: { milestoneId: 'm1' } })
      .then([{ type: 'FundsReleased', data: { milestoneId: 'm1', amount: 7500, fee: 0, at } }]);
  });

  it('an unfunded milestone cannot be released', () => {
    given(logoDesign.stages.accepted.events)
      .when({ type: 'ReleaseFunds', actor: clientId, at, data: { milestoneId: 'm2' } })
      .thenThrows('NOT_FULLY_FUNDED', { rule: 'R10' });
  });
});
// #endregion given

// #region properties
const arb = escrowArbitraries(fc);

describe('payouts, on any legal history', () => {
  it('agrees with the escrow: paid = released, in escrow = held', () => {
    fc.assert(
      fc.property(arb.history(), ({ events, state }) => {
        assertInvariants(state);
        const { paidToFreelancer, inEscrow } = payouts(events);
        expect(paidToFreelancer).toBe(state.escrow.totals.released);
        expect(inEscrow).toBe(state.escrow.totals.held);
      }),
      { numRuns: 50 },
    );
  });

  it('my handler stores nothing for a command the rules reject', () => {
    fc.assert(
      fc.property(arb.invalidCommand(), ({ events, command, code }) => {
        const store = openStore(events);
        const before = store.state;
        expect(() => handle(store, command as JobCommandInput)).toThrow(
          expect.objectContaining({ code }) as Error,
        );
        expect(store.events).toEqual(events);
        expect(store.state).toBe(before);
      }),
      { numRuns: 50 },
    );
  });
});
// #endregion properties
