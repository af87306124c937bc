import { describe, expect, it } from 'vitest';
import { fold, summarize, isDomainError } from '../../src/index.js';
import {
  closingStatement,
  escrowAccount,
  FREELANCER_ACCOUNT,
  ledger,
  sourceAccount,
  trialBalance,
} from '../../src/projections/index.js';
import { closingStatementOf } from '../../src/projections/closing.js';
import { accessJob, BANK, CARD, logoJob } from './seed.js';

describe('escrow ledger: the seed logo job', () => {
  const events = logoJob().events;
  const book = ledger(events);

  it('posts every funding source → escrow and every release escrow → freelancer, one posting per funding released', () => {
    expect(
      book.postings.map((p) => [p.position, p.kind, p.credit, p.debit, p.amount, p.fundingId]),
    ).toEqual([
      [3, 'funding', 'source:card:visa-4242', 'escrow:m1', 7500, 'f1'],
      [6, 'release', 'escrow:m1', 'freelancer', 7500, 'f1'],
      [7, 'funding', 'source:card:visa-4242', 'escrow:m2', 7500, 'f2'],
      [11, 'release', 'escrow:m2', 'freelancer', 7500, 'f2'],
      [12, 'funding', 'source:card:visa-4242', 'escrow:m3', 7500, 'f3'],
      [15, 'funding', 'source:bank:acme-0042', 'escrow:m3', 1500, 'f4'],
      // m3 was raised to $90 and topped up from the bank: its release pays both fundings.
      [16, 'release', 'escrow:m3', 'freelancer', 7500, 'f3'],
      [16, 'release', 'escrow:m3', 'freelancer', 1500, 'f4'],
    ]);
    expect(book.postings[0]).toMatchObject({
      at: '2014-11-03T09:02:00Z',
      source: CARD,
      milestoneId: 'm1',
      comment: 'Start fee',
    });
    expect(book.postings[7]).toMatchObject({ at: '2014-11-15T09:00:00Z', source: BANK });
  });

  it('keeps a balance per account (debits − credits): sources negative, escrow empty, the freelancer paid', () => {
    expect(book.balances).toEqual({
      'escrow:m1': 0,
      'source:card:visa-4242': -22500,
      freelancer: 24000,
      'escrow:m2': 0,
      'escrow:m3': 0,
      'source:bank:acme-0042': -1500,
    });
    expect(book.balances[FREELANCER_ACCOUNT]).toBe(24000);
    expect(book.balances[sourceAccount(BANK)]).toBe(-1500);
    expect(book.totals).toEqual({ funded: 24000, held: 0, released: 24000, refunded: 0, fees: 0 });
    expect(book).toMatchObject({
      jobId: 'logo-2014',
      title: 'Logo design',
      currency: 'USD',
      version: 16,
      closedAt: null,
    });
  });

  it('has a zero trial balance after every event', () => {
    for (let position = 0; position <= book.version; position++) {
      const tb = trialBalance(book, { position });
      expect(tb.debits).toBe(tb.credits);
      expect(tb.balance).toBe(0);
      expect(tb.lines.reduce((sum, l) => sum + l.balance, 0)).toBe(0);
    }
  });

  it('reads the trial balance as of an event: after the prefund, the card paid $75 into m1', () => {
    expect(trialBalance(book, { position: 3 })).toEqual({
      position: 3,
      lines: [
        { account: 'escrow:m1', debits: 7500, credits: 0, balance: 7500 },
        { account: 'source:card:visa-4242', debits: 0, credits: 7500, balance: -7500 },
      ],
      debits: 7500,
      credits: 7500,
      balance: 0,
    });
    expect(trialBalance(book, { position: 2 }).lines).toEqual([]);
    expect(trialBalance(book).position).toBe(16);
  });

  it('refuses a trial balance past the ledger', () => {
    expect(() => trialBalance(book, { position: 17 })).toThrow(
      expect.objectContaining({ code: 'INVALID_INPUT' }),
    );
    try {
      trialBalance(book, { position: -1 });
    } catch (error) {
      expect(isDomainError(error)).toBe(true);
    }
  });

  it('agrees with the summary totals', () => {
    const { funded, held, released, refunded, fees } = summarize(fold(events)).totals;
    expect(book.totals).toEqual({ funded, held, released, refunded, fees });
  });

  it('is frozen', () => {
    expect(Object.isFrozen(book)).toBe(true);
    expect(Object.isFrozen(book.postings)).toBe(true);
    expect(Object.isFrozen(book.balances)).toBe(true);
  });
});

