/*
 * Part two of the spec on the seed's Microsoft Access job (part-two-fixtures.ts): disputes:
 * opening, negotiating, ending and settling them (R16–R21).
 */
import { describe, expect, it } from 'vitest';
import { decide, deadlines, summarize } from '../../src/index.js';
import { ACCESS_MILESTONES, AMEX, VISA, changed, given, play } from './helpers.js';
import {
  on,
  command,
  award,
  fund,
  submit,
  expireReview,
  open,
  offer,
  accept,
  active,
  qaSubmitted,
  qaDisputed,
  stateOf,
  qa,
} from './part-two-fixtures.js';

describe('R16–R17 opening a dispute', () => {
  it('R16: OpenDispute records the offer and respondBy = at + disputeResponseDays × 24 h', () => {
    given(qaSubmitted({ disputeResponseDays: 3 }))
      .when(
        command('OpenDispute', 'client', on(3), {
          disputeId: 'd1',
          milestoneId: 'qa',
          refund: 20000,
          reason: 'Tests never ran',
        }),
      )
      .then([
        {
          type: 'DisputeOpened',
          data: {
            disputeId: 'd1',
            milestoneId: 'qa',
            by: 'client',
            refund: 20000,
            reason: 'Tests never ran',
            respondBy: on(6),
            at: on(3),
          },
        },
      ]);
    expect(qa(qaDisputed())?.dispute).toEqual({
      disputeId: 'd1',
      openedBy: 'client',
      offerBy: 'client',
      refund: 20000,
      respondBy: on(10),
      escalated: false,
    });
  });

  it('R16: a milestone holding nothing is NOTHING_HELD; an offer above what is held INVALID_SETTLEMENT', () => {
    given(active())
      .when(open('d1', 'schema', 0, on(1)))
      .thenFails('NOTHING_HELD');
    given(qaSubmitted())
      .when(open('d1', 'qa', 20001, on(3)))
      .thenFails('INVALID_SETTLEMENT');
    given(qaSubmitted())
      .when(open('d1', 'qa', -1, on(3)))
      .thenFails('INVALID_INPUT');
  });

  it('R16: a prefund of a pending proposal cannot be disputed (UNKNOWN_MILESTONE); ids are unique (DUPLICATE_ID)', () => {
    const extra = [
      ...ACCESS_MILESTONES,
      { milestoneId: 'a5', title: 'Docs', description: '', dueDate: '2014-12-05', amount: 5000 },
    ];
    const prefunded = play(
      active(),
      command('ProposeTerms', 'client', on(1), { proposalId: 'p2', milestones: extra }),
      fund('a5', 'f1', on(1)),
    );
    given(prefunded)
      .when(open('d1', 'a5', 0, on(2)))
      .thenFails('UNKNOWN_MILESTONE');
    const withdrawn = play(
      qaDisputed(),
      command('WithdrawDispute', 'client', on(4), { disputeId: 'd1' }),
    );
    given(withdrawn)
      .when(open('d1', 'qa', 0, on(5)))
      .thenFails('DUPLICATE_ID');
  });

  it('R17: while a dispute is open its money moves only through it (DISPUTE_OPEN)', () => {
    const job = qaDisputed();
    given(job)
      .when(command('ReleaseFunds', 'client', on(4), { milestoneId: 'qa' }))
      .thenFails('DISPUTE_OPEN', { rule: 'R17' });
    given(job)
      .when(command('RefundMilestone', 'freelancer', on(4), { milestoneId: 'qa' }))
      .thenFails('DISPUTE_OPEN');
    given(job)
      .when(open('d2', 'qa', 0, on(4), 'freelancer'))
      .thenFails('DISPUTE_OPEN');
    const dropQa = ACCESS_MILESTONES.filter((m) => m.milestoneId !== 'qa');
    given(job)
      .when(command('ProposeTerms', 'client', on(4), { proposalId: 'p2', milestones: dropQa }))
      .thenFails('DISPUTE_OPEN', { milestoneId: 'qa' });
    // Work goes on, other milestones are not affected, and closing is FUNDS_HELD.
    given(job)
      .when(submit('qa', on(4)))
      .then([{ type: 'WorkSubmitted', data: { milestoneId: 'qa', at: on(4) } }]);
    expect(decide(fund('schema', 'f2', on(4)), stateOf(job))).toHaveLength(1);
    given(job)
      .when(command('CloseJob', 'client', on(4), {}))
      .thenFails('FUNDS_HELD');
  });

  it('R17: a proposal made stale by a dispute opened while it was pending cannot be accepted', () => {
    const cheaperQa = changed(ACCESS_MILESTONES, 'qa', { amount: 15000 });
    const job = play(
      qaSubmitted(),
      command('ProposeTerms', 'freelancer', on(3), { proposalId: 'p2', milestones: cheaperQa }),
      open('d1', 'qa', 5000, on(3, 12)),
    );
    given(job)
      .when(command('AcceptTerms', 'client', on(4), { proposalId: 'p2' }))
      .thenFails('DISPUTE_OPEN');
    given(job)
      .when(command('DeclineTerms', 'client', on(4), { proposalId: 'p2' }))
      .then(decide(command('DeclineTerms', 'client', on(4), { proposalId: 'p2' }), stateOf(job)));
  });
});

