import { describe, expect, it } from 'vitest';
import { decide, fold, initialState, summarize, type JobCommandInput } from '../../src/index.js';
import {
  ACCESS,
  ACCESS_MILESTONES,
  AT,
  CLIENT,
  FREELANCER,
  LOGO,
  LOGO_MILESTONES,
  PAYPAL,
  STRANGER,
  VISA,
  activeLogo,
  awardedLogo,
  caught,
  changed,
  cmd,
  ev,
  given,
  play,
} from './helpers.js';
import { accessStory, logoStory } from './stories.js';

/** One command of every type, as the client would issue it (or the freelancer, where only it may). */
const everyCommand = (): JobCommandInput[] => [
  cmd.award(LOGO),
  cmd.propose('client', 'p9', LOGO_MILESTONES),
  cmd.accept('freelancer', 'p9'),
  cmd.decline('freelancer', 'p9'),
  cmd.withdraw('client', 'p9'),
  cmd.fund('m1', 'f9'),
  cmd.release('m1'),
  cmd.refund('m1'),
  cmd.submit('m1'),
  cmd.requestChanges('m1'),
  cmd.close(),
];

describe('the award', () => {
  it('§4: the client named in the award awards the job', () => {
    given([])
      .when(cmd.award(LOGO))
      .then([ev.awarded(LOGO)]);
    given([])
      .when(cmd.award(ACCESS))
      .then([ev.awarded(ACCESS)]);
  });

  it('§4: only the client named in the award may award the job (FORBIDDEN; a stranger is NOT_A_PARTY)', () => {
    given([]).when(cmd.award(LOGO, FREELANCER)).thenFails('FORBIDDEN', { actor: FREELANCER });
    given([]).when(cmd.award(LOGO, STRANGER)).thenFails('NOT_A_PARTY', { actor: STRANGER });
  });

  it('§4: a job is awarded once (ALREADY_AWARDED)', () => {
    given(awardedLogo()).when(cmd.award(LOGO)).thenFails('ALREADY_AWARDED', { jobId: LOGO.jobId });
    given(awardedLogo()).when(cmd.award(ACCESS)).thenFails('ALREADY_AWARDED');
  });

  it('§4: before JobAwarded, every command but AwardJob is NOT_AWARDED', () => {
    for (const command of everyCommand().slice(1)) {
      given([]).when(command).thenFails('NOT_AWARDED', { command: command.type });
    }
  });

  it('§1: the client and the freelancer are different parties', () => {
    given([])
      .when(cmd.award({ ...LOGO, freelancerId: CLIENT }))
      .thenFails('INVALID_INPUT', { path: 'data.freelancerId' });
  });
});

describe('§1 parties', () => {
  it('§1: an actor who is neither the client nor the freelancer is NOT_A_PARTY', () => {
    const history = play(
      activeLogo(),
      cmd.fund('m1', 'f1'),
      cmd.submit('m1'),
      cmd.propose('client', 'p2', LOGO_MILESTONES),
    );
    const asStranger: JobCommandInput[] = [
      cmd.propose(STRANGER, 'p3', LOGO_MILESTONES),
      cmd.accept(STRANGER, 'p2'),
      cmd.decline(STRANGER, 'p2'),
      cmd.withdraw(STRANGER, 'p2'),
      cmd.fund('m2', 'f2', VISA, { by: STRANGER }),
      cmd.release('m1', STRANGER),
      cmd.refund('m1', STRANGER),
      cmd.submit('m1', undefined, STRANGER),
      cmd.requestChanges('m1', undefined, STRANGER),
      cmd.close(undefined, STRANGER),
    ];
    for (const command of asStranger)
      given(history).when(command).thenFails('NOT_A_PARTY', { actor: STRANGER });
  });
});

