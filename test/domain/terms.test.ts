import { describe, expect, it } from 'vitest';
import { fold, summarize } from '../../src/index.js';
import {
  ACCESS_MILESTONES,
  AT,
  CLIENT,
  LOGO_MILESTONES,
  activeAccess,
  activeLogo,
  awardedAccess,
  awardedLogo,
  changed,
  cmd,
  ev,
  given,
  milestone,
  play,
  without,
} from './helpers.js';

describe('R1 milestones and terms', () => {
  it('R1: terms are an ordered list of milestones and the contract total is their sum', () => {
    const logo = summarize(fold(activeLogo()));
    expect(logo.milestones.map((m) => m.milestoneId)).toEqual(['m1', 'm2', 'm3', 'm4', 'm5']);
    expect(logo.totals.contract).toBe(40000);
    const access = summarize(fold(activeAccess()));
    expect(access.milestones.map((m) => [m.title, m.dueDate, m.amount])).toEqual([
      ['Initial schema design', '2014-11-10', 20000],
      ['Implementation', '2014-11-15', 20000],
      ['QA', '2014-11-24', 20000],
      ['Final: Release/Final Product', '2014-11-30', 20000],
    ]);
    expect(access.totals.contract).toBe(80000);
  });

  it('R1: a job may have a single milestone, the final result', () => {
    const final = [milestone(LOGO_MILESTONES, 'm5', { amount: 40000 })];
    given(awardedLogo())
      .when(cmd.propose('client', 'p1', final))
      .then([ev.proposed('client', 'p1', final)]);
    const history = play(
      awardedLogo(),
      cmd.propose('client', 'p1', final),
      cmd.accept('freelancer', 'p1'),
    );
    expect(summarize(fold(history)).totals.contract).toBe(40000);
  });

  it('R1: a milestone description defaults to ""', () => {
    const data = {
      proposalId: 'p1',
      milestones: [
        { milestoneId: 'm1', title: 'Start fee deposit', dueDate: '2014-11-03', amount: 7500 },
      ],
    };
    given(awardedLogo())
      .when({ type: 'ProposeTerms', actor: CLIENT, at: AT, data })
      .then([ev.proposed('client', 'p1', [milestone(LOGO_MILESTONES, 'm1', { description: '' })])]);
  });

  it('R1: terms have at least one milestone', () => {
    given(awardedLogo())
      .when(cmd.propose('client', 'p1', []))
      .thenFails('INVALID_INPUT', { path: 'data.milestones' });
  });

  it('R1: a milestone amount is a positive integer', () => {
    given(awardedLogo())
      .when(cmd.propose('client', 'p1', changed(LOGO_MILESTONES, 'm2', { amount: 0 })))
      .thenFails('INVALID_INPUT', { path: 'data.milestones.1.amount' });
  });
});

describe('R2 terms become active only when both parties accept them', () => {
  it('R2: proposed terms are not active until the other party accepts them', () => {
    const proposed = play(awardedLogo(), cmd.propose('client', 'p1', LOGO_MILESTONES));
    const before = summarize(fold(proposed));
    expect(before.status).toBe('awarded');
    expect(before.milestones).toEqual([]);
    expect(before.pendingProposal?.proposalId).toBe('p1');

    given(proposed)
      .when(cmd.accept('freelancer', 'p1'))
      .then([ev.accepted('freelancer', 'p1')]);
    const after = summarize(fold(play(proposed, cmd.accept('freelancer', 'p1'))));
    expect(after.status).toBe('awaiting-funding');
    expect(after.milestones.map((m) => m.milestoneId)).toEqual(['m1', 'm2', 'm3', 'm4', 'm5']);
    expect(after.pendingProposal).toBeNull();
  });

  it('R2: nobody accepts their own proposal (FORBIDDEN)', () => {
    const proposed = play(awardedLogo(), cmd.propose('client', 'p1', LOGO_MILESTONES));
    given(proposed)
      .when(cmd.accept('client', 'p1'))
      .thenFails('FORBIDDEN', { rule: 'R2', proposalId: 'p1' });
  });

  it('R2: the other party may decline a proposal, which leaves no terms active', () => {
    const proposed = play(awardedLogo(), cmd.propose('client', 'p1', LOGO_MILESTONES));
    given(proposed)
      .when(cmd.decline('freelancer', 'p1', 'Budget too low'))
      .then([ev.declined('freelancer', 'p1', 'Budget too low')]);
    const state = fold(play(proposed, cmd.decline('freelancer', 'p1')));
    expect(state.terms.pending).toBeNull();
    expect(state.terms.active).toBeNull();
  });

  it('R2: the proposer cannot decline its own proposal (FORBIDDEN)', () => {
    const proposed = play(awardedLogo(), cmd.propose('client', 'p1', LOGO_MILESTONES));
    given(proposed).when(cmd.decline('client', 'p1')).thenFails('FORBIDDEN', { rule: 'R2' });
  });

  it('R2: answering when no proposal is pending is NO_PENDING_PROPOSAL', () => {
    given(awardedLogo())
      .when(cmd.accept('freelancer', 'p1'))
      .thenFails('NO_PENDING_PROPOSAL', { rule: 'R2', proposalId: 'p1' });
    given(activeLogo())
      .when(cmd.accept('freelancer', 'p1'))
      .thenFails('NO_PENDING_PROPOSAL', { proposalId: 'p1' });
    given(activeLogo())
      .when(cmd.decline('freelancer', 'p1'))
      .thenFails('NO_PENDING_PROPOSAL', { proposalId: 'p1' });
    given(activeLogo())
      .when(cmd.withdraw('client', 'p1'))
      .thenFails('NO_PENDING_PROPOSAL', { proposalId: 'p1' });
  });

  it('R2: answering another proposal than the pending one is PROPOSAL_MISMATCH', () => {
    const proposed = play(awardedLogo(), cmd.propose('client', 'p1', LOGO_MILESTONES));
    const details = { rule: 'R2', proposalId: 'p9', pendingProposalId: 'p1' };
    given(proposed).when(cmd.accept('freelancer', 'p9')).thenFails('PROPOSAL_MISMATCH', details);
    given(proposed).when(cmd.decline('freelancer', 'p9')).thenFails('PROPOSAL_MISMATCH', details);
    given(proposed).when(cmd.withdraw('client', 'p9')).thenFails('PROPOSAL_MISMATCH', details);
  });
});