describe('R18–R20 negotiating and ending a dispute', () => {
  it('R18: a new offer replaces the current one, with a fresh respondBy', () => {
    given(qaDisputed())
      .when(offer('d1', 5000, on(4), 'freelancer'))
      .then([
        {
          type: 'SettlementProposed',
          data: { disputeId: 'd1', by: 'freelancer', refund: 5000, respondBy: on(11), at: on(4) },
        },
      ]);
  });

  it("R18: the offer's author may not accept it (FORBIDDEN); a changed offer is SETTLEMENT_MISMATCH", () => {
    const countered = play(qaDisputed(), offer('d1', 5000, on(4), 'freelancer'));
    given(countered)
      .when(accept('d1', 5000, on(5), 'freelancer'))
      .thenFails('FORBIDDEN');
    given(countered)
      .when(accept('d1', 20000, on(5), 'client'))
      .thenFails('SETTLEMENT_MISMATCH', { refund: 5000 });
  });

  it('R18: acceptance settles the dispute on the offer (agreed)', () => {
    const countered = play(qaDisputed(), offer('d1', 5000, on(4), 'freelancer'));
    given(countered)
      .when(accept('d1', 5000, on(5), 'client'))
      .then([
        {
          type: 'DisputeSettled',
          data: {
            disputeId: 'd1',
            milestoneId: 'qa',
            outcome: 'agreed',
            by: 'client',
            refund: 5000,
            release: 15000,
            at: on(5),
          },
        },
        {
          type: 'FundsRefunded',
          data: {
            milestoneId: 'qa',
            fundingId: 'f1',
            amount: 5000,
            source: VISA,
            reason: 'dispute-settled',
            at: on(5),
          },
        },
        { type: 'FundsReleased', data: { milestoneId: 'qa', amount: 15000, fee: 0, at: on(5) } },
      ]);
  });

  it('R19: escalating hands the dispute to the platform; again is DISPUTE_ESCALATED', () => {
    const escalated = play(
      qaDisputed(),
      command('EscalateDispute', 'freelancer', on(4), { disputeId: 'd1' }),
    );
    expect(qa(escalated)?.dispute).toMatchObject({ escalated: true, respondBy: null });
    expect(deadlines(stateOf(escalated))).toEqual([]);
    given(escalated)
      .when(command('EscalateDispute', 'client', on(5), { disputeId: 'd1' }))
      .thenFails('DISPUTE_ESCALATED');
    given(escalated)
      .when(command('ExpireDispute', 'platform', on(30), { disputeId: 'd1' }))
      .thenFails('DISPUTE_ESCALATED');
  });

  it('R20: the platform or the offer author ends an unanswered offer at respondBy (expired); the answerer may not', () => {
    const job = qaDisputed();
    given(job)
      .when(command('ExpireDispute', 'freelancer', on(10), { disputeId: 'd1' }))
      .thenFails('FORBIDDEN');
    given(job)
      .when(command('ExpireDispute', 'platform', on(9, 23), { disputeId: 'd1' }))
      .thenFails('TOO_EARLY', { dueAt: on(10) });
    given(job)
      .when(command('ExpireDispute', 'client', on(10), { disputeId: 'd1' }))
      .then([
        {
          type: 'DisputeSettled',
          data: {
            disputeId: 'd1',
            milestoneId: 'qa',
            outcome: 'expired',
            by: 'client',
            refund: 20000,
            release: 0,
            at: on(10),
          },
        },
        {
          type: 'FundsRefunded',
          data: {
            milestoneId: 'qa',
            fundingId: 'f1',
            amount: 20000,
            source: VISA,
            reason: 'dispute-settled',
            at: on(10),
          },
        },
      ]);
  });

  it('R20: only the platform rules, and only on an escalated dispute', () => {
    const job = qaDisputed({ serviceFeeBps: 1000 });
    given(job)
      .when(command('ResolveDispute', 'platform', on(5), { disputeId: 'd1', refund: 8000 }))
      .thenFails('DISPUTE_NOT_ESCALATED');
    const escalated = play(job, command('EscalateDispute', 'client', on(4), { disputeId: 'd1' }));
    given(escalated)
      .when(command('ResolveDispute', 'client', on(5), { disputeId: 'd1', refund: 8000 }))
      .thenFails('FORBIDDEN');
    given(escalated)
      .when(command('ResolveDispute', 'platform', on(5), { disputeId: 'd1', refund: 20001 }))
      .thenFails('INVALID_SETTLEMENT');
    given(escalated)
      .when(command('ResolveDispute', 'platform', on(5), { disputeId: 'd1', refund: 8000 }))
      .then([
        {
          type: 'DisputeSettled',
          data: {
            disputeId: 'd1',
            milestoneId: 'qa',
            outcome: 'ruled',
            by: 'platform',
            refund: 8000,
            release: 12000,
            at: on(5),
          },
        },
        {
          type: 'FundsRefunded',
          data: {
            milestoneId: 'qa',
            fundingId: 'f1',
            amount: 8000,
            source: VISA,
            reason: 'dispute-settled',
            at: on(5),
          },
        },
        { type: 'FundsReleased', data: { milestoneId: 'qa', amount: 12000, fee: 1200, at: on(5) } },
      ]);
  });

  it('R20: only the opener withdraws; the money stays held; unknown and ended disputes are refused', () => {
    const job = qaDisputed();
    given(job)
      .when(command('WithdrawDispute', 'freelancer', on(4), { disputeId: 'd1' }))
      .thenFails('FORBIDDEN');
    const withdrawn = play(job, command('WithdrawDispute', 'client', on(4), { disputeId: 'd1' }));
    expect(qa(withdrawn)).toMatchObject({ held: 20000, status: 'funded', dispute: null });
    given(withdrawn)
      .when(offer('d1', 0, on(5), 'client'))
      .thenFails('DISPUTE_CLOSED');
    given(withdrawn)
      .when(offer('d9', 0, on(5), 'client'))
      .thenFails('UNKNOWN_DISPUTE');
  });
});

