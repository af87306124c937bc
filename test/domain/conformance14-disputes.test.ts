/*
 * Spec §9 read sentence by sentence by a fresh pair of eyes (session 14): the edges of each
 * dispute rule the earlier part-two tests do not pin. On the Access job of part-two-fixtures.ts.
 */
import { describe, expect, it } from 'vitest';
import { summarize, verifyHistory } from '../../src/index.js';
import { ACCESS_MILESTONES, changed, play } from './helpers.js';
import {
  accept,
  active,
  command,
  fund,
  offer,
  on,
  open,
  qa,
  qaDisputed,
  qaSubmitted,
  refusedWith,
  stateOf,
} from './part-two-fixtures.js';

const escalate = (at: string, who = 'client') =>
  command('EscalateDispute', who, at, { disputeId: 'd1' });
const withdraw = (at: string, who = 'client') =>
  command('WithdrawDispute', who, at, { disputeId: 'd1' });
const expire = (at: string, who = 'platform') =>
  command('ExpireDispute', who, at, { disputeId: 'd1' });
const resolve = (refund: number, at: string, who = 'platform') =>
  command('ResolveDispute', who, at, { disputeId: 'd1', refund });

describe('§9 R16 opening', () => {
  it('§9 R16: refund is money (a safe non-negative integer), else INVALID_INPUT', () => {
    for (const refund of [-1, 1.5, 2 ** 53, '5', null])
      expect(refusedWith(qaSubmitted(), open('d1', 'qa', refund as number, on(3)))).toBe(
        'INVALID_INPUT',
      );
    expect(refusedWith(qaSubmitted(), open('d1', 'qa', 20001, on(3)))).toBe('INVALID_SETTLEMENT');
  });

  it('§9 R16: reason is 0–5000 characters; absent, the event has no reason', () => {
    const data = (reason: string) => ({ disputeId: 'd1', milestoneId: 'qa', refund: 0, reason });
    const long = command('OpenDispute', 'client', on(3), data('x'.repeat(5001)));
    expect(refusedWith(qaSubmitted(), long)).toBe('INVALID_INPUT');
    const [opened] = play(qaSubmitted(), command('OpenDispute', 'client', on(3), data(''))).slice(
      -1,
    );
    expect(opened?.data).toMatchObject({ reason: '' });
    const [bare] = play(qaSubmitted(), open('d1', 'qa', 0, on(3))).slice(-1);
    expect(bare?.data).not.toHaveProperty('reason');
  });

  it('§9 R16: the platform may not open a dispute (FORBIDDEN), even on an unknown milestone', () => {
    expect(refusedWith(qaSubmitted(), open('d1', 'nowhere', 0, on(3), 'platform'))).toBe(
      'FORBIDDEN',
    );
  });

  it('§9 R16: a partly funded milestone (after a raise) holds money and can be disputed', () => {
    const raised = play(
      qaSubmitted(),
      command('ProposeTerms', 'client', on(2, 12), {
        proposalId: 'p2',
        milestones: changed(ACCESS_MILESTONES, 'qa', { amount: 30000 }),
      }),
      command('AcceptTerms', 'freelancer', on(2, 13), { proposalId: 'p2' }),
    );
    const settled = play(
      raised,
      open('d1', 'qa', 5000, on(3)),
      accept('d1', 5000, on(4), 'freelancer'),
    );
    expect(settled.slice(-3).map((e) => e.type)).toEqual([
      'DisputeSettled',
      'FundsRefunded',
      'FundsReleased',
    ]);
    expect(qa(settled)).toMatchObject({ status: 'settled', held: 0, released: 15000 });
  });

  it('§9 R16: ids are unique among the job\u2019s disputes, a withdrawn one included', () => {
    const withdrawn = play(qaDisputed(), withdraw(on(4)));
    expect(refusedWith(withdrawn, open('d1', 'qa', 0, on(5)))).toBe('DUPLICATE_ID');
    expect(play(withdrawn, open('d2', 'qa', 0, on(5))).at(-1)?.type).toBe('DisputeOpened');
  });
});