describe('escrow ledger: the seed Microsoft Access job (prefunds refunded)', () => {
  const play = accessJob();
  const book = ledger(play.events);

  it('R8: a superseded proposal refunds its prefund escrow → the source it came from', () => {
    expect(
      book.postings.map((p) => [p.position, p.kind, p.credit, p.debit, p.amount, p.reason]),
    ).toEqual([
      [3, 'funding', 'source:card:visa-4242', 'escrow:schema', 20000, undefined],
      [5, 'refund', 'escrow:schema', 'source:card:visa-4242', 20000, 'terms-superseded'],
      [8, 'funding', 'source:bank:acme-0042', 'escrow:schema', 20000, undefined],
    ]);
    expect(book.balances).toEqual({
      'escrow:schema': 20000,
      'source:card:visa-4242': 0,
      'source:bank:acme-0042': -20000,
    });
    expect(book.balances[escrowAccount('schema')]).toBe(20000);
    expect(book.totals).toEqual({
      funded: 40000,
      held: 20000,
      released: 0,
      refunded: 20000,
      fees: 0,
    });
  });
});

describe('escrow closing statement', () => {
  it('lists each funding, its source, and what became of it, when', () => {
    const statement = closingStatementOf(logoJob().events);
    expect(statement).toMatchObject({
      jobId: 'logo-2014',
      title: 'Logo design',
      currency: 'USD',
      closed: false,
      closedAt: null,
      version: 16,
    });
    expect(
      statement.fundings.map((f) => [
        f.fundingId,
        f.milestoneId,
        f.source,
        f.amount,
        f.held,
        f.released,
        f.refunded,
      ]),
    ).toEqual([
      ['f1', 'm1', CARD, 7500, 0, 7500, 0],
      ['f2', 'm2', CARD, 7500, 0, 7500, 0],
      ['f3', 'm3', CARD, 7500, 0, 7500, 0],
      ['f4', 'm3', BANK, 1500, 0, 1500, 0],
    ]);
    expect(statement.fundings[0]).toEqual({
      fundingId: 'f1',
      milestoneId: 'm1',
      source: CARD,
      amount: 7500,
      at: '2014-11-03T09:02:00Z',
      position: 3,
      comment: 'Start fee',
      held: 0,
      released: 7500,
      refunded: 0,
      movements: [{ kind: 'released', amount: 7500, at: '2014-11-03T09:05:00Z', position: 6 }],
    });
    expect(statement.sources).toEqual([
      { source: CARD, funded: 22500, held: 0, released: 22500, refunded: 0 },
      { source: BANK, funded: 1500, held: 0, released: 1500, refunded: 0 },
    ]);
    expect(statement.totals).toEqual({
      funded: 24000,
      held: 0,
      released: 24000,
      refunded: 0,
      fees: 0,
    });
  });

  it('is final once the job is closed: refunds with their reasons, nothing held', () => {
    const play = accessJob();
    play.on('2014-11-20').freelancer('RefundMilestone', { milestoneId: 'schema' });
    play.client('CloseJob', { reason: 'cancelled by agreement' });
    const statement = closingStatement(ledger(play.events));
    expect(statement.closed).toBe(true);
    expect(statement.closedAt).toBe('2014-11-20T09:01:00Z');
    expect(statement.fundings).toEqual([
      {
        fundingId: 'g1',
        milestoneId: 'schema',
        source: CARD,
        amount: 20000,
        at: '2014-11-03T09:02:00Z',
        position: 3,
        held: 0,
        released: 0,
        refunded: 20000,
        movements: [
          {
            kind: 'refunded',
            amount: 20000,
            at: '2014-11-04T09:00:00Z',
            position: 5,
            reason: 'terms-superseded',
          },
        ],
      },
      {
        fundingId: 'g2',
        milestoneId: 'schema',
        source: BANK,
        amount: 20000,
        at: '2014-11-04T09:03:00Z',
        position: 8,
        held: 0,
        released: 0,
        refunded: 20000,
        movements: [
          {
            kind: 'refunded',
            amount: 20000,
            at: '2014-11-20T09:00:00Z',
            position: 10,
            reason: 'refunded-by-freelancer',
          },
        ],
      },
    ]);
    expect(statement.totals).toEqual({
      funded: 40000,
      held: 0,
      released: 0,
      refunded: 40000,
      fees: 0,
    });
  });
});