describe('R21 settlement', () => {
  it('R21: refunds go newest funding first, each to its own source, then the release', () => {
    const raised = changed(ACCESS_MILESTONES, 'qa', { amount: 25000 });
    const twice = play(
      qaSubmitted(),
      command('ProposeTerms', 'freelancer', on(3), { proposalId: 'p2', milestones: raised }),
      command('AcceptTerms', 'client', on(3), { proposalId: 'p2' }),
      fund('qa', 'f2', on(3), AMEX),
      open('d1', 'qa', 8000, on(4), 'freelancer'),
    );
    const events = decide(accept('d1', 8000, on(5), 'client'), stateOf(twice));
    expect(events.slice(1)).toEqual([
      {
        type: 'FundsRefunded',
        data: {
          milestoneId: 'qa',
          fundingId: 'f2',
          amount: 5000,
          source: AMEX,
          reason: 'dispute-settled',
          at: on(5),
        },
      },
      {
        type: 'FundsRefunded',
        data: {
          milestoneId: 'qa',
          fundingId: 'f1',
          amount: 3000,
          source: VISA,
          reason: 'dispute-settled',
          at: on(5),
        },
      },
      { type: 'FundsReleased', data: { milestoneId: 'qa', amount: 17000, fee: 0, at: on(5) } },
    ]);
  });

  it('R21: a settled milestone is settled, not released, even when all of it was released; it never changes again', () => {
    const settled = play(qaDisputed(), accept('d1', 20000, on(4), 'freelancer'));
    const allOut = play(
      qaDisputed(),
      offer('d1', 0, on(4), 'freelancer'),
      accept('d1', 0, on(5), 'client'),
    );
    expect(qa(settled)).toMatchObject({ status: 'settled', held: 0, released: 0 });
    expect(qa(allOut)).toMatchObject({ status: 'settled', held: 0, released: 20000 });
    for (const job of [settled, allOut]) {
      for (const c of [
        fund('qa', 'f9', on(9)),
        command('ReleaseFunds', 'client', on(9), { milestoneId: 'qa' }),
        submit('qa', on(9)),
        expireReview('qa', on(40)),
        open('d2', 'qa', 0, on(9)),
      ])
        given(job).when(c).thenFails('MILESTONE_SETTLED', { rule: 'R21' });
      const dropQa = ACCESS_MILESTONES.filter((m) => m.milestoneId !== 'qa');
      given(job)
        .when(command('ProposeTerms', 'client', on(9), { proposalId: 'p2', milestones: dropQa }))
        .thenFails('MILESTONE_SETTLED');
    }
  });

  it('R21: a settled milestone counts as done for completed; money all back may leave the job awaiting-funding', () => {
    const single = [ACCESS_MILESTONES[2]!];
    const job = play(
      [],
      award(),
      command('ProposeTerms', 'client', on(0, 9), { proposalId: 'p1', milestones: single }),
      command('AcceptTerms', 'freelancer', on(0, 10), { proposalId: 'p1' }),
      fund('qa', 'f1', on(1)),
      open('d1', 'qa', 20000, on(3)),
      accept('d1', 20000, on(4), 'freelancer'),
    );
    expect(summarize(stateOf(job)).status).toBe('completed');
    const two = play(
      active(),
      fund('qa', 'f1', on(1)),
      open('d1', 'qa', 20000, on(3)),
      accept('d1', 20000, on(4), 'freelancer'),
    );
    expect(summarize(stateOf(two))).toMatchObject({
      status: 'awaiting-funding',
      workMayBegin: false,
    });
  });
});