describe('§9 R17 while a dispute is open', () => {
  it('§9 R17: DISPUTE_OPEN comes before the rule\u2019s own codes (NOTHING_TO_FUND, NOT_FULLY_FUNDED)', () => {
    // qa is fully funded: funding it again would be NOTHING_TO_FUND.
    expect(refusedWith(qaDisputed(), fund('qa', 'f9', on(4)))).toBe('DISPUTE_OPEN');
    const partly = play(
      active(),
      command('FundMilestone', 'client', on(1), {
        milestoneId: 'qa',
        fundingId: 'f1',
        source: 'card:visa-4242',
      }),
    );
    // A partly funded milestone: ReleaseFunds would be NOT_FULLY_FUNDED.
    const raised = play(
      partly,
      command('ProposeTerms', 'client', on(1, 12), {
        proposalId: 'p2',
        milestones: changed(ACCESS_MILESTONES, 'qa', { amount: 30000 }),
      }),
      command('AcceptTerms', 'freelancer', on(1, 13), { proposalId: 'p2' }),
      open('d1', 'qa', 0, on(2)),
    );
    expect(
      refusedWith(raised, command('ReleaseFunds', 'client', on(3), { milestoneId: 'qa' })),
    ).toBe('DISPUTE_OPEN');
  });

  it('§9 R17: a proposal carrying the disputed milestone unchanged in another position is allowed', () => {
    const moved = [...ACCESS_MILESTONES].reverse();
    const events = play(
      qaDisputed(),
      command('ProposeTerms', 'freelancer', on(4), { proposalId: 'p2', milestones: moved }),
      command('AcceptTerms', 'client', on(5), { proposalId: 'p2' }),
    );
    expect(events.at(-1)?.type).toBe('TermsAccepted');
  });

  it('§9 R17: other milestones are not affected; CloseJob is FUNDS_HELD', () => {
    const events = play(qaDisputed(), fund('final', 'f2', on(4)));
    expect(events.at(-1)?.type).toBe('MilestoneFunded');
    expect(refusedWith(qaDisputed(), command('CloseJob', 'client', on(4), {}))).toBe('FUNDS_HELD');
  });
});