describe('R12 work and review', () => {
  it('R12: the freelancer submits work for an active milestone', () => {
    given(activeLogo())
      .when(cmd.submit('m2', 'Six concepts attached'))
      .then([ev.submitted('m2', 'Six concepts attached')]);
    given(activeLogo())
      .when(cmd.submit('m2'))
      .then([ev.submitted('m2')]);
    expect(summarize(fold(play(activeLogo(), cmd.submit('m2')))).milestones[1]?.review).toBe(
      'submitted',
    );
  });

  it('R12: the client may request changes to submitted work, and the freelancer submits again', () => {
    const submitted = play(activeLogo(), cmd.fund('m2', 'f1'), cmd.submit('m2'));
    given(submitted)
      .when(cmd.requestChanges('m2', 'Bolder colours'))
      .then([ev.changesRequested('m2', 'Bolder colours')]);
    const asked = play(submitted, cmd.requestChanges('m2'));
    expect(summarize(fold(asked)).milestones[1]?.review).toBe('changes-requested');
    given(asked)
      .when(cmd.submit('m2', 'Revised'))
      .then([ev.submitted('m2', 'Revised')]);
  });

  it('R12: requesting changes when no work is submitted is NOTHING_SUBMITTED', () => {
    given(activeLogo())
      .when(cmd.requestChanges('m2'))
      .thenFails('NOTHING_SUBMITTED', { rule: 'R12', milestoneId: 'm2' });
    const asked = play(activeLogo(), cmd.submit('m2'), cmd.requestChanges('m2'));
    given(asked).when(cmd.requestChanges('m2')).thenFails('NOTHING_SUBMITTED', { rule: 'R12' });
  });

  it('R12: only the freelancer submits work (FORBIDDEN)', () => {
    given(activeLogo())
      .when(cmd.submit('m1', undefined, 'client'))
      .thenFails('FORBIDDEN', { rule: 'R12', role: 'client' });
  });

  it('R12: only the client requests changes (FORBIDDEN)', () => {
    const submitted = play(activeLogo(), cmd.submit('m1'));
    given(submitted)
      .when(cmd.requestChanges('m1', undefined, 'freelancer'))
      .thenFails('FORBIDDEN', { rule: 'R12', role: 'freelancer' });
  });

  it('R12: work is submitted only for an active milestone (UNKNOWN_MILESTONE)', () => {
    given(activeLogo())
      .when(cmd.submit('m9'))
      .thenFails('UNKNOWN_MILESTONE', { milestoneId: 'm9' });
    const pending = play(awardedLogo(), cmd.propose('client', 'p1', LOGO_MILESTONES));
    given(pending).when(cmd.submit('m1')).thenFails('UNKNOWN_MILESTONE', { milestoneId: 'm1' });
    given(activeLogo())
      .when(cmd.requestChanges('m9'))
      .thenFails('UNKNOWN_MILESTONE', { milestoneId: 'm9' });
  });

  it('R12: there is no work to do on a released milestone (ALREADY_RELEASED)', () => {
    const released = play(activeLogo(), cmd.fund('m1', 'f1'), cmd.submit('m1'), cmd.release('m1'));
    given(released).when(cmd.submit('m1')).thenFails('ALREADY_RELEASED', { rule: 'R10' });
    given(released).when(cmd.requestChanges('m1')).thenFails('ALREADY_RELEASED', { rule: 'R10' });
  });

  it('R12: a release does not require a submission', () => {
    given(play(activeLogo(), cmd.fund('m1', 'f1')))
      .when(cmd.release('m1'))
      .then([ev.released('m1', 7500)]);
  });
});

describe('R13 completing and closing', () => {
  it('R13: the job status goes awarded → awaiting-funding → in-progress → completed → closed', () => {
    const statuses: string[] = [];
    let history = play([], cmd.award(ACCESS));
    const step = (...commands: JobCommandInput[]): void => {
      history = play(history, ...commands);
      statuses.push(summarize(fold(history)).status);
    };
    statuses.push(summarize(fold(history)).status);
    step(cmd.propose('client', 'p1', ACCESS_MILESTONES));
    step(cmd.accept('freelancer', 'p1'));
    step(cmd.fund('schema', 'f1'));
    step(cmd.release('schema'));
    step(
      cmd.fund('impl', 'f2'),
      cmd.fund('qa', 'f3'),
      cmd.fund('final', 'f4'),
      cmd.release('impl'),
      cmd.release('qa'),
    );
    step(cmd.release('final'));
    step(cmd.close('All delivered'));
    expect(statuses).toEqual([
      'awarded',
      'awarded',
      'awaiting-funding',
      'in-progress',
      'in-progress',
      'in-progress',
      'completed',
      'closed',
    ]);
    expect(summarize(fold(history)).totals).toEqual({
      contract: 80000,
      funded: 80000,
      held: 0,
      released: 80000,
      refunded: 0,
      fees: 0,
    });
  });

  it('R13: the job is completed when every active milestone is released, also after a change deletes the rest', () => {
    const history = play(
      activeLogo(),
      cmd.fund('m1', 'f1'),
      cmd.release('m1'),
      cmd.propose('client', 'p2', [LOGO_MILESTONES[0]!]),
      cmd.accept('freelancer', 'p2'),
    );
    expect(summarize(fold(history)).status).toBe('completed');
  });

  it('R13: the client closes a job whose escrow is empty and with no proposal pending', () => {
    const completed = play(
      activeLogo(),
      ...LOGO_MILESTONES.flatMap((m, i) => [
        cmd.fund(m.milestoneId, `f${String(i + 1)}`),
        cmd.release(m.milestoneId),
      ]),
    );
    given(completed)
      .when(cmd.close('Logo delivered'))
      .then([ev.closed('Logo delivered')]);
    given(completed).when(cmd.close()).then([ev.closed()]);
    // A job may also be closed before any terms were agreed.
    given(awardedLogo())
      .when(cmd.close('Changed my mind'))
      .then([ev.closed('Changed my mind')]);
  });

  it('R13: closing while escrow holds money is FUNDS_HELD', () => {
    given(play(activeLogo(), cmd.fund('m1', 'f1')))
      .when(cmd.close())
      .thenFails('FUNDS_HELD', { rule: 'R13', held: 7500 });
    // Prefunds count too.
    const prefunded = play(
      awardedLogo(),
      cmd.propose('client', 'p1', LOGO_MILESTONES),
      cmd.fund('m1', 'f1'),
    );
    given(prefunded).when(cmd.close()).thenFails('FUNDS_HELD', { rule: 'R13', held: 7500 });
  });

  it('R13: closing while a proposal is pending is PROPOSAL_PENDING', () => {
    const pending = play(
      activeLogo(),
      cmd.propose('freelancer', 'p2', changed(LOGO_MILESTONES, 'm5', { amount: 12000 })),
    );
    given(pending)
      .when(cmd.close())
      .thenFails('PROPOSAL_PENDING', { rule: 'R13', pendingProposalId: 'p2' });
  });

  it('R13: only the client closes the job (FORBIDDEN)', () => {
    given(activeLogo())
      .when(cmd.close(undefined, 'freelancer'))
      .thenFails('FORBIDDEN', { rule: 'R13', role: 'freelancer' });
  });

  it('R13: after closing, every command is JOB_CLOSED', () => {
    const closed = play(awardedLogo(), cmd.close());
    for (const command of everyCommand().slice(1))
      given(closed).when(command).thenFails('JOB_CLOSED', { rule: 'R13' });
    given(closed)
      .when(cmd.propose(STRANGER, 'p1', LOGO_MILESTONES))
      .thenFails('JOB_CLOSED', { rule: 'R13' });
  });

  it('R13: after closing, even AwardJob is JOB_CLOSED, not ALREADY_AWARDED', () => {
    const closed = play(awardedLogo(), cmd.close());
    given(closed)
      .when(cmd.award(LOGO, CLIENT, AT))
      .thenFails('JOB_CLOSED', { rule: 'R13' });
  });
});

