/*
 * Part two of the spec on the seed's Microsoft Access job (part-two-fixtures.ts): §7 the
 * platform, the policy and time; the review clock and ExpireReview (R14, R15).
 */
import { describe, expect, it } from 'vitest';
import {
  deadlines,
  decide,
  summarize,
  verifyHistory,
  type JobCommandInput,
  type JobEvent,
} from '../../src/index.js';
import { addDays, compareInstants } from '../../src/domain/shared/time.js';
import {
  ACCESS,
  ACCESS_MILESTONES,
  FREELANCER,
  STRANGER,
  VISA,
  changed,
  given,
  play,
} from './helpers.js';
import {
  DAY,
  PLATFORM,
  on,
  command,
  award,
  fund,
  submit,
  expireReview,
  open,
  offer,
  active,
  qaSubmitted,
  qaDisputed,
  stateOf,
  qa,
  type Policy,
} from './part-two-fixtures.js';

describe('§7 the platform, the policy and time', () => {
  it('§7: JobAwarded records the whole policy, the defaults filled in, and the platformId given', () => {
    given([])
      .when(award({ serviceFeeBps: 1000 }))
      .then([
        {
          type: 'JobAwarded',
          data: {
            ...ACCESS,
            platformId: PLATFORM,
            policy: { reviewDays: 14, disputeResponseDays: 7, serviceFeeBps: 1000 },
            at: on(0, 8),
          },
        },
      ]);
    expect(summarize(stateOf(active())).policy).toEqual({
      reviewDays: 14,
      disputeResponseDays: 7,
      serviceFeeBps: 0,
    });
  });

  it('§7: a stored v1 JobAwarded without policy folds with the defaults and the platform "platform"', () => {
    const v1: JobEvent = { type: 'JobAwarded', data: { ...ACCESS, at: on(0) } };
    const s = summarize(verifyHistory([v1]));
    expect(s.platformId).toBe('platform');
    expect(s.policy).toEqual({ reviewDays: 14, disputeResponseDays: 7, serviceFeeBps: 0 });
  });

  it('§7: a policy out of range, with another field, or not an object is INVALID_INPUT', () => {
    for (const policy of [
      { reviewDays: 0 },
      { reviewDays: 91 },
      { disputeResponseDays: 31 },
      { serviceFeeBps: 5001 },
      { serviceFeeBps: 10.5 },
      { fee: 1 },
      'none',
    ])
      given([])
        .when(award(policy as Policy))
        .thenFails('INVALID_INPUT');
  });

  it('§7: a platformId that names a party is INVALID_INPUT', () => {
    given([])
      .when(command('AwardJob', 'client', on(0), { ...ACCESS, platformId: FREELANCER }))
      .thenFails('INVALID_INPUT', { path: 'data.platformId' });
  });

  it('§7: the platform may issue only ExpireReview, ExpireDispute and ResolveDispute (FORBIDDEN)', () => {
    const job = qaDisputed();
    for (const c of [
      fund('schema', 'f9', on(4)),
      command('ReleaseFunds', 'platform', on(4), { milestoneId: 'qa' }),
      command('CloseJob', 'platform', on(4), {}),
      open('d9', 'schema', 0, on(4), 'platform'),
      offer('d1', 0, on(4), 'platform'),
      command('WithdrawDispute', 'platform', on(4), { disputeId: 'd1' }),
    ])
      given(job)
        .when({ ...c, actor: PLATFORM })
        .thenFails('FORBIDDEN');
    // An award by the platform it names, too; a stranger is not a party.
    given([])
      .when({ ...award(), actor: PLATFORM })
      .thenFails('FORBIDDEN');
    given(job)
      .when(expireReview('qa', on(30), STRANGER))
      .thenFails('NOT_A_PARTY');
  });

  it('§7: a party named "platform" keeps its role (client, freelancer, platform, in that order)', () => {
    const raw = (type: string, data: object): JobCommandInput =>
      ({ type, actor: 'platform', at: on(0), data }) as JobCommandInput;
    // No platformId: the platform is "platform", which here is the client's id.
    const job = play([], raw('AwardJob', { ...ACCESS, clientId: 'platform' }));
    const propose = raw('ProposeTerms', { proposalId: 'p1', milestones: ACCESS_MILESTONES });
    expect(decide(propose, stateOf(job))[0]).toMatchObject({ data: { by: 'client' } });
  });

  it('§7: a command earlier than the last event is INVALID_INPUT (time does not run backwards)', () => {
    given(qaSubmitted())
      .when(fund('schema', 'f2', on(1)))
      .thenFails('INVALID_INPUT', { path: 'at' });
    // The same instant written in another zone is not earlier.
    given(qaSubmitted())
      .when(fund('schema', 'f2', '2014-11-05T10:00:00+01:00'))
      .then(decide(fund('schema', 'f2', '2014-11-05T10:00:00+01:00'), stateOf(qaSubmitted())));
  });

  it('§7: deadlines are instant + N × 24 h in UTC to the millisecond, compared by value', () => {
    expect(addDays('2014-11-03T10:00:00+01:00', 7)).toBe('2014-11-10T09:00:00Z');
    expect(addDays('2014-11-03T09:00:00.5Z', 1)).toBe('2014-11-04T09:00:00.500Z');
    expect(addDays('2016-02-28T12:00:00Z', 1)).toBe('2016-02-29T12:00:00Z'); // no calendar days
    expect(addDays('0099-12-31T23:00:00Z', 1)).toBe('0100-01-01T23:00:00Z');
    expect(compareInstants('2014-11-03T09:00:00Z', '2014-11-03T10:00:00+01:00')).toBe(0);
    expect(compareInstants('2014-11-03T09:00:00.001Z', '2014-11-03T09:00:00Z')).toBe(1);
  });
});

