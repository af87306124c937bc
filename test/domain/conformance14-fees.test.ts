/*
 * Spec §10 and the summary of §11 read by a fresh pair of eyes (session 14): R22's rounding over
 * the whole safe range (a property against BigInt), a release near 2^53 decided and checked, and
 * the summary's part-two fields at their edges (status order, workMayBegin, the dispute object),
 * and the strictness of the new commands.
 */
import fc from 'fast-check';
import { test } from '@fast-check/vitest';
import { describe, expect, it } from 'vitest';
import { feeOn } from '../../src/domain/shared/money.js';
import { decide, fold, summarize, verifyHistory, type JobEvent } from '../../src/index.js';
import { ACCESS, ACCESS_MILESTONES, caught, play } from './helpers.js';
import {
  accept,
  active,
  command,
  expireReview,
  fund,
  offer,
  on,
  open,
  qa,
  qaDisputed,
} from './part-two-fixtures.js';
import { numRuns } from './prop-support.js';

const MAX = Number.MAX_SAFE_INTEGER;

/** One milestone of `amount`, funded, submitted on day 2, under `policy`. */
function big(amount: number, policy: object): JobEvent[] {
  return play(
    [],
    command('AwardJob', 'client', on(0, 8), { ...ACCESS, policy }),
    command('ProposeTerms', 'client', on(0, 9), {
      proposalId: 'p1',
      milestones: [{ milestoneId: 'm1', title: 'All of it', dueDate: '2014-11-30', amount }],
    }),
    command('AcceptTerms', 'freelancer', on(0, 10), { proposalId: 'p1' }),
    fund('m1', 'f1', on(1)),
    command('SubmitWork', 'freelancer', on(2), { milestoneId: 'm1' }),
  );
}

describe('§10 R22 the fee over the safe range', () => {
  test.prop(
    [
      fc.oneof(fc.integer({ min: 0, max: 10 ** 6 }), fc.integer({ min: 0, max: MAX })),
      fc.integer({ min: 0, max: 5000 }),
    ],
    { numRuns: numRuns(500) },
  )(
    '§10 R22: fee = ⌊(amount × bps + 5000) / 10000⌋ exactly (BigInt), 0 ≤ fee ≤ amount',
    (amount, bps) => {
      const fee = feeOn(amount, bps);
      expect(fee).toBe(Number((BigInt(amount) * BigInt(bps) + 5000n) / 10000n));
      expect(Number.isSafeInteger(fee)).toBe(true);
      expect(fee).toBeGreaterThanOrEqual(0);
      expect(fee).toBeLessThanOrEqual(amount);
    },
  );

  it('§10 R22: exactly half a minor unit rounds up; just under half rounds down', () => {
    expect(feeOn(2, 2500)).toBe(1); // 0.5
    expect(feeOn(3, 1666)).toBe(0); // 0.4998
    expect(feeOn(MAX, 5000)).toBe(2 ** 52); // (2^53 − 1) / 2 = 2^52 − 0.5, up
    expect(feeOn(MAX - 1, 5000)).toBe(2 ** 52 - 1);
  });

  it('§10 R22: a review expiry of 2^53 − 1 at 50 % carries the exact fee, and the checker agrees', () => {
    const events = play(
      big(MAX, { serviceFeeBps: 5000, reviewDays: 1 }),
      expireReview('m1', on(3), 'freelancer'),
    );
    expect(events.at(-1)?.data).toEqual({
      milestoneId: 'm1',
      amount: MAX,
      fee: 2 ** 52,
      at: on(3),
    });
    expect(verifyHistory(events)).toEqual(fold(events));
    expect(summarize(fold(events)).totals).toMatchObject({ released: MAX, fees: 2 ** 52 });
  });

  it('§10 R22: a settlement release near 2^53 carries the fee on the release', () => {
    const events = play(
      big(MAX, { serviceFeeBps: 875 }),
      open('d1', 'm1', 1, on(3)),
      accept('d1', 1, on(4), 'freelancer'),
    );
    const release = MAX - 1;
    expect(events.at(-1)?.data).toEqual({
      milestoneId: 'm1',
      amount: release,
      fee: Number((BigInt(release) * 875n + 5000n) / 10000n),
      at: on(4),
    });
    expect(verifyHistory(events)).toEqual(fold(events));
  });
});

