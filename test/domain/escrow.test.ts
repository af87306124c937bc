import { tableGet } from '../../src/domain/shared/table.js';
import { describe, expect, it } from 'vitest';
import { fold, summarize } from '../../src/index.js';
import { workMayBegin } from '../../src/projections/index.js';
import {
  ACCESS_MILESTONES,
  AMEX,
  LOGO_MILESTONES,
  PAYPAL,
  VISA,
  activeAccess,
  activeLogo,
  awardedAccess,
  awardedLogo,
  changed,
  cmd,
  ev,
  given,
  play,
  without,
} from './helpers.js';

const TRAINING = {
  milestoneId: 'a5',
  title: 'Training',
  description: 'Two sessions for the staff',
  dueDate: '2014-12-05',
  amount: 10000,
};

/** The logo job where m2 holds two fundings from two sources: 7500 by card, then 2500 by PayPal after a raise to 10000. */
function twoFundings(): ReturnType<typeof play> {
  return play(
    activeLogo(),
    cmd.fund('m2', 'f1', VISA),
    cmd.propose('client', 'p2', changed(LOGO_MILESTONES, 'm2', { amount: 10000 })),
    cmd.accept('freelancer', 'p2'),
    cmd.fund('m2', 'f2', PAYPAL),
  );
}

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

describe('R9 refunds of accepted changes', () => {
  it('R9: accepted terms that delete a funded milestone refund what it holds (milestone-deleted)', () => {
    const pending = play(
      activeLogo(),
      cmd.fund('m4', 'f1', VISA),
      cmd.fund('m5', 'f2', PAYPAL),
      cmd.propose('client', 'p2', without(LOGO_MILESTONES, 'm4', 'm5')),
    );
    given(pending)
      .when(cmd.accept('freelancer', 'p2'))
      .then([
        ev.accepted('freelancer', 'p2'),
        ev.refunded('m4', 'f1', 7500, VISA, 'milestone-deleted'),
        ev.refunded('m5', 'f2', 10000, PAYPAL, 'milestone-deleted'),
      ]);
  });

  it('R9: a raise makes a funded milestone partially-funded, and funding deposits only the remainder', () => {
    const raised = play(
      activeLogo(),
      cmd.fund('m2', 'f1', VISA),
      cmd.propose('client', 'p2', changed(LOGO_MILESTONES, 'm2', { amount: 10000 })),
      cmd.accept('freelancer', 'p2'),
    );
    expect(summarize(fold(raised)).milestones[1]).toMatchObject({
      milestoneId: 'm2',
      status: 'partially-funded',
      amount: 10000,
      held: 7500,
    });
    given(raised)
      .when(cmd.fund('m2', 'f2', PAYPAL, { amount: 2500 }))
      .then([ev.funded('m2', 'f2', 2500, PAYPAL)]);
    expect(summarize(fold(twoFundings())).milestones[1]).toMatchObject({
      status: 'funded',
      held: 10000,
    });
  });

  it('R9: accepted terms that reduce a milestone below what it holds refund the excess, newest funding first, each part to its own source (milestone-reduced)', () => {
    const pending = play(
      twoFundings(),
      cmd.propose('freelancer', 'p3', changed(LOGO_MILESTONES, 'm2', { amount: 4000 })),
    );
    given(pending)
      .when(cmd.accept('client', 'p3'))
      .then([
        ev.accepted('client', 'p3'),
        ev.refunded('m2', 'f2', 2500, PAYPAL, 'milestone-reduced'),
        ev.refunded('m2', 'f1', 3500, VISA, 'milestone-reduced'),
      ]);
    const state = fold(play(pending, cmd.accept('client', 'p3')));
    expect(summarize(state).milestones[1]).toMatchObject({
      milestoneId: 'm2',
      status: 'funded',
      amount: 4000,
      held: 4000,
    });
    expect(
      tableGet(state.escrow.milestones, 'm2')?.fundings.map((f) => [
        f.fundingId,
        f.held,
        f.refunded,
      ]),
    ).toEqual([
      ['f1', 4000, 3500],
      ['f2', 0, 2500],
    ]);
  });

  it('R9: deleting a milestone funded twice refunds every funding, newest first', () => {
    const pending = play(
      twoFundings(),
      cmd.propose('client', 'p3', without(LOGO_MILESTONES, 'm2')),
    );
    given(pending)
      .when(cmd.accept('freelancer', 'p3'))
      .then([
        ev.accepted('freelancer', 'p3'),
        ev.refunded('m2', 'f2', 2500, PAYPAL, 'milestone-deleted'),
        ev.refunded('m2', 'f1', 7500, VISA, 'milestone-deleted'),
      ]);
  });

  it('R9: a reduction that stays at or above what is held refunds nothing', () => {
    const pending = play(
      twoFundings(),
      cmd.propose(
        'client',
        'p3',
        changed(changed(LOGO_MILESTONES, 'm2', { amount: 10000 }), 'm3', { amount: 5000 }),
      ),
    );
    given(pending)
      .when(cmd.accept('freelancer', 'p3'))
      .then([ev.accepted('freelancer', 'p3')]);
  });
});