describe('§9 R18–R20 negotiating and ending', () => {
  it('§9 R18: a party may revise its own offer; the platform may not offer (FORBIDDEN)', () => {
    const revised = play(qaDisputed(), offer('d1', 15000, on(4), 'client'));
    expect(qa(revised)?.dispute).toMatchObject({ offerBy: 'client', refund: 15000 });
    expect(refusedWith(qaDisputed(), offer('d1', 0, on(4), 'platform'))).toBe('FORBIDDEN');
    expect(refusedWith(qaDisputed(), offer('d1', 20001, on(4), 'freelancer'))).toBe(
      'INVALID_SETTLEMENT',
    );
  });

  it('§9 R18: the platform may not accept (FORBIDDEN); acceptance is by the accepting party', () => {
    expect(refusedWith(qaDisputed(), accept('d1', 20000, on(4), 'platform'))).toBe('FORBIDDEN');
    const [settled] = play(qaDisputed(), accept('d1', 20000, on(4), 'freelancer')).slice(-2);
    expect(settled?.data).toMatchObject({ outcome: 'agreed', by: 'freelancer' });
  });

  it('§9 R19: after escalation the parties may still settle, the opener withdraw; offers record a respondBy nothing enforces', () => {
    const escalated = play(qaDisputed(), escalate(on(4), 'freelancer'));
    const offered = play(escalated, offer('d1', 8000, on(5), 'freelancer'));
    expect(offered.at(-1)?.data).toMatchObject({ respondBy: on(12) });
    expect(qa(offered)?.dispute).toMatchObject({ respondBy: null, escalated: true });
    expect(refusedWith(offered, expire(on(30)))).toBe('DISPUTE_ESCALATED');
    const agreed = play(offered, accept('d1', 8000, on(6), 'client'));
    expect(agreed.find((e) => e.type === 'DisputeSettled')?.data).toMatchObject({
      outcome: 'agreed',
    });
    expect(play(escalated, withdraw(on(5))).at(-1)?.type).toBe('DisputeWithdrawn');
    expect(refusedWith(escalated, escalate(on(5), 'client'))).toBe('DISPUTE_ESCALATED');
    expect(refusedWith(qaDisputed(), escalate(on(4), 'platform'))).toBe('FORBIDDEN');
  });

  it('§9 R20: ExpireDispute at exactly respondBy settles on the current offer; by is the role that issued it', () => {
    const countered = play(qaDisputed(), offer('d1', 12000, on(4), 'freelancer'));
    expect(refusedWith(countered, expire('2014-11-14T08:59:59.999Z'))).toBe('TOO_EARLY');
    // respondBy is day 11 at 9:00 UTC; the same instant written with an offset.
    const settled = play(countered, expire('2014-11-14T10:00:00+01:00', 'freelancer'));
    expect(settled.find((e) => e.type === 'DisputeSettled')?.data).toMatchObject({
      outcome: 'expired',
      by: 'freelancer',
      refund: 12000,
      release: 8000,
    });
    expect(verifyHistory(settled).version).toBe(settled.length);
  });

  it('§9 R20: the answerer may not expire (FORBIDDEN), before DISPUTE_ESCALATED and TOO_EARLY', () => {
    const escalated = play(qaDisputed(), escalate(on(4)));
    expect(refusedWith(escalated, expire(on(4), 'freelancer'))).toBe('FORBIDDEN');
    expect(refusedWith(escalated, expire(on(4), 'client'))).toBe('DISPUTE_ESCALATED');
  });

  it('§9 R20: ResolveDispute: a party is FORBIDDEN (before UNKNOWN_DISPUTE); DISPUTE_NOT_ESCALATED before INVALID_SETTLEMENT', () => {
    expect(
      refusedWith(
        qaDisputed(),
        command('ResolveDispute', 'client', on(4), { disputeId: 'x', refund: 0 }),
      ),
    ).toBe('FORBIDDEN');
    expect(refusedWith(qaDisputed(), resolve(20001, on(4)))).toBe('DISPUTE_NOT_ESCALATED');
    const escalated = play(qaDisputed(), escalate(on(4)));
    expect(refusedWith(escalated, resolve(20001, on(5)))).toBe('INVALID_SETTLEMENT');
    expect(refusedWith(escalated, resolve(-1, on(5)))).toBe('INVALID_INPUT');
    const ruled = play(escalated, resolve(0, on(5)));
    expect(ruled.slice(-2).map((e) => [e.type, e.data])).toEqual([
      [
        'DisputeSettled',
        {
          disputeId: 'd1',
          milestoneId: 'qa',
          outcome: 'ruled',
          by: 'platform',
          refund: 0,
          release: 20000,
          at: on(5),
        },
      ],
      ['FundsReleased', { milestoneId: 'qa', amount: 20000, fee: 0, at: on(5) }],
    ]);
  });

  it('§9 R20: the platform may not withdraw (FORBIDDEN); the other party neither', () => {
    expect(refusedWith(qaDisputed(), withdraw(on(4), 'platform'))).toBe('FORBIDDEN');
    expect(refusedWith(qaDisputed(), withdraw(on(4), 'freelancer'))).toBe('FORBIDDEN');
  });

  it('§9 R20: every dispute command on a settled or withdrawn dispute is DISPUTE_CLOSED; never opened UNKNOWN_DISPUTE', () => {
    const settled = play(qaDisputed(), accept('d1', 20000, on(4), 'freelancer'));
    const withdrawn = play(qaDisputed(), withdraw(on(4)));
    const commands = [
      offer('d1', 0, on(20), 'client'),
      accept('d1', 20000, on(20), 'freelancer'),
      escalate(on(20)),
      expire(on(20)),
      resolve(0, on(20)),
      withdraw(on(20)),
    ];
    for (const c of commands) {
      expect(refusedWith(settled, c)).toBe('DISPUTE_CLOSED');
      expect(refusedWith(withdrawn, c)).toBe('DISPUTE_CLOSED');
      const unknown = { ...c, data: { ...c.data, disputeId: 'zz' } } as typeof c;
      expect(refusedWith(qaDisputed(), unknown)).toBe('UNKNOWN_DISPUTE');
    }
  });
});