describe('R14 the review clock', () => {
  it('R14: a submission on a fully funded milestone starts the clock: reviewDueAt = at + reviewDays × 24 h', () => {
    expect(qa(qaSubmitted())?.reviewDueAt).toBe(on(16));
    expect(qa(qaSubmitted({ reviewDays: 3 }))?.reviewDueAt).toBe(on(5));
  });

  it('R14: a submission on an unfunded milestone starts the clock at the funding that completes it', () => {
    const job = play(active(), submit('qa', on(1)));
    expect(qa(job)?.reviewDueAt).toBeNull();
    expect(qa(play(job, fund('qa', 'f1', on(4, 12))))?.reviewDueAt).toBe(on(18, 12));
  });

  it('R14: a change request resets the clock; the next submission starts afresh', () => {
    const job = play(
      qaSubmitted(),
      command('RequestChanges', 'client', on(10), { milestoneId: 'qa' }),
    );
    expect(qa(job)?.reviewDueAt).toBeNull();
    expect(qa(play(job, submit('qa', on(11))))?.reviewDueAt).toBe(on(25));
  });

  it('R14: a dispute opened and withdrawn only pauses the clock: it resumes where it paused', () => {
    // Ran 1 day (day 2 → 3), paused 4 days, resumes on day 7: 13 days are left.
    const job = play(
      qaDisputed(),
      command('WithdrawDispute', 'client', on(7), { disputeId: 'd1' }),
    );
    expect(qa(qaDisputed())?.reviewDueAt).toBeNull();
    expect(qa(job)?.reviewDueAt).toBe(on(20));
  });

  it('R14: a raise pauses the clock (short of funds), the funding of the rest resumes it', () => {
    const raised = changed(ACCESS_MILESTONES, 'qa', { amount: 25000 });
    const job = play(
      qaSubmitted(),
      command('ProposeTerms', 'freelancer', on(4), { proposalId: 'p2', milestones: raised }),
      command('AcceptTerms', 'client', on(4), { proposalId: 'p2' }),
    );
    expect(qa(job)?.reviewDueAt).toBeNull();
    expect(qa(play(job, fund('qa', 'f2', on(6))))?.reviewDueAt).toBe(on(18));
  });

  it('R14: a second submission while the review is submitted changes nothing', () => {
    expect(qa(play(qaSubmitted(), submit('qa', on(5))))?.reviewDueAt).toBe(on(16));
  });
});

