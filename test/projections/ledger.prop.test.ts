import { tableEntries } from '../../src/domain/shared/table.js';
import { test } from '@fast-check/vitest';
import { expect } from 'vitest';
import { fold, initialState, summarize, type JobState } from '../../src/index.js';
import {
  closingStatement,
  createProjector,
  escrowAccount,
  FREELANCER_ACCOUNT,
  PLATFORM_ACCOUNT,
  ledger,
  ledgerProjection,
  sourceAccount,
  trialBalance,
  type FundingMovement,
  type FundingStatement,
  type Ledger,
} from '../../src/projections/index.js';
import { HISTORIES } from './histories.js';

const RUNS = { numRuns: 120 };

/** What each account must hold, rebuilt from the domain's own escrow state (an auditor's view). */
function expectedBalances(state: JobState): Map<string, number> {
  const expected = new Map<string, number>();
  const add = (account: string, amount: number) =>
    expected.set(account, (expected.get(account) ?? 0) + amount);
  for (const [milestoneId, m] of tableEntries(state.escrow.milestones)) {
    add(escrowAccount(milestoneId), m.held);
    for (const f of m.fundings) add(sourceAccount(f.source), f.refunded - f.amount);
  }
  // The freelancer nets each release less the platform's fee, which the platform holds (R22).
  add(FREELANCER_ACCOUNT, state.escrow.totals.released - state.escrow.totals.fees);
  add(PLATFORM_ACCOUNT, state.escrow.totals.fees);
  return expected;
}

/** What a funding's movements of one kind add up to. */
function moved(f: FundingStatement, kind: FundingMovement['kind']): number {
  return f.movements.filter((m) => m.kind === kind).reduce((sum, m) => sum + m.amount, 0);
}

function nonZero(balances: Ledger['balances']): Map<string, number> {
  return new Map(Object.entries(balances).filter(([, b]) => b !== 0) as [string, number][]);
}

// Part one's histories and part two's (disputes, expiries, fees): the same properties.
for (const [part, historyArb] of HISTORIES) {
  test.prop([historyArb()], RUNS)(
    `${part}: trial balance is zero after every event: debits = credits, balances sum to 0`,
    (events) => {
      const book = ledger(events);
      for (let position = 0; position <= events.length; position++) {
        const tb = trialBalance(book, { position });
        expect(tb.debits).toBe(tb.credits);
        expect(tb.balance).toBe(0);
        expect(tb.lines.reduce((sum, l) => sum + l.balance, 0)).toBe(0);
      }
      expect(Object.values(book.balances).reduce((sum: number, b) => sum + (b ?? 0), 0)).toBe(0);
    },
  );

  test.prop([historyArb()], RUNS)(
    `${part}: after every event each account equals the escrow: escrow:m = held, freelancer = released, source = refunded − funded`,
    (events) => {
      const projector = createProjector(ledgerProjection);
      let state = initialState();
      for (const event of events) {
        projector.push(event);
        state = fold([event], state);
        const book = projector.view();
        expect(nonZero(book.balances)).toEqual(
          new Map([...expectedBalances(state)].filter(([, b]) => b !== 0)),
        );
        // Every posting is a positive amount between two different accounts.
        for (const p of book.postings) {
          expect(p.amount).toBeGreaterThan(0);
          expect(p.debit).not.toBe(p.credit);
        }
      }
    },
  );

  test.prop([historyArb()], RUNS)(
    `${part}: ledger totals equal the summary totals (funded, held, released, refunded) after every event`,
    (events) => {
      const projector = createProjector(ledgerProjection);
      let state = initialState();
      for (const event of events) {
        projector.push(event);
        state = fold([event], state);
        const { funded, held, released, refunded, fees } = summarize(state).totals;
        expect(projector.view().totals).toEqual({ funded, held, released, refunded, fees });
      }
    },
  );

  test.prop([historyArb()], RUNS)(
    `${part}: closing statement: each funding = held + released + refunded, as the domain has it, and the sources add up to the totals`,
    (events) => {
      const state = fold(events);
      const statement = closingStatement(ledger(events));
      const domainFundings = tableEntries(state.escrow.milestones)
        .map(([, m]) => m)
        .flatMap((m) => m.fundings);
      expect(statement.fundings.length).toBe(domainFundings.length);
      for (const f of statement.fundings) {
        expect(f.held + f.released + f.refunded).toBe(f.amount);
        // A fee (R22) is paid out of the money released, not out of escrow: beside the movements.
        expect(moved(f, 'released') + moved(f, 'refunded')).toBe(f.released + f.refunded);
        const d = domainFundings.find((x) => x.fundingId === f.fundingId);
        expect(
          d && {
            source: d.source,
            amount: d.amount,
            held: d.held,
            released: d.released,
            refunded: d.refunded,
            at: d.at,
          },
        ).toEqual({
          source: f.source,
          amount: f.amount,
          held: f.held,
          released: f.released,
          refunded: f.refunded,
          at: f.at,
        });
      }
      expect(statement.fundings.reduce((sum, f) => sum + moved(f, 'fee'), 0)).toBe(
        statement.totals.fees,
      );
      // Each release's fee, charged on its newest funding (docs/read-models.md), is at most what
      // that release paid out of all its fundings.
      const at = (kind: FundingMovement['kind']) => {
        const by = new Map<number, number>();
        for (const f of statement.fundings)
          for (const m of f.movements)
            if (m.kind === kind) by.set(m.position, (by.get(m.position) ?? 0) + m.amount);
        return by;
      };
      const released = at('released');
      for (const [position, fee] of at('fee'))
        expect(fee).toBeLessThanOrEqual(released.get(position) ?? 0);
      const sum = (k: 'funded' | 'held' | 'released' | 'refunded') =>
        statement.sources.reduce((s, x) => s + x[k], 0);
      expect({
        funded: sum('funded'),
        held: sum('held'),
        released: sum('released'),
        refunded: sum('refunded'),
        fees: statement.totals.fees,
      }).toEqual(statement.totals);
    },
  );
}