describe('§11 the summary\u2019s part-two fields', () => {
  it('§11: a one-milestone job settled all back to the client is completed (completed before awaiting-funding)', () => {
    const events = play(
      big(20000, {}),
      open('d1', 'm1', 20000, on(3)),
      accept('d1', 20000, on(4), 'freelancer'),
    );
    const summary = summarize(fold(events));
    expect(summary).toMatchObject({ status: 'completed', workMayBegin: false });
    expect(summary.milestones[0]).toMatchObject({ status: 'settled', released: 0, held: 0 });
  });

  it('§11: workMayBegin counts a settlement\u2019s release; a job settled partly stays in progress', () => {
    const events = play(
      qaDisputed(),
      offer('d1', 5000, on(4), 'freelancer'),
      accept('d1', 5000, on(5), 'client'),
    );
    expect(summarize(fold(events))).toMatchObject({ status: 'in-progress', workMayBegin: true });
    expect(qa(events)).toMatchObject({ status: 'settled', released: 15000, dispute: null });
  });

  it('§11: the dispute object: offerBy follows the offer, respondBy null once escalated', () => {
    const countered = play(qaDisputed(), offer('d1', 9000, on(4), 'freelancer'));
    expect(qa(countered)?.dispute).toEqual({
      disputeId: 'd1',
      openedBy: 'client',
      offerBy: 'freelancer',
      refund: 9000,
      respondBy: on(11),
      escalated: false,
    });
    const escalated = play(
      countered,
      command('EscalateDispute', 'client', on(5), { disputeId: 'd1' }),
    );
    expect(qa(escalated)?.dispute).toMatchObject({ respondBy: null, escalated: true });
    expect(summarize(fold(escalated)).deadlines).toEqual([]);
  });

  it('§11: a stored v1 job shows the platform "platform" and the default policy', () => {
    const summary = summarize(fold(active()));
    expect(summary.platformId).toBe('elance');
    const v1 = summarize(fold([{ type: 'JobAwarded', data: { ...ACCESS, at: on(0) } }]));
    expect(v1).toMatchObject({
      platformId: 'platform',
      policy: { reviewDays: 14, disputeResponseDays: 7, serviceFeeBps: 0 },
      totals: { fees: 0 },
      deadlines: [],
    });
  });
  it('§11: pendingProposal milestones gain nothing (no fees, reviewDueAt, dispute)', () => {
    const events = play(
      qaDisputed(),
      command('ProposeTerms', 'freelancer', on(4), {
        proposalId: 'p2',
        milestones: [
          ...ACCESS_MILESTONES,
          { milestoneId: 'docs', title: 'Docs', dueDate: '2014-12-05', amount: 100 },
        ],
      }),
    );
    const pending = summarize(fold(events)).pendingProposal;
    for (const m of pending?.milestones ?? [])
      expect(Object.keys(m).sort()).toEqual(
        ['amount', 'description', 'dueDate', 'held', 'milestoneId', 'title'].sort(),
      );
    expect(pending?.milestones.length).toBe(5);
  });
});

describe('§11 the new commands are strict', () => {
  const commands: readonly [string, string, object][] = [
    ['ExpireReview', 'platform', { milestoneId: 'qa' }],
    ['OpenDispute', 'client', { disputeId: 'd2', milestoneId: 'qa', refund: 0 }],
    ['ProposeSettlement', 'freelancer', { disputeId: 'd1', refund: 0 }],
    ['AcceptSettlement', 'freelancer', { disputeId: 'd1', refund: 20000 }],
    ['EscalateDispute', 'freelancer', { disputeId: 'd1' }],
    ['ExpireDispute', 'platform', { disputeId: 'd1' }],
    ['ResolveDispute', 'platform', { disputeId: 'd1', refund: 0 }],
    ['WithdrawDispute', 'client', { disputeId: 'd1' }],
  ];

  it.each(commands)(
    '§11: %s with an unknown field, or a field missing, is INVALID_INPUT',
    (type, who, data) => {
      const state = fold(qaDisputed());
      const refusal = (d: object) => caught(() => decide(command(type, who, on(30), d), state));
      expect(refusal({ ...data, extra: 1 })).toMatchObject({
        code: 'INVALID_INPUT',
        details: { path: 'data.extra' },
      });
      for (const key of Object.keys(data)) {
        const { [key]: _missing, ...rest } = data as Record<string, unknown>;
        expect(refusal(rest)).toMatchObject({
          code: 'INVALID_INPUT',
          details: { path: `data.${key}` },
        });
      }
    },
  );
});