describe('R15 ExpireReview', () => {
  it('R15: at or after reviewDueAt the platform releases the whole milestone, with its fee', () => {
    given(qaSubmitted({ serviceFeeBps: 875 }))
      .when(expireReview('qa', on(16)))
      .then([
        {
          type: 'ReviewExpired',
          data: { milestoneId: 'qa', by: 'platform', dueAt: on(16), at: on(16) },
        },
        {
          type: 'FundsReleased',
          data: { milestoneId: 'qa', amount: 20000, fee: 1750, at: on(16) },
        },
      ]);
    // The freelancer may issue it too.
    given(qaSubmitted())
      .when(expireReview('qa', on(17), 'freelancer'))
      .then([
        {
          type: 'ReviewExpired',
          data: { milestoneId: 'qa', by: 'freelancer', dueAt: on(16), at: on(17) },
        },
        { type: 'FundsReleased', data: { milestoneId: 'qa', amount: 20000, fee: 0, at: on(17) } },
      ]);
  });

  it('R15: before reviewDueAt it is TOO_EARLY, naming dueAt', () => {
    given(qaSubmitted())
      .when(expireReview('qa', on(15, 23)))
      .thenFails('TOO_EARLY', { dueAt: on(16) });
  });

  it('R15: the client may not expire the review (FORBIDDEN): it releases with ReleaseFunds', () => {
    given(qaSubmitted())
      .when(expireReview('qa', on(20), 'client'))
      .thenFails('FORBIDDEN');
  });

  it('R15: errors in order: UNKNOWN_MILESTONE, ALREADY_RELEASED, DISPUTE_OPEN, REVIEW_NOT_RUNNING, TOO_EARLY', () => {
    given(qaSubmitted())
      .when(expireReview('zz', on(3)))
      .thenFails('UNKNOWN_MILESTONE');
    const released = play(
      qaSubmitted(),
      command('ReleaseFunds', 'client', on(3), { milestoneId: 'qa' }),
    );
    given(released)
      .when(expireReview('qa', on(30)))
      .thenFails('ALREADY_RELEASED');
    given(qaDisputed())
      .when(expireReview('qa', on(3)))
      .thenFails('DISPUTE_OPEN');
    given(active())
      .when(expireReview('qa', on(30)))
      .thenFails('REVIEW_NOT_RUNNING');
    given(play(active(), submit('qa', on(1))))
      .when(expireReview('qa', on(30)))
      .thenFails('REVIEW_NOT_RUNNING');
  });
});

describe('R15 at the end of the wire time', () => {
  // A review whose deadline falls past 9999-12-31T23:59:59.999Z, which no instant can write:
  // awarded on 9999-12-30 under a one-day review, submitted on 9999-12-31 at 06:00 UTC.
  const t0 = '9999-12-30T12:00:00Z';
  const late = play(
    [],
    award({ reviewDays: 1 }, t0),
    command('ProposeTerms', 'client', t0, { proposalId: 'p1', milestones: ACCESS_MILESTONES }),
    command('AcceptTerms', 'freelancer', t0, { proposalId: 'p1' }),
    fund('qa', 'f1', t0),
    submit('qa', '9999-12-31T06:00:00Z'),
  );

  it('R15: an expiry past the year 9999 is INVALID_INPUT on at, never an event the parser refuses', () => {
    // Its at, 10000-01-01T23:58:59Z by value, is after the deadline 10000-01-01T06:00:00Z: it
    // wrote ReviewExpired { dueAt: "10000-01-01T06:00:00Z" }, and verifyHistory refused the
    // history decide had written (INVALID_INPUT at event 6's dueAt).
    given(late)
      .when(expireReview('qa', '9999-12-31T23:59:59-23:59'))
      .thenFails('INVALID_INPUT', { path: 'at' });
    // Before the deadline it is too early, as for any review (it was accepted: the five-digit
    // deadline read as NaN, so the review could be expired at once).
    given(late).when(expireReview('qa', '9999-12-31T23:00:00Z')).thenFails('TOO_EARLY');
    expect(() => verifyHistory(late)).not.toThrow();
  });
});

