/*
 * R4 and R5 on the seed jobs: changing active terms; released milestones are frozen, ids are
 * unique.
 */
import { describe, expect, it } from 'vitest';
import { fold, summarize } from '../../src/index.js';
import {
  LOGO_MILESTONES,
  PAYPAL,
  activeLogo,
  awardedLogo,
  changed,
  cmd,
  ev,
  given,
  milestone,
  play,
  without,
} from './helpers.js';

describe('R4 changing active terms', () => {
  it('R4: once terms are active, either party may propose changed terms', () => {
    const raise = changed(LOGO_MILESTONES, 'm5', { amount: 12000 });
    given(activeLogo())
      .when(cmd.propose('freelancer', 'p2', raise))
      .then([ev.proposed('freelancer', 'p2', raise)]);
    given(activeLogo())
      .when(cmd.propose('client', 'p2', raise))
      .then([ev.proposed('client', 'p2', raise)]);
  });

  it('R4: a change may add and delete milestones, reduce or raise an amount, move a due date and edit title and description', () => {
    const next = [
      milestone(LOGO_MILESTONES, 'm1', { title: 'Start fee', description: 'Paid on award' }),
      milestone(LOGO_MILESTONES, 'm2', { amount: 5000 }),
      milestone(LOGO_MILESTONES, 'm3', { amount: 9000 }),
      milestone(LOGO_MILESTONES, 'm5', { dueDate: '2014-11-28' }),
      {
        milestoneId: 'm6',
        title: 'Business card layout',
        description: 'Front and back',
        dueDate: '2014-11-30',
        amount: 5000,
      },
    ];
    const proposed = play(activeLogo(), cmd.propose('client', 'p2', next));
    given(proposed)
      .when(cmd.accept('freelancer', 'p2'))
      .then([ev.accepted('freelancer', 'p2')]);
    const summary = summarize(fold(play(proposed, cmd.accept('freelancer', 'p2'))));
    expect(summary.milestones.map((m) => [m.milestoneId, m.title, m.dueDate, m.amount])).toEqual([
      ['m1', 'Start fee', '2014-11-03', 7500],
      ['m2', '6 concepts', '2014-11-10', 5000],
      ['m3', '1st Revision of chosen concept', '2014-11-15', 9000],
      ['m5', 'Final: Delivery of final print-ready files', '2014-11-28', 10000],
      ['m6', 'Business card layout', '2014-11-30', 5000],
    ]);
    expect(summary.totals.contract).toBe(36500);
    expect(
      fold(play(proposed, cmd.accept('freelancer', 'p2'))).terms.active?.milestones[0]?.description,
    ).toBe('Paid on award');
  });

  it('R4: while a change is pending, the active terms stay in force', () => {
    const proposed = play(
      activeLogo(),
      cmd.propose('client', 'p2', without(LOGO_MILESTONES, 'm4')),
    );
    const summary = summarize(fold(proposed));
    expect(summary.milestones.map((m) => m.milestoneId)).toEqual(['m1', 'm2', 'm3', 'm4', 'm5']);
    expect(summary.pendingProposal?.milestones.map((m) => m.milestoneId)).toEqual([
      'm1',
      'm2',
      'm3',
      'm5',
    ]);
  });
});

