/*
 * R9–R12 on the seed jobs: refunds of accepted changes, release, refund by the freelancer, and
 * whether work may begin.
 */
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

/**
 * The logo job where m2 holds two fundings from two sources: 7500 by card, then 2500 by PayPal
 * after a raise to 10000.
 */
function twoFundings(): ReturnType<typeof play> {
  return play(
    activeLogo(),
    cmd.fund('m2', 'f1', VISA),
    cmd.propose('client', 'p2', changed(LOGO_MILESTONES, 'm2', { amount: 10000 })),
    cmd.accept('freelancer', 'p2'),
    cmd.fund('m2', 'f2', PAYPAL),
  );
}

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
