/*
 * Part two of the spec on the seed's Microsoft Access job (part-two-fixtures.ts): the service fee
 * and the fees (R22, C5), the history checker on part two, deadlines(state).
 */
import { describe, expect, it } from 'vitest';
import {
  deadlines,
  feeOn,
  fold,
  summarize,
  verifyHistory,
  type JobEvent,
} from '../../src/index.js';
import { invariantViolations } from '../../src/testing/index.js';
import { compareInstants } from '../../src/domain/shared/time.js';
import { ACCESS, ACCESS_MILESTONES, AMEX, caught, play } from './helpers.js';
import {
  DAY,
  on,
  command,
  award,
  fund,
  submit,
  expireReview,
  open,
  offer,
  accept,
  qaSubmitted,
  qaDisputed,
  stateOf,
  qa,
} from './part-two-fixtures.js';

describe('R22 the service fee', () => {
  it('R22: fee = ⌊(amount × bps + 5000) / 10000⌋, rounded half up', () => {
    expect(feeOn(20000, 875)).toBe(1750);
    expect(feeOn(1, 5000)).toBe(1); // 0.5 rounds up
    expect(feeOn(1, 4999)).toBe(0);
    expect(feeOn(19999, 1)).toBe(2); // 1.9999
    expect(feeOn(15000, 0)).toBe(0);
  });

  it('R22: exact for every safe amount, where amount × bps passes 2^53', () => {
    const max = Number.MAX_SAFE_INTEGER;
    expect(feeOn(max, 5000)).toBe(Number((BigInt(max) * 5000n + 5000n) / 10000n));
    expect(feeOn(max, 1)).toBe(Number((BigInt(max) + 5000n) / 10000n));
    expect(feeOn(2 ** 52 + 1, 3333)).toBe(Number((BigInt(2 ** 52 + 1) * 3333n + 5000n) / 10000n));
  });

  it('R22: every release carries its fee; the totals count them; refunds never carry one', () => {
    const job = play(
      qaSubmitted({ serviceFeeBps: 1000 }),
      command('ReleaseFunds', 'client', on(3), { milestoneId: 'qa' }),
    );
    expect(job.at(-1)).toEqual({
      type: 'FundsReleased',
      data: { milestoneId: 'qa', amount: 20000, fee: 2000, at: on(3) },
    });
    expect(summarize(stateOf(job)).totals).toMatchObject({ released: 20000, fees: 2000 });
    expect(qa(job)?.fees).toBe(2000);
  });

  it('R22: a stored release without fee is fee 0: valid with no fee rate, INVALID_HISTORY (R22) under one', () => {
    const strip = (events: JobEvent[]) =>
      events.map((e) =>
        e.type === 'FundsReleased'
          ? {
              type: e.type,
              data: { milestoneId: e.data.milestoneId, amount: e.data.amount, at: e.data.at },
            }
          : e,
      );
    const noFee = play(
      qaSubmitted(),
      command('ReleaseFunds', 'client', on(3), { milestoneId: 'qa' }),
    );
    expect(summarize(verifyHistory(strip(noFee))).totals.fees).toBe(0);
    const feed = play(
      qaSubmitted({ serviceFeeBps: 1000 }),
      command('ReleaseFunds', 'client', on(3), { milestoneId: 'qa' }),
    );
    expect(caught(() => verifyHistory(strip(feed))).details).toMatchObject({
      rule: 'R22',
      position: feed.length,
    });
  });
});

describe('C5 the fees', () => {
  it("C5: every release's fee is R22's, between 0 and the release; the job's fees are their sum, never more than released", () => {
    // Elance's 8.75 %: QA released by its expired review, schema by the client.
    const job = play(
      qaSubmitted({ serviceFeeBps: 875 }),
      fund('schema', 'f2', on(3), AMEX),
      command('ReleaseFunds', 'client', on(3), { milestoneId: 'schema' }),
      expireReview('qa', on(16)),
    );
    const releases = job.filter((e) => e.type === 'FundsReleased');
    expect(releases.map((e) => [e.data.milestoneId, e.data.amount, e.data.fee])).toEqual([
      ['schema', 20000, 1750],
      ['qa', 20000, 1750],
    ]);
    const state = stateOf(job);
    expect(invariantViolations(state)).toEqual([]);
    expect(summarize(state).totals).toMatchObject({ released: 40000, fees: 3500 });
    // A fee that is not R22's breaks C5: the state says so, and the checker refuses it at its event.
    const first = releases[0];
    const tampered = job.map((e) => (e === first ? { ...e, data: { ...e.data, fee: 1751 } } : e));
    expect(invariantViolations(stateOf(tampered)).map((v) => v.rule)).toContain('C5');
    expect(caught(() => verifyHistory(tampered)).code).toBe('INVALID_HISTORY');
  });
});