describe('R3 the negotiation', () => {
  it('R3: after the award, the client sends the first terms', () => {
    given(awardedAccess())
      .when(cmd.propose('client', 'p1', ACCESS_MILESTONES))
      .then([ev.proposed('client', 'p1', ACCESS_MILESTONES)]);
  });

  it('R3: a freelancer cannot open the negotiation (FORBIDDEN)', () => {
    given(awardedLogo())
      .when(cmd.propose('freelancer', 'p1', LOGO_MILESTONES))
      .thenFails('FORBIDDEN', { rule: 'R3', role: 'freelancer' });
    // Not even after the client's first proposal was withdrawn or declined: no terms are active yet.
    const withdrawn = play(
      awardedLogo(),
      cmd.propose('client', 'p1', LOGO_MILESTONES),
      cmd.withdraw('client', 'p1'),
    );
    given(withdrawn)
      .when(cmd.propose('freelancer', 'p2', LOGO_MILESTONES))
      .thenFails('FORBIDDEN', { rule: 'R3' });
  });

  it("R3: a counter-proposal supersedes the other party's pending proposal", () => {
    const proposed = play(awardedAccess(), cmd.propose('client', 'p1', ACCESS_MILESTONES));
    const counter = changed(ACCESS_MILESTONES, 'qa', { amount: 25000 });
    given(proposed)
      .when(cmd.propose('freelancer', 'p2', counter))
      .then([ev.proposed('freelancer', 'p2', counter)]);

    const countered = play(proposed, cmd.propose('freelancer', 'p2', counter));
    const state = fold(countered);
    expect(state.terms.pending?.proposalId).toBe('p2');
    expect(state.terms.pending?.by).toBe('freelancer');
    // The superseded proposal can no longer be answered; the counter can.
    given(countered)
      .when(cmd.accept('freelancer', 'p1'))
      .thenFails('PROPOSAL_MISMATCH', { pendingProposalId: 'p2' });
    given(countered)
      .when(cmd.accept('client', 'p2'))
      .then([ev.accepted('client', 'p2')]);
    // And the client may counter the counter.
    given(countered)
      .when(cmd.propose('client', 'p3', ACCESS_MILESTONES))
      .then([ev.proposed('client', 'p3', ACCESS_MILESTONES)]);
  });

  it('R3: a party may not stack a second proposal on its own pending one (PROPOSAL_PENDING)', () => {
    const proposed = play(awardedLogo(), cmd.propose('client', 'p1', LOGO_MILESTONES));
    given(proposed)
      .when(cmd.propose('client', 'p2', without(LOGO_MILESTONES, 'm4')))
      .thenFails('PROPOSAL_PENDING', { rule: 'R3', pendingProposalId: 'p1' });
    const change = play(
      activeLogo(),
      cmd.propose('freelancer', 'p2', changed(LOGO_MILESTONES, 'm5', { amount: 12000 })),
    );
    given(change)
      .when(cmd.propose('freelancer', 'p3', LOGO_MILESTONES))
      .thenFails('PROPOSAL_PENDING', { pendingProposalId: 'p2' });
  });

  it('R3: the proposer may withdraw its pending proposal and propose again', () => {
    const proposed = play(awardedLogo(), cmd.propose('client', 'p1', LOGO_MILESTONES));
    given(proposed)
      .when(cmd.withdraw('client', 'p1'))
      .then([ev.withdrawn('client', 'p1')]);
    const withdrawn = play(proposed, cmd.withdraw('client', 'p1'));
    expect(fold(withdrawn).terms.pending).toBeNull();
    given(withdrawn)
      .when(cmd.propose('client', 'p2', LOGO_MILESTONES))
      .then([ev.proposed('client', 'p2', LOGO_MILESTONES)]);
  });

  it('R3: only the proposer withdraws a proposal (FORBIDDEN)', () => {
    const proposed = play(awardedLogo(), cmd.propose('client', 'p1', LOGO_MILESTONES));
    given(proposed).when(cmd.withdraw('freelancer', 'p1')).thenFails('FORBIDDEN', { rule: 'R3' });
  });
});