describe('a command yields all its events or none', () => {
  it('§4: a rejected command returns no events and leaves the state unchanged', () => {
    // Accepting this stale proposal would refund m6's prefund; it is rejected as a whole instead.
    const stale = play(
      activeLogo(),
      cmd.fund('m1', 'f1'),
      cmd.propose('freelancer', 'p2', [
        ...changed(LOGO_MILESTONES, 'm1', { amount: 9000 }),
        {
          milestoneId: 'm6',
          title: 'Business card layout',
          description: '',
          dueDate: '2014-11-30',
          amount: 5000,
        },
      ]),
      cmd.fund('m6', 'f2', PAYPAL),
      cmd.release('m1'),
    );
    const state = fold(stale);
    const snapshot = structuredClone(state);
    let events: unknown;
    const error = caught(() => {
      events = decide(cmd.accept('client', 'p2'), state);
    });
    expect(error.code).toBe('MILESTONE_RELEASED');
    expect(events).toBeUndefined();
    expect(state).toStrictEqual(snapshot);
    expect(Object.isFrozen(state)).toBe(true);
    // The same command after the rejection is rejected the same way.
    given(stale).when(cmd.accept('client', 'p2')).thenFails('MILESTONE_RELEASED');
  });

  it('§4: the decision on an initial state does not change the initial state', () => {
    const before = structuredClone(initialState());
    expect(() => decide(cmd.fund('m1', 'f1'), initialState())).toThrow();
    decide(cmd.award(LOGO), initialState());
    expect(initialState()).toStrictEqual(before);
  });
});

describe('§6 the seed jobs end to end', () => {
  it('§6: the logo design job, prefunded start fee to the last release', () => {
    const summary = summarize(fold(logoStory()));
    expect(summary).toMatchObject({
      jobId: LOGO.jobId,
      title: 'Logo design',
      currency: 'USD',
      status: 'closed',
      workMayBegin: true,
      totals: { contract: 42500, funded: 47500, held: 0, released: 42500, refunded: 5000, fees: 0 },
      pendingProposal: null,
    });
    expect(summary.milestones.map((m) => [m.milestoneId, m.amount, m.status])).toEqual([
      ['m1', 7500, 'released'],
      ['m2', 7500, 'released'],
      ['m3', 10000, 'released'],
      ['m4', 7500, 'released'],
      ['m5', 10000, 'released'],
    ]);
  });

  it('§6: the Microsoft Access job, countered, changed and refunded', () => {
    const summary = summarize(fold(accessStory()));
    expect(summary).toMatchObject({
      jobId: ACCESS.jobId,
      status: 'closed',
      totals: {
        contract: 60000,
        funded: 140000,
        held: 0,
        released: 60000,
        refunded: 80000,
        fees: 0,
      },
    });
    expect(summary.milestones.map((m) => [m.milestoneId, m.amount, m.status])).toEqual([
      ['schema', 20000, 'released'],
      ['impl', 15000, 'released'],
      ['qa', 25000, 'released'],
    ]);
  });
});