describe('the history checker on part two', () => {
  const broken = (events: unknown[]) => caught(() => verifyHistory(events));

  it('R17: a release during an open dispute is INVALID_HISTORY at the release', () => {
    const job = qaDisputed();
    const release: JobEvent = {
      type: 'FundsReleased',
      data: { milestoneId: 'qa', amount: 20000, fee: 0, at: on(4) },
    };
    expect(broken([...job, release]).details).toMatchObject({
      rule: 'R17',
      position: job.length + 1,
      cause: 'DISPUTE_OPEN',
    });
  });

  it('R21: a settlement whose parts do not add up to what was held is INVALID_HISTORY', () => {
    const job = qaDisputed();
    const settled = play(job, accept('d1', 20000, on(4), 'freelancer'));
    const tampered = settled.map((e, i) =>
      i === job.length && e.type === 'DisputeSettled'
        ? { ...e, data: { ...e.data, release: 5000 } }
        : e,
    );
    expect(broken(tampered).details).toMatchObject({ rule: 'R21', position: job.length + 1 });
  });

  it('R15, R20: an expiry before its deadline is INVALID_HISTORY (TOO_EARLY)', () => {
    const early = play(qaSubmitted(), expireReview('qa', on(16))).map((e) =>
      e.type === 'ReviewExpired' || e.type === 'FundsReleased'
        ? { ...e, data: { ...e.data, at: on(15) } }
        : e,
    );
    expect(broken(early).details).toMatchObject({ rule: 'R15', cause: 'TOO_EARLY' });
    const job = qaDisputed();
    const expired = play(
      job,
      command('ExpireDispute', 'platform', on(10), { disputeId: 'd1' }),
    ).map((e, i) => (i >= job.length ? { ...e, data: { ...e.data, at: on(9) } } : e));
    expect(broken(expired).details).toMatchObject({
      rule: 'R20',
      cause: 'TOO_EARLY',
      position: job.length + 1,
    });
  });

  it('R15, R16: a stored dueAt or respondBy that differs from the re-derived one is INVALID_HISTORY; the same instant in another zone is not', () => {
    const job = qaDisputed();
    const opened = job.length;
    const withRespondBy = (respondBy: string) =>
      job.map((e, i) =>
        i === opened - 1 && e.type === 'DisputeOpened'
          ? { ...e, data: { ...e.data, respondBy } }
          : e,
      );
    expect(broken(withRespondBy(on(11))).details).toMatchObject({ rule: 'R16', position: opened });
    expect(verifyHistory(withRespondBy('2014-11-13T10:00:00+01:00')).version).toBe(opened);
  });

  it('§7: from the first part-two event on, time may not run backwards; a v1 history may', () => {
    const v1: JobEvent[] = [
      { type: 'JobAwarded', data: { ...ACCESS, at: on(1) } },
      {
        type: 'TermsProposed',
        data: {
          proposalId: 'p1',
          by: 'client',
          milestones: ACCESS_MILESTONES.map((m) => ({ ...m })),
          at: on(0),
        },
      },
    ];
    expect(verifyHistory(v1).version).toBe(2);
    const v2 = play([], award(undefined, on(1)));
    expect(broken([...v2, v1[1]]).details).toMatchObject({ position: 2, cause: 'INVALID_INPUT' });
  });

  it('decide on every part-two command yields histories the checker accepts', () => {
    const stories = [
      play(qaSubmitted({ serviceFeeBps: 875 }), expireReview('qa', on(16))),
      play(
        qaDisputed({ serviceFeeBps: 1000 }),
        offer('d1', 5000, on(4), 'freelancer'),
        command('EscalateDispute', 'client', on(5), { disputeId: 'd1' }),
        command('ResolveDispute', 'platform', on(6), { disputeId: 'd1', refund: 7000 }),
      ),
      play(
        qaDisputed(),
        command('WithdrawDispute', 'client', on(4), { disputeId: 'd1' }),
        open('d2', 'qa', 1000, on(5), 'freelancer'),
        command('ExpireDispute', 'freelancer', on(12), { disputeId: 'd2' }),
      ),
    ];
    for (const events of stories) expect(verifyHistory(events)).toEqual(fold(events));
  });
});

describe('deadlines(state)', () => {
  it('every running deadline, earliest first, disputes before reviews on a tie, with its timer command', () => {
    const job = play(
      qaSubmitted({ reviewDays: 8, disputeResponseDays: 7 }),
      fund('schema', 'f2', on(3)),
      submit('schema', on(3)),
      fund('impl', 'f3', on(3)),
      open('d1', 'impl', 0, on(3), 'freelancer'),
    );
    expect(deadlines(stateOf(job))).toEqual(
      [
        {
          kind: 'review',
          milestoneId: 'qa',
          dueAt: on(10),
          command: { type: 'ExpireReview', data: { milestoneId: 'qa' } },
        },
        {
          kind: 'dispute',
          milestoneId: 'impl',
          disputeId: 'd1',
          dueAt: on(10, 9),
          command: { type: 'ExpireDispute', data: { disputeId: 'd1' } },
        },
        {
          kind: 'review',
          milestoneId: 'schema',
          dueAt: on(11),
          command: { type: 'ExpireReview', data: { milestoneId: 'schema' } },
        },
      ].sort(
        (a, b) =>
          compareInstants(a.dueAt, b.dueAt) ||
          (a.kind === b.kind ? 0 : a.kind === 'dispute' ? -1 : 1),
      ),
    );
    expect(summarize(stateOf(job)).deadlines).toEqual(deadlines(stateOf(job)));
    expect(DAY).toBe(86_400_000);
  });
});