describe('R5 released milestones are frozen; ids are unique', () => {
  const released = (): ReturnType<typeof play> =>
    play(activeLogo(), cmd.fund('m1', 'f1'), cmd.release('m1'));

  it('R5: a proposal that changes a released milestone is MILESTONE_RELEASED', () => {
    for (const change of [
      { amount: 5000 },
      { title: 'Deposit' },
      { description: 'x' },
      { dueDate: '2014-11-04' },
    ]) {
      given(released())
        .when(cmd.propose('freelancer', 'p2', changed(LOGO_MILESTONES, 'm1', change)))
        .thenFails('MILESTONE_RELEASED', { rule: 'R5', milestoneId: 'm1' });
    }
  });

  it('R5: a proposal that deletes a released milestone is MILESTONE_RELEASED', () => {
    given(released())
      .when(cmd.propose('client', 'p2', without(LOGO_MILESTONES, 'm1')))
      .thenFails('MILESTONE_RELEASED', { rule: 'R5', milestoneId: 'm1' });
  });

  it('R5: a released milestone may be carried unchanged in any position; unreleased ones may change', () => {
    const reordered = [...changed(LOGO_MILESTONES, 'm2', { amount: 8000 })].reverse();
    given(released())
      .when(cmd.propose('client', 'p2', reordered))
      .then([ev.proposed('client', 'p2', reordered)]);
    const accepted = play(
      released(),
      cmd.propose('client', 'p2', reordered),
      cmd.accept('freelancer', 'p2'),
    );
    expect(summarize(fold(accepted)).milestones.map((m) => [m.milestoneId, m.status])).toEqual([
      ['m5', 'unfunded'],
      ['m4', 'unfunded'],
      ['m3', 'unfunded'],
      ['m2', 'unfunded'],
      ['m1', 'released'],
    ]);
  });

  it('R5: a proposal made stale by a release while it was pending cannot be accepted (MILESTONE_RELEASED)', () => {
    // The freelancer proposes to raise the start fee and to add a milestone, which the client prefunds;
    // meanwhile the client releases the start fee as it stands.
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
    given(stale)
      .when(cmd.accept('client', 'p2'))
      .thenFails('MILESTONE_RELEASED', { rule: 'R5', milestoneId: 'm1' });
  });

  it('R5: a stale proposal can still be declined or withdrawn, refunding its prefunds', () => {
    const stale = play(
      activeLogo(),
      cmd.fund('m1', 'f1'),
      cmd.propose('freelancer', 'p2', [
        ...without(LOGO_MILESTONES, 'm1'),
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
    given(stale)
      .when(cmd.decline('client', 'p2', 'm1 is paid'))
      .then([
        ev.declined('client', 'p2', 'm1 is paid'),
        ev.refunded('m6', 'f2', 5000, PAYPAL, 'terms-declined'),
      ]);
    given(stale)
      .when(cmd.withdraw('freelancer', 'p2'))
      .then([
        ev.withdrawn('freelancer', 'p2'),
        ev.refunded('m6', 'f2', 5000, PAYPAL, 'terms-withdrawn'),
      ]);
  });

  it('R5: a proposal id is used once in a job (DUPLICATE_ID)', () => {
    given(activeLogo())
      .when(cmd.propose('client', 'p1', LOGO_MILESTONES))
      .thenFails('DUPLICATE_ID', { rule: 'R5', proposalId: 'p1' });
    // Also the id of a declined proposal.
    const declined = play(
      awardedLogo(),
      cmd.propose('client', 'p1', LOGO_MILESTONES),
      cmd.decline('freelancer', 'p1'),
    );
    given(declined)
      .when(cmd.propose('client', 'p1', LOGO_MILESTONES))
      .thenFails('DUPLICATE_ID', { proposalId: 'p1' });
  });

  it('R5: milestone ids are unique within a proposal (DUPLICATE_ID)', () => {
    const twice = [
      ...LOGO_MILESTONES,
      milestone(LOGO_MILESTONES, 'm3', { title: 'Another revision' }),
    ];
    given(awardedLogo())
      .when(cmd.propose('client', 'p1', twice))
      .thenFails('DUPLICATE_ID', { rule: 'R5', milestoneId: 'm3' });
  });

  it('R5: a funding id is used once in a job (DUPLICATE_ID)', () => {
    const funded = play(activeLogo(), cmd.fund('m1', 'f1'));
    given(funded)
      .when(cmd.fund('m2', 'f1'))
      .thenFails('DUPLICATE_ID', { rule: 'R5', fundingId: 'f1' });
    // Even once that funding's money went back to its source.
    const refunded = play(funded, cmd.refund('m1'));
    given(refunded).when(cmd.fund('m1', 'f1')).thenFails('DUPLICATE_ID', { fundingId: 'f1' });
    given(refunded)
      .when(cmd.fund('m1', 'f2'))
      .then([ev.funded('m1', 'f2', 7500)]);
  });

  it('R5: the id of a milestone deleted from the active terms is never reused (DUPLICATE_ID)', () => {
    const deleted = play(
      activeLogo(),
      cmd.propose('client', 'p2', without(LOGO_MILESTONES, 'm4')),
      cmd.accept('freelancer', 'p2'),
    );
    given(deleted)
      .when(
        cmd.propose('client', 'p3', [
          ...without(LOGO_MILESTONES, 'm4'),
          milestone(LOGO_MILESTONES, 'm4', { title: 'A new milestone' }),
        ]),
      )
      .thenFails('DUPLICATE_ID', { rule: 'R5', milestoneId: 'm4' });
  });

  it('R5: the id of a milestone that was only ever proposed may be used again', () => {
    const extra = {
      milestoneId: 'm6',
      title: 'Business card layout',
      description: '',
      dueDate: '2014-11-30',
      amount: 5000,
    };
    const declined = play(
      activeLogo(),
      cmd.propose('client', 'p2', [...LOGO_MILESTONES, extra]),
      cmd.decline('freelancer', 'p2'),
    );
    const again = [...LOGO_MILESTONES, { ...extra, title: 'Letterhead' }];
    given(declined)
      .when(cmd.propose('client', 'p3', again))
      .then([ev.proposed('client', 'p3', again)]);
  });
});