describe('§9 R21 settlement', () => {
  it('§9 R21: refund 0 writes no FundsRefunded; refund = held writes no FundsReleased', () => {
    const all = play(
      qaDisputed(),
      offer('d1', 0, on(4), 'freelancer'),
      accept('d1', 0, on(5), 'client'),
    );
    expect(all.slice(-2).map((e) => e.type)).toEqual(['DisputeSettled', 'FundsReleased']);
    const none = play(qaDisputed(), accept('d1', 20000, on(4), 'freelancer'));
    expect(none.slice(-2).map((e) => e.type)).toEqual(['DisputeSettled', 'FundsRefunded']);
    expect(none.at(-1)?.data).toMatchObject({ reason: 'dispute-settled', amount: 20000 });
  });

  it('§9 R21: every command naming a settled milestone is MILESTONE_SETTLED', () => {
    const settled = play(qaDisputed(), accept('d1', 20000, on(4), 'freelancer'));
    const id = { milestoneId: 'qa' };
    for (const c of [
      fund('qa', 'f9', on(5)),
      command('ReleaseFunds', 'client', on(5), id),
      command('RefundMilestone', 'freelancer', on(5), id),
      command('SubmitWork', 'freelancer', on(5), id),
      command('RequestChanges', 'client', on(5), id),
      command('ExpireReview', 'platform', on(30), id),
      open('d2', 'qa', 0, on(5)),
    ])
      expect(refusedWith(settled, c)).toBe('MILESTONE_SETTLED');
    const edited = changed(ACCESS_MILESTONES, 'qa', { title: 'QA again' });
    expect(
      refusedWith(
        settled,
        command('ProposeTerms', 'client', on(5), { proposalId: 'p2', milestones: edited }),
      ),
    ).toBe('MILESTONE_SETTLED');
    expect(summarize(stateOf(settled)).deadlines).toEqual([]);
  });

  it('§9 R21 + R22: a settlement release carries the fee on the release, not on the milestone', () => {
    const events = play(
      qaDisputed({ serviceFeeBps: 875 }),
      accept('d1', 20000, on(4), 'freelancer'),
    );
    expect(events.some((e) => e.type === 'FundsReleased')).toBe(false);
    const split = play(
      qaDisputed({ serviceFeeBps: 875 }),
      offer('d1', 10001, on(4), 'freelancer'),
      accept('d1', 10001, on(5), 'client'),
    );
    // 9999 × 875 = 8,749,125; + 5000 → 8,754,125 / 10,000 → 875.
    expect(split.at(-1)?.data).toEqual({ milestoneId: 'qa', amount: 9999, fee: 875, at: on(5) });
    expect(qa(split)).toMatchObject({ status: 'settled', released: 9999, fees: 875 });
  });
});

describe('§11 the wire shapes of the dispute events', () => {
  it('§11: DisputeEscalated and DisputeWithdrawn are exactly {disputeId, by, at}', () => {
    const escalated = play(qaDisputed(), escalate(on(4), 'freelancer'));
    expect(escalated.at(-1)).toStrictEqual({
      type: 'DisputeEscalated',
      data: { disputeId: 'd1', by: 'freelancer', at: on(4) },
    });
    expect(play(escalated, withdraw(on(5))).at(-1)).toStrictEqual({
      type: 'DisputeWithdrawn',
      data: { disputeId: 'd1', by: 'client', at: on(5) },
    });
  });

  it('§11: SettlementProposed is exactly {disputeId, by, refund, respondBy, at}', () => {
    expect(
      play(qaDisputed({ disputeResponseDays: 2 }), offer('d1', 7, on(4), 'freelancer')).at(-1),
    ).toStrictEqual({
      type: 'SettlementProposed',
      data: { disputeId: 'd1', by: 'freelancer', refund: 7, respondBy: on(6), at: on(4) },
    });
  });
});

describe('§9 R21 a settlement makes a pending proposal stale', () => {
  it('§9 R21: a proposal that edits a milestone settled while it was pending cannot be accepted (MILESTONE_SETTLED); it can be declined', () => {
    const stale = play(
      qaSubmitted(),
      command('ProposeTerms', 'freelancer', on(2, 12), {
        proposalId: 'p2',
        milestones: changed(ACCESS_MILESTONES, 'qa', { amount: 25000 }),
      }),
      open('d1', 'qa', 20000, on(3)),
      accept('d1', 20000, on(4), 'freelancer'),
    );
    const answer = (type: string) => command(type, 'client', on(5), { proposalId: 'p2' });
    expect(refusedWith(stale, answer('AcceptTerms'))).toBe('MILESTONE_SETTLED');
    expect(play(stale, answer('DeclineTerms')).at(-1)?.type).toBe('TermsDeclined');
  });
});
