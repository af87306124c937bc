/*
 * Spec §7 and §8 read by a fresh pair of eyes (session 14): the policy's edges, how deadlines
 * are written, the order of checks when two apply, and the review clock at its edges (a dispute
 * on the last instant of a review, a refund, a reduction, an edit).
 */
import { describe, expect, it } from 'vitest';
import { decide, summarize, verifyHistory } from '../../src/index.js';
import { ACCESS, ACCESS_MILESTONES, STRANGER, caught, changed, play } from './helpers.js';
import {
  active,
  command,
  expireReview,
  fund,
  on,
  open,
  qa,
  qaDisputed,
  qaSubmitted,
  refusedWith,
  stateOf,
} from './part-two-fixtures.js';

const awardWith = (data: object) => command('AwardJob', 'client', on(0), { ...ACCESS, ...data });

describe('§7 the policy', () => {
  it('§7: every policy field at its bounds is valid; one past is INVALID_INPUT', () => {
    const policies = [
      { reviewDays: 1, disputeResponseDays: 1, serviceFeeBps: 0 },
      { reviewDays: 90, disputeResponseDays: 30, serviceFeeBps: 5000 },
    ];
    for (const policy of policies)
      expect(play([], awardWith({ policy }))[0]?.data).toMatchObject({ policy });
    for (const policy of [
      { reviewDays: 0 },
      { reviewDays: 91 },
      { reviewDays: 1.5 },
      { disputeResponseDays: 0 },
      { disputeResponseDays: 31 },
      { serviceFeeBps: -1 },
      { serviceFeeBps: 5001 },
      { serviceFeeBps: 87.5 },
      { reviewDays: '14' },
      { reviewDays: null },
    ])
      expect(refusedWith([], awardWith({ policy }))).toBe('INVALID_INPUT');
  });

  it('§7: a policy that is not an object (an array, null, a number) is INVALID_INPUT; {} is the defaults', () => {
    for (const policy of [[], [{ reviewDays: 3 }], null, 14, 'none'])
      expect(refusedWith([], awardWith({ policy }))).toBe('INVALID_INPUT');
    // An array was taken as the defaults (valibot's object schema reads only the keys it knows).
    expect(caught(() => decide(awardWith({ policy: [] }), stateOf([])))).toMatchObject({
      message: expect.stringContaining('data.policy: expected an object') as string,
      details: { path: 'data.policy' },
    });
    expect(play([], awardWith({ policy: {} }))[0]?.data).toMatchObject({
      policy: { reviewDays: 14, disputeResponseDays: 7, serviceFeeBps: 0 },
    });
  });

  it('§7: JobAwarded has no platformId when the command gave none; the summary names "platform"', () => {
    const [awarded] = play([], awardWith({}));
    expect(awarded?.data).not.toHaveProperty('platformId');
    expect(summarize(stateOf(play([], awardWith({})))).platformId).toBe('platform');
    // An AwardJob by the default platform is FORBIDDEN; naming another platform frees the name.
    const byPlatform = { ...awardWith({}), actor: 'platform' };
    expect(refusedWith([], byPlatform)).toBe('FORBIDDEN');
    const named = awardWith({ platformId: 'elance' });
    expect(refusedWith([], { ...named, actor: 'platform' })).toBe('NOT_A_PARTY');
  });
});

describe('§7 deadlines and time', () => {
  it('§7: a deadline is written in UTC, with .sss only when the milliseconds are not zero', () => {
    const respondBy = (at: string) =>
      play(qaSubmitted(), open('d1', 'qa', 0, at)).at(-1)?.data as { respondBy: string };
    expect(respondBy('2014-11-06T10:00:00.000+01:00').respondBy).toBe('2014-11-13T09:00:00Z');
    expect(respondBy('2014-11-06T09:00:00.250Z').respondBy).toBe('2014-11-13T09:00:00.250Z');
    expect(respondBy('2014-11-06T09:00:00.1239Z').respondBy).toBe('2014-11-13T09:00:00.123Z');
  });

  it('§7: TOO_EARLY carries details.dueAt, for a review and for a dispute', () => {
    const review = caught(() => decide(expireReview('qa', on(15)), stateOf(qaSubmitted())));
    expect(review).toMatchObject({ code: 'TOO_EARLY', details: { dueAt: on(16) } });
    const dispute = caught(() =>
      decide(
        command('ExpireDispute', 'platform', on(9), { disputeId: 'd1' }),
        stateOf(qaDisputed()),
      ),
    );
    expect(dispute).toMatchObject({ code: 'TOO_EARLY', details: { dueAt: on(10) } });
  });

  it('§7: a command at the same instant as the last event is valid; earlier is INVALID_INPUT', () => {
    expect(play(qaSubmitted(), open('d1', 'qa', 0, on(2))).at(-1)?.type).toBe('DisputeOpened');
    expect(refusedWith(qaSubmitted(), open('d1', 'qa', 0, '2014-11-05T08:59:59.999Z'))).toBe(
      'INVALID_INPUT',
    );
    // Compared by value: 10:00+01:00 is the last event's instant.
    expect(play(qaSubmitted(), open('d1', 'qa', 0, '2014-11-05T10:00:00+01:00')).length).toBe(
      qaSubmitted().length + 1,
    );
  });
});