describe('R10 release', () => {
  it('R10: the client releases a fully funded milestone to the freelancer', () => {
    const funded = play(activeLogo(), cmd.fund('m1', 'f1'));
    given(funded)
      .when(cmd.release('m1'))
      .then([ev.released('m1', 7500)]);
    const summary = summarize(fold(play(funded, cmd.release('m1'))));
    expect(summary.milestones[0]).toMatchObject({
      milestoneId: 'm1',
      status: 'released',
      held: 0,
      released: 7500,
    });
    expect(summary.totals).toEqual({
      contract: 40000,
      funded: 7500,
      held: 0,
      released: 7500,
      refunded: 0,
      fees: 0,
    });
  });

  it('R10: a release pays the whole milestone, every funding of it', () => {
    given(twoFundings())
      .when(cmd.release('m2'))
      .then([ev.released('m2', 10000)]);
    const state = fold(play(twoFundings(), cmd.release('m2')));
    expect(
      tableGet(state.escrow.milestones, 'm2')?.fundings.map((f) => [
        f.fundingId,
        f.held,
        f.released,
      ]),
    ).toEqual([
      ['f1', 0, 7500],
      ['f2', 0, 2500],
    ]);
  });

  it('R10: releasing an unfunded milestone is NOT_FULLY_FUNDED', () => {
    // #region r10-unfunded
    given(activeLogo())
      .when(cmd.release('m1'))
      .thenFails('NOT_FULLY_FUNDED', { rule: 'R10', milestoneId: 'm1', held: 0, amount: 7500 });
    // #endregion r10-unfunded
  });

  it('R10: releasing a partially-funded milestone is NOT_FULLY_FUNDED', () => {
    const raised = play(
      activeLogo(),
      cmd.fund('m2', 'f1', VISA),
      cmd.propose('client', 'p2', changed(LOGO_MILESTONES, 'm2', { amount: 10000 })),
      cmd.accept('freelancer', 'p2'),
    );
    given(raised)
      .when(cmd.release('m2'))
      .thenFails('NOT_FULLY_FUNDED', { rule: 'R10', milestoneId: 'm2', held: 7500, amount: 10000 });
  });

  it('R10: a released milestone is never released again (ALREADY_RELEASED)', () => {
    given(play(activeLogo(), cmd.fund('m1', 'f1'), cmd.release('m1')))
      .when(cmd.release('m1'))
      .thenFails('ALREADY_RELEASED', { rule: 'R10', milestoneId: 'm1' });
  });

  it('R10: only the client releases (FORBIDDEN)', () => {
    given(play(activeLogo(), cmd.fund('m1', 'f1')))
      .when(cmd.release('m1', 'freelancer'))
      .thenFails('FORBIDDEN', { rule: 'R10', role: 'freelancer' });
  });

  it('R10: only active milestones are released, not prefunded ones (UNKNOWN_MILESTONE)', () => {
    const prefunded = play(
      awardedLogo(),
      cmd.propose('client', 'p1', LOGO_MILESTONES),
      cmd.fund('m1', 'f1'),
    );
    given(prefunded).when(cmd.release('m1')).thenFails('UNKNOWN_MILESTONE', { milestoneId: 'm1' });
  });
});

