import { describe, expect, it } from 'vitest';
import { fold, summarize } from '../../src/index.js';
import {
  ACCESS_MILESTONES,
  AMEX,
  LOGO_MILESTONES,
  PAYPAL,
  VISA,
  activeAccess,
  activeLogo,
  awardedLogo,
  changed,
  cmd,
  ev,
  given,
  play,
} from './helpers.js';

const TRAINING = {
  milestoneId: 'a5',
  title: 'Training',
  description: 'Two sessions for the staff',
  dueDate: '2014-12-05',
  amount: 10000,
};

describe('R6 funding', () => {
  it('R6: funding deposits exactly the unfunded remainder from one payment source, with an optional comment', () => {
    given(activeLogo())
      .when(cmd.fund('m1', 'f1', VISA, { comment: 'Start fee' }))
      .then([ev.funded('m1', 'f1', 7500, VISA, 'Start fee')]);
    given(activeAccess())
      .when(cmd.fund('final', 'f1', PAYPAL))
      .then([ev.funded('final', 'f1', 20000, PAYPAL)]);
  });

  it('R6: an amount guard equal to the remainder is accepted', () => {
    given(activeLogo())
      .when(cmd.fund('m5', 'f1', VISA, { amount: 10000 }))
      .then([ev.funded('m5', 'f1', 10000)]);
  });

  it('R6: an amount guard that differs from the remainder is AMOUNT_MISMATCH', () => {
    given(activeLogo())
      .when(cmd.fund('m5', 'f1', VISA, { amount: 7500 }))
      .thenFails('AMOUNT_MISMATCH', {
        rule: 'R6',
        milestoneId: 'm5',
        expected: 7500,
        remainder: 10000,
      });
  });

  it('R6: a milestone that holds its whole amount has NOTHING_TO_FUND', () => {
    given(play(activeLogo(), cmd.fund('m1', 'f1')))
      .when(cmd.fund('m1', 'f2'))
      .thenFails('NOTHING_TO_FUND', { rule: 'R6', milestoneId: 'm1' });
  });

  it('R6: only the client funds (FORBIDDEN)', () => {
    given(activeLogo())
      .when(cmd.fund('m1', 'f1', VISA, { by: 'freelancer' }))
      .thenFails('FORBIDDEN', { rule: 'R6', role: 'freelancer' });
  });

  it('R6: funding a milestone that is in no terms is UNKNOWN_MILESTONE', () => {
    given(activeLogo())
      .when(cmd.fund('m9', 'f1'))
      .thenFails('UNKNOWN_MILESTONE', { milestoneId: 'm9' });
  });

  it('R6: funding a released milestone is ALREADY_RELEASED', () => {
    given(play(activeLogo(), cmd.fund('m1', 'f1'), cmd.release('m1')))
      .when(cmd.fund('m1', 'f2'))
      .thenFails('ALREADY_RELEASED', { rule: 'R10', milestoneId: 'm1' });
  });

  it('R6: funding an active milestone uses the active amount while a pending proposal changes it', () => {
    const pending = play(
      activeLogo(),
      cmd.propose('freelancer', 'p2', changed(LOGO_MILESTONES, 'm2', { amount: 10000 })),
    );
    given(pending)
      .when(cmd.fund('m2', 'f1'))
      .then([ev.funded('m2', 'f1', 7500)]);
  });
});

describe('R7 prefunding', () => {
  it('R7: the client may prefund the milestones of the first terms while they are pending', () => {
    const proposed = play(awardedLogo(), cmd.propose('client', 'p1', LOGO_MILESTONES));
    given(proposed)
      .when(cmd.fund('m1', 'f1', VISA, { comment: 'Prefunded start fee' }))
      .then([ev.funded('m1', 'f1', 7500, VISA, 'Prefunded start fee')]);
    const summary = summarize(fold(play(proposed, cmd.fund('m1', 'f1'))));
    expect(summary.status).toBe('awarded');
    expect(summary.workMayBegin).toBe(false);
    expect(summary.totals.held).toBe(7500);
    expect(summary.pendingProposal?.milestones.map((m) => m.held)).toEqual([7500, 0, 0, 0, 0]);
  });

  it('R7: the client may prefund the milestones a pending change adds', () => {
    const pending = play(
      activeAccess(),
      cmd.propose('client', 'p2', [...ACCESS_MILESTONES, TRAINING]),
    );
    given(pending)
      .when(cmd.fund('a5', 'f1', AMEX))
      .then([ev.funded('a5', 'f1', 10000, AMEX)]);
  });

  it('R7: with no proposal pending, only active milestones can be funded (UNKNOWN_MILESTONE)', () => {
    given(awardedLogo())
      .when(cmd.fund('m1', 'f1'))
      .thenFails('UNKNOWN_MILESTONE', { rule: 'R7', milestoneId: 'm1' });
    const declined = play(
      activeAccess(),
      cmd.propose('client', 'p2', [...ACCESS_MILESTONES, TRAINING]),
      cmd.decline('freelancer', 'p2'),
    );
    given(declined)
      .when(cmd.fund('a5', 'f1'))
      .thenFails('UNKNOWN_MILESTONE', { milestoneId: 'a5' });
  });

  it('R7: the freelancer cannot prefund (FORBIDDEN)', () => {
    const proposed = play(awardedLogo(), cmd.propose('client', 'p1', LOGO_MILESTONES));
    given(proposed)
      .when(cmd.fund('m1', 'f1', VISA, { by: 'freelancer' }))
      .thenFails('FORBIDDEN', { rule: 'R6' });
  });
});