describe('§7 the order of checks, two errors at once', () => {
  const closed = () => play(active(), command('CloseJob', 'client', on(1), {}));
  it('§7: backwards time before JOB_CLOSED; JOB_CLOSED before NOT_A_PARTY', () => {
    expect(refusedWith(closed(), command('CloseJob', 'client', on(0), {}))).toBe('INVALID_INPUT');
    expect(refusedWith(closed(), { ...open('d1', 'qa', 0, on(2)), actor: STRANGER })).toBe(
      'JOB_CLOSED',
    );
  });
  it('§7: NOT_AWARDED before NOT_A_PARTY; NOT_A_PARTY before FORBIDDEN and the ids', () => {
    expect(refusedWith([], { ...open('d1', 'qa', 0, on(2)), actor: STRANGER })).toBe('NOT_AWARDED');
    expect(refusedWith(active(), { ...expireReview('nowhere', on(2)), actor: STRANGER })).toBe(
      'NOT_A_PARTY',
    );
  });
  it('§7: the role\u2019s FORBIDDEN before the ids (UNKNOWN_MILESTONE, UNKNOWN_DISPUTE)', () => {
    expect(refusedWith(active(), expireReview('nowhere', on(2), 'client'))).toBe('FORBIDDEN');
    const accept = command('AcceptSettlement', 'platform', on(4), { disputeId: 'zz', refund: 0 });
    expect(refusedWith(qaDisputed(), accept)).toBe('FORBIDDEN');
  });
  it('§7: ids before the dispute\u2019s own FORBIDDEN; DISPUTE_CLOSED before it', () => {
    const own = command('AcceptSettlement', 'client', on(4), { disputeId: 'zz', refund: 0 });
    expect(refusedWith(qaDisputed(), own)).toBe('UNKNOWN_DISPUTE');
    const withdrawn = play(
      qaDisputed(),
      command('WithdrawDispute', 'client', on(4), { disputeId: 'd1' }),
    );
    const byOther = command('WithdrawDispute', 'freelancer', on(5), { disputeId: 'd1' });
    expect(refusedWith(withdrawn, byOther)).toBe('DISPUTE_CLOSED');
  });
  it('§7 R16: UNKNOWN_MILESTONE before DUPLICATE_ID before the state; state before amounts', () => {
    expect(refusedWith(qaDisputed(), open('d1', 'nowhere', 0, on(4)))).toBe('UNKNOWN_MILESTONE');
    const released = play(
      qaDisputed(),
      command('WithdrawDispute', 'client', on(4), { disputeId: 'd1' }),
      command('ReleaseFunds', 'client', on(5), { milestoneId: 'qa' }),
    );
    expect(refusedWith(released, open('d1', 'qa', 0, on(6)))).toBe('DUPLICATE_ID');
    expect(refusedWith(released, open('d2', 'qa', 99999, on(6)))).toBe('ALREADY_RELEASED');
    expect(refusedWith(qaDisputed(), open('d2', 'qa', 99999, on(4)))).toBe('DISPUTE_OPEN');
    // Nothing held and an offer above it: NOTHING_HELD, listed first in R16.
    expect(refusedWith(active(), open('d1', 'qa', 5, on(1)))).toBe('NOTHING_HELD');
  });
  it('§7: for a proposal the active terms are checked in order (disputed before a later released one)', () => {
    const job = play(
      qaDisputed(),
      fund('final', 'f2', on(4)),
      command('ReleaseFunds', 'client', on(4), { milestoneId: 'final' }),
    );
    // qa (third) is disputed, final (fourth) released; the proposal drops both.
    const milestones = ACCESS_MILESTONES.filter(
      (m) => m.milestoneId !== 'qa' && m.milestoneId !== 'final',
    );
    const propose = command('ProposeTerms', 'client', on(5), { proposalId: 'p2', milestones });
    expect(refusedWith(job, propose)).toBe('DISPUTE_OPEN');
  });
});