describe('R11 refund by the freelancer', () => {
  it('R11: the freelancer refunds what a milestone holds back to its sources, newest funding first', () => {
    given(twoFundings())
      .when(cmd.refund('m2'))
      .then([
        ev.refunded('m2', 'f2', 2500, PAYPAL, 'refunded-by-freelancer'),
        ev.refunded('m2', 'f1', 7500, VISA, 'refunded-by-freelancer'),
      ]);
    const summary = summarize(fold(play(twoFundings(), cmd.refund('m2'))));
    expect(summary.milestones[1]).toMatchObject({ milestoneId: 'm2', status: 'unfunded', held: 0 });
    expect(summary.totals).toEqual({
      contract: 42500,
      funded: 10000,
      held: 0,
      released: 0,
      refunded: 10000,
      fees: 0,
    });
  });

  it('R11: a refunded milestone may be funded again', () => {
    given(play(activeAccess(), cmd.fund('schema', 'f1'), cmd.refund('schema')))
      .when(cmd.fund('schema', 'f2', AMEX))
      .then([ev.funded('schema', 'f2', 20000, AMEX)]);
  });

  it('R11: only the freelancer refunds (FORBIDDEN)', () => {
    given(play(activeLogo(), cmd.fund('m1', 'f1')))
      .when(cmd.refund('m1', 'client'))
      .thenFails('FORBIDDEN', { rule: 'R11', role: 'client' });
  });

  it('R11: a milestone that holds nothing has NOTHING_TO_REFUND', () => {
    given(activeLogo())
      .when(cmd.refund('m1'))
      .thenFails('NOTHING_TO_REFUND', { rule: 'R11', milestoneId: 'm1' });
  });

  it('R11: a released milestone cannot be refunded (ALREADY_RELEASED)', () => {
    given(play(activeLogo(), cmd.fund('m1', 'f1'), cmd.release('m1')))
      .when(cmd.refund('m1'))
      .thenFails('ALREADY_RELEASED', { rule: 'R10' });
  });

  it('R11: only milestones of the active terms are refunded (UNKNOWN_MILESTONE)', () => {
    const prefunded = play(
      awardedAccess(),
      cmd.propose('client', 'p1', ACCESS_MILESTONES),
      cmd.fund('schema', 'f1'),
    );
    given(prefunded)
      .when(cmd.refund('schema'))
      .thenFails('UNKNOWN_MILESTONE', { milestoneId: 'schema' });
  });
});

describe('R12 work may begin', () => {
  it('R12: workMayBegin once an active milestone holds money, not on prefunds of pending terms', () => {
    const prefunded = play(
      awardedLogo(),
      cmd.propose('client', 'p1', LOGO_MILESTONES),
      cmd.fund('m1', 'f1'),
    );
    expect(workMayBegin(fold(prefunded))).toBe(false);
    expect(workMayBegin(fold(activeLogo()))).toBe(false);
    expect(workMayBegin(fold(play(activeLogo(), cmd.fund('m3', 'f1'))))).toBe(true);
    expect(workMayBegin(fold(play(activeLogo(), cmd.fund('m3', 'f1'), cmd.refund('m3'))))).toBe(
      false,
    );
    expect(workMayBegin(fold(play(activeLogo(), cmd.fund('m1', 'f1'), cmd.release('m1'))))).toBe(
      true,
    );
  });
});