describe('R15 before the start of the wire time', () => {
  // A v1 history (no policy: 14 review days, time may run backwards) whose review clock ran 999
  // years, from 9000 to 9999, then paused by a raise and started again when the raise was funded
  // in the year 0001: the review ends 999 years less 14 days after 0001-01-01, before 0000.
  const at = (year: string): string => `${year}-01-01T00:00:00Z`;
  const milestone = (amount: number) => ({
    milestoneId: 'qa',
    title: 'QA',
    description: '',
    dueDate: '9000-02-01',
    amount,
  });
  const data = (fields: object, year: string) => ({ ...fields, at: at(year) });
  const v1: JobEvent[] = [
    { type: 'JobAwarded', data: data({ ...ACCESS }, '9000') },
    {
      type: 'TermsProposed',
      data: data({ proposalId: 'p1', by: 'client', milestones: [milestone(100)] }, '9000'),
    },
    { type: 'TermsAccepted', data: data({ proposalId: 'p1', by: 'freelancer' }, '9000') },
    {
      type: 'MilestoneFunded',
      data: data({ milestoneId: 'qa', fundingId: 'f1', amount: 100, source: VISA }, '9000'),
    },
    { type: 'WorkSubmitted', data: data({ milestoneId: 'qa' }, '9000') },
    {
      type: 'TermsProposed',
      data: data({ proposalId: 'p2', by: 'client', milestones: [milestone(200)] }, '9999'),
    },
    { type: 'TermsAccepted', data: data({ proposalId: 'p2', by: 'freelancer' }, '9999') },
    {
      type: 'MilestoneFunded',
      data: data({ milestoneId: 'qa', fundingId: 'f2', amount: 100, source: VISA }, '0001'),
    },
  ] as JobEvent[];
  // What JavaScript's own calendar says (it writes the year with six digits and a sign).
  const ran = Date.parse(at('9999')) - Date.parse(at('9000'));
  const due = new Date(Date.parse(at('0001')) + 14 * DAY - ran).toISOString();
  const dueAt = `-${due.slice(3)}`.replace('.000Z', 'Z');

  it('R14: a review deadline before the year 0000 is written with a minus sign and read back by value', () => {
    const state = verifyHistory(v1);
    expect(dueAt).toMatch(/^-0998-\d\d-\d\dT00:00:00Z$/);
    expect(summarize(state).milestones[0]?.reviewDueAt).toBe(dueAt);
    // It read as NaN: it sorted anywhere among the deadlines, and nothing compared with it.
    expect(compareInstants(dueAt, at('0000'))).toBeLessThan(0);
    expect(compareInstants(dueAt, addDays(dueAt, 1))).toBe(-DAY);
    expect(deadlines(state).map((d) => d.dueAt)).toEqual([dueAt]);
  });

  it('R15: its expiry is INVALID_INPUT on at, as past 9999, never an event the parser refuses', () => {
    // It was accepted, writing ReviewExpired { dueAt: "-998-…" }, which verifyHistory refused.
    given(v1)
      .when(expireReview('qa', at('0002'), 'freelancer'))
      .thenFails('INVALID_INPUT', { path: 'at' });
  });
});