describe('§8 R14 the review clock at its edges', () => {
  it('§8 R14–R15: a dispute opened on the last instant of the review pauses it with nothing left; withdrawn, it is due at once', () => {
    const disputed = play(qaSubmitted(), open('d1', 'qa', 0, on(16)));
    expect(refusedWith(disputed, expireReview('qa', on(16)))).toBe('DISPUTE_OPEN');
    const withdrawn = play(
      disputed,
      command('WithdrawDispute', 'client', on(20), { disputeId: 'd1' }),
    );
    expect(qa(withdrawn)?.reviewDueAt).toBe(on(20));
    const released = play(withdrawn, expireReview('qa', on(20), 'freelancer'));
    expect(released.slice(-2).map((e) => [e.type, e.data])).toEqual([
      ['ReviewExpired', { milestoneId: 'qa', by: 'freelancer', dueAt: on(20), at: on(20) }],
      ['FundsReleased', { milestoneId: 'qa', amount: 20000, fee: 0, at: on(20) }],
    ]);
    expect(verifyHistory(released).version).toBe(released.length);
  });

  it('§8 R14: a dispute opened a millisecond before the end leaves a millisecond', () => {
    const disputed = play(qaSubmitted(), open('d1', 'qa', 0, '2014-11-19T08:59:59.999Z'));
    const withdrawn = play(
      disputed,
      command('WithdrawDispute', 'client', on(20), { disputeId: 'd1' }),
    );
    expect(qa(withdrawn)?.reviewDueAt).toBe('2014-11-23T09:00:00.001Z');
  });

  it('§8 R14: a refund leaves the milestone short of funds: the clock pauses, keeping the time run', () => {
    const job = play(
      qaSubmitted(),
      command('RefundMilestone', 'freelancer', on(5), { milestoneId: 'qa' }),
    );
    expect(qa(job)?.reviewDueAt).toBeNull();
    // Three days ran (day 2 to day 5); funded again on day 6, eleven remain.
    expect(qa(play(job, fund('qa', 'f2', on(6))))?.reviewDueAt).toBe(on(17));
  });

  it('§8 R14: accepted terms that edit or reduce a running milestone keep its clock', () => {
    const edit = (proposalId: string, change: object, at: number) => [
      command('ProposeTerms', 'client', on(at), {
        proposalId,
        milestones: changed(ACCESS_MILESTONES, 'qa', change),
      }),
      command('AcceptTerms', 'freelancer', on(at, 10), { proposalId }),
    ];
    const edited = play(qaSubmitted(), ...edit('p2', { title: 'QA, again' }, 3));
    expect(qa(edited)?.reviewDueAt).toBe(on(16));
    const reduced = play(qaSubmitted(), ...edit('p2', { amount: 15000 }, 3));
    expect(qa(reduced)).toMatchObject({ reviewDueAt: on(16), held: 15000 });
    // A raise pauses it; reduced back to what is held, it runs again from that acceptance.
    const raised = play(qaSubmitted(), ...edit('p2', { amount: 30000 }, 3));
    expect(qa(raised)?.reviewDueAt).toBeNull();
    const back = play(raised, ...edit('p3', { amount: 20000 }, 5));
    // One day and one hour ran (day 2 9:00 to day 3 10:00); restarted on day 5 at 10:00.
    expect(qa(back)?.reviewDueAt).toBe(on(18, 9));
  });

  it('§8 R14: a milestone deleted while under review has no clock and no deadline', () => {
    const job = play(
      qaSubmitted(),
      command('ProposeTerms', 'client', on(3), {
        proposalId: 'p2',
        milestones: ACCESS_MILESTONES.filter((m) => m.milestoneId !== 'qa'),
      }),
      command('AcceptTerms', 'freelancer', on(4), { proposalId: 'p2' }),
    );
    expect(summarize(stateOf(job)).deadlines).toEqual([]);
  });

  it('§8 R15: REVIEW_NOT_RUNNING when not submitted, when changes were requested, when short of funds', () => {
    expect(refusedWith(play(active(), fund('qa', 'f1', on(1))), expireReview('qa', on(30)))).toBe(
      'REVIEW_NOT_RUNNING',
    );
    const changes = play(
      qaSubmitted(),
      command('RequestChanges', 'client', on(3), { milestoneId: 'qa' }),
    );
    expect(refusedWith(changes, expireReview('qa', on(30)))).toBe('REVIEW_NOT_RUNNING');
    const unfunded = play(
      active(),
      command('SubmitWork', 'freelancer', on(1), { milestoneId: 'qa' }),
    );
    expect(refusedWith(unfunded, expireReview('qa', on(30)))).toBe('REVIEW_NOT_RUNNING');
  });

  it('§8 R15: the award\u2019s default platform id expires a review by the role "platform"', () => {
    const job = play(
      [],
      awardWith({}),
      command('ProposeTerms', 'client', on(0, 9), {
        proposalId: 'p1',
        milestones: ACCESS_MILESTONES,
      }),
      command('AcceptTerms', 'freelancer', on(0, 10), { proposalId: 'p1' }),
      fund('qa', 'f1', on(1)),
      command('SubmitWork', 'freelancer', on(2), { milestoneId: 'qa' }),
    );
    const events = decide({ ...expireReview('qa', on(16)), actor: 'platform' }, stateOf(job));
    expect(events[0]?.data).toMatchObject({ by: 'platform' });
  });
});