describe('R8 what happens to prefunds', () => {
  const prefunded = (): ReturnType<typeof play> =>
    play(
      awardedLogo(),
      cmd.propose('client', 'p1', LOGO_MILESTONES),
      cmd.fund('m1', 'f1', VISA),
      cmd.fund('m2', 'f2', PAYPAL),
    );

  it('R8: a prefunded proposal accepted unchanged holds its money and the job begins immediately', () => {
    given(prefunded())
      .when(cmd.accept('freelancer', 'p1'))
      .then([ev.accepted('freelancer', 'p1')]);
    const summary = summarize(fold(play(prefunded(), cmd.accept('freelancer', 'p1'))));
    expect(summary.status).toBe('in-progress');
    expect(summary.workMayBegin).toBe(true);
    expect(summary.milestones.map((m) => [m.milestoneId, m.status, m.held])).toEqual([
      ['m1', 'funded', 7500],
      ['m2', 'funded', 7500],
      ['m3', 'unfunded', 0],
      ['m4', 'unfunded', 0],
      ['m5', 'unfunded', 0],
    ]);
    expect(summary.totals).toEqual({
      contract: 40000,
      funded: 15000,
      held: 15000,
      released: 0,
      refunded: 0,
      fees: 0,
    });
  });

  it('R8: a declined proposal refunds its prefunds to their sources', () => {
    // #region r8-declined
    given(prefunded())
      .when(cmd.decline('freelancer', 'p1', 'Budget too low'))
      .then([
        ev.declined('freelancer', 'p1', 'Budget too low'),
        ev.refunded('m1', 'f1', 7500, VISA, 'terms-declined'),
        ev.refunded('m2', 'f2', 7500, PAYPAL, 'terms-declined'),
      ]);
    // #endregion r8-declined
    const summary = summarize(fold(play(prefunded(), cmd.decline('freelancer', 'p1'))));
    expect(summary.totals).toEqual({
      contract: 0,
      funded: 15000,
      held: 0,
      released: 0,
      refunded: 15000,
      fees: 0,
    });
  });

  it('R8: a withdrawn proposal refunds its prefunds to their sources', () => {
    given(prefunded())
      .when(cmd.withdraw('client', 'p1'))
      .then([
        ev.withdrawn('client', 'p1'),
        ev.refunded('m1', 'f1', 7500, VISA, 'terms-withdrawn'),
        ev.refunded('m2', 'f2', 7500, PAYPAL, 'terms-withdrawn'),
      ]);
  });

  it('R8: a counter-proposal supersedes the pending proposal and refunds its prefunds', () => {
    // The freelancer "makes any changes": even the milestones it carries unchanged get their money back.
    const counter = changed(LOGO_MILESTONES, 'm5', { amount: 12500 });
    given(prefunded())
      .when(cmd.propose('freelancer', 'p2', counter))
      .then([
        ev.proposed('freelancer', 'p2', counter),
        ev.refunded('m1', 'f1', 7500, VISA, 'terms-superseded'),
        ev.refunded('m2', 'f2', 7500, PAYPAL, 'terms-superseded'),
      ]);
    const state = fold(play(prefunded(), cmd.propose('freelancer', 'p2', counter)));
    expect(state.escrow.totals.held).toBe(0);
    // The counter's milestones may be prefunded afresh.
    given(play(prefunded(), cmd.propose('freelancer', 'p2', counter)))
      .when(cmd.fund('m1', 'f3'))
      .then([ev.funded('m1', 'f3', 7500)]);
  });

  it("R8: declining a change refunds only the prefunds of the milestones it adds, not the active terms' money", () => {
    const pending = play(
      activeAccess(),
      cmd.fund('schema', 'f1', VISA),
      cmd.propose('client', 'p2', [...ACCESS_MILESTONES, TRAINING]),
      cmd.fund('a5', 'f2', PAYPAL),
    );
    given(pending)
      .when(cmd.decline('freelancer', 'p2'))
      .then([
        ev.declined('freelancer', 'p2'),
        ev.refunded('a5', 'f2', 10000, PAYPAL, 'terms-declined'),
      ]);
    const summary = summarize(fold(play(pending, cmd.decline('freelancer', 'p2'))));
    expect(summary.totals.held).toBe(20000);
    expect(summary.milestones[0]).toMatchObject({
      milestoneId: 'schema',
      status: 'funded',
      held: 20000,
    });
  });

  it('R8: a prefunded change accepted unchanged holds its money for the milestone it adds', () => {
    const pending = play(
      activeAccess(),
      cmd.propose('client', 'p2', [...ACCESS_MILESTONES, TRAINING]),
      cmd.fund('a5', 'f1', PAYPAL),
    );
    given(pending)
      .when(cmd.accept('freelancer', 'p2'))
      .then([ev.accepted('freelancer', 'p2')]);
    const summary = summarize(fold(play(pending, cmd.accept('freelancer', 'p2'))));
    expect(summary.milestones.at(-1)).toMatchObject({
      milestoneId: 'a5',
      status: 'funded',
      held: 10000,
    });
    expect(summary.status).toBe('in-progress');
  });
});
