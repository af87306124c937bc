/*
 * Part two of the spec (§7–§11), rule by rule, on the seed's Microsoft Access job (spec §6):
 * the platform and the policy, time, the review clock and ExpireReview (R14, R15), disputes
 * (R16–R21) and the service fee (R22).
 */
import { describe, expect, it } from 'vitest';
import {
  decide,
  deadlines,
  feeOn,
  fold,
  summarize,
  verifyHistory,
  type JobCommandInput,
  type JobEvent,
} from '../../src/index.js';
import { invariantViolations } from '../../src/testing/index.js';
import { addDays, compareInstants } from '../../src/domain/shared/time.js';
import {
  ACCESS,
  ACCESS_MILESTONES,
  AMEX,
  CLIENT,
  FREELANCER,
  STRANGER,
  VISA,
  caught,
  changed,
  given,
  play,
} from './helpers.js';

const PLATFORM = 'elance';
const DAY = 24 * 3600 * 1000;
/** Instants of the job: day `d` (0 = 2014-11-03) at `h` o'clock UTC. */
const on = (d: number, h = 9): string =>
  addDays(`2014-11-03T${String(h).padStart(2, '0')}:00:00Z`, d);

type Policy = { reviewDays?: number; disputeResponseDays?: number; serviceFeeBps?: number };
const actor = (who: string): string =>
  who === 'client'
    ? CLIENT
    : who === 'freelancer'
      ? FREELANCER
      : who === 'platform'
        ? PLATFORM
        : who;
const command = (type: string, who: string, at: string, data: object): JobCommandInput =>
  ({ type, actor: actor(who), at, data }) as JobCommandInput;

const award = (policy?: Policy, at = on(0, 8)) =>
  command('AwardJob', 'client', at, {
    ...ACCESS,
    platformId: PLATFORM,
    ...(policy === undefined ? {} : { policy }),
  });
const fund = (id: string, fundingId: string, at: string, source = VISA) =>
  command('FundMilestone', 'client', at, { milestoneId: id, fundingId, source });
const submit = (id: string, at: string) =>
  command('SubmitWork', 'freelancer', at, { milestoneId: id });
const expireReview = (id: string, at: string, who = 'platform') =>
  command('ExpireReview', who, at, { milestoneId: id });
const open = (disputeId: string, id: string, refund: number, at: string, who = 'client') =>
  command('OpenDispute', who, at, { disputeId, milestoneId: id, refund });
const offer = (disputeId: string, refund: number, at: string, who: string) =>
  command('ProposeSettlement', who, at, { disputeId, refund });
const accept = (disputeId: string, refund: number, at: string, who: string) =>
  command('AcceptSettlement', who, at, { disputeId, refund });

/** The Access job under a policy, its terms active from day 0 (schema, impl, qa, final: $200 each). */
function active(policy?: Policy): JobEvent[] {
  return play(
    [],
    award(policy),
    command('ProposeTerms', 'client', on(0, 9), {
      proposalId: 'p1',
      milestones: ACCESS_MILESTONES,
    }),
    command('AcceptTerms', 'freelancer', on(0, 10), { proposalId: 'p1' }),
  );
}
/** …with QA (qa) funded on day 1 and submitted on day 2: its review runs. */
function qaSubmitted(policy?: Policy): JobEvent[] {
  return play(active(policy), fund('qa', 'f1', on(1)), submit('qa', on(2)));
}
/** …and disputed by the client on day 3, claiming everything back. */
function qaDisputed(policy?: Policy): JobEvent[] {
  return play(qaSubmitted(policy), open('d1', 'qa', 20000, on(3)));
}
const stateOf = (events: readonly JobEvent[]) => fold(events);
const qa = (events: readonly JobEvent[]) =>
  summarize(stateOf(events)).milestones.find((m) => m.milestoneId === 'qa');

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
