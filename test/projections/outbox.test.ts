import { describe, expect, it } from 'vitest';
import { outbox, type Notification } from '../../src/projections/index.js';
import { accessJob, CLIENT, FREELANCER, logoJob } from './seed.js';

const brief = (n: Notification) => [n.position, n.recipient.role, n.kind];

describe('notifications outbox: the seed logo job', () => {
  const box = outbox(logoJob().events);

  it('tells the freelancer of terms sent and of every funding, the client of acceptance and submitted work', () => {
    expect(box.notifications.map(brief)).toEqual([
      [2, 'freelancer', 'terms-proposed'],
      [3, 'freelancer', 'milestone-funded'],
      [4, 'client', 'terms-accepted'],
      [5, 'client', 'work-submitted'],
      [7, 'freelancer', 'milestone-funded'],
      [8, 'client', 'work-submitted'],
      [10, 'client', 'work-submitted'],
      [12, 'freelancer', 'milestone-funded'],
      [13, 'client', 'terms-proposed'],
      [14, 'freelancer', 'terms-accepted'],
      [15, 'freelancer', 'milestone-funded'],
    ]);
    expect(box).toMatchObject({ jobId: 'logo-2014', version: 16 });
  });

  it('a prefund is a funding like any other, flagged with the proposal it was made for', () => {
    expect(box.notifications[1]).toEqual({
      id: 'logo-2014:3:freelancer:milestone-funded',
      kind: 'milestone-funded',
      jobId: 'logo-2014',
      position: 3,
      at: '2014-11-03T09:02:00Z',
      recipient: { role: 'freelancer', partyId: FREELANCER },
      data: {
        milestoneId: 'm1',
        title: 'Start fee deposit',
        fundingId: 'f1',
        amount: 7500,
        currency: 'USD',
        prefund: true,
        proposalId: 'p1',
        comment: 'Start fee',
      },
    });
    expect(box.notifications[4]?.data).toEqual({
      milestoneId: 'm2',
      title: '6 concepts',
      fundingId: 'f2',
      amount: 7500,
      currency: 'USD',
      prefund: false,
      proposalId: null,
    });
  });

  it('the freelancer proposing changed terms notifies the client, naming the terms it changes', () => {
    expect(box.notifications[8]).toMatchObject({
      id: 'logo-2014:13:client:terms-proposed',
      recipient: { role: 'client', partyId: CLIENT },
      data: {
        proposalId: 'p2',
        by: 'freelancer',
        milestoneCount: 5,
        total: 41500,
        currency: 'USD',
        supersedes: null,
        changes: 'p1',
      },
    });
  });

  it('submitted work carries its note', () => {
    expect(box.notifications[5]?.data).toEqual({
      milestoneId: 'm2',
      title: '6 concepts',
      note: 'six concepts attached',
    });
  });

  it('ids are unique and the same on every rebuild', () => {
    const ids = box.notifications.map((n) => n.id);
    expect(new Set(ids).size).toBe(ids.length);
    expect(outbox(logoJob().events).notifications.map((n) => n.id)).toEqual(ids);
    expect(Object.isFrozen(box.notifications[0]?.data)).toBe(true);
  });
});

describe('notifications outbox: the seed Microsoft Access job', () => {
  const box = outbox(accessJob().events);

  it('tells the client of the counter-proposal, and the freelancer of the client declining it', () => {
    expect(box.notifications.map(brief)).toEqual([
      [2, 'freelancer', 'terms-proposed'],
      [3, 'freelancer', 'milestone-funded'],
      [4, 'client', 'terms-proposed'],
      [6, 'freelancer', 'terms-declined'],
      [7, 'freelancer', 'terms-proposed'],
      [8, 'freelancer', 'milestone-funded'],
      [9, 'client', 'terms-accepted'],
    ]);
    expect(box.notifications[2]?.data).toMatchObject({
      proposalId: 'a2',
      by: 'freelancer',
      supersedes: 'a1',
      changes: null,
    });
    expect(box.notifications[3]?.data).toEqual({
      proposalId: 'a2',
      by: 'client',
      reason: 'QA date is fixed',
    });
  });

  it('the freelancer declining and the proposer withdrawing notify the other party', () => {
    const play = accessJob();
    const changed = [
      { milestoneId: 'extra', title: 'Extra report', dueDate: '2014-12-05', amount: 5000 },
    ];
    play.client('ProposeTerms', { proposalId: 'a4', milestones: changed });
    play.freelancer('DeclineTerms', { proposalId: 'a4' });
    play.freelancer('ProposeTerms', { proposalId: 'a5', milestones: changed });
    play.freelancer('WithdrawTerms', { proposalId: 'a5' });
    const tail = outbox(play.events).notifications.slice(-4);
    expect(tail.map((n) => [n.recipient.role, n.kind, n.data])).toEqual([
      [
        'freelancer',
        'terms-proposed',
        {
          proposalId: 'a4',
          by: 'client',
          milestoneCount: 1,
          total: 5000,
          currency: 'USD',
          supersedes: null,
          changes: 'a3',
        },
      ],
      ['client', 'terms-declined', { proposalId: 'a4', by: 'freelancer' }],
      [
        'client',
        'terms-proposed',
        {
          proposalId: 'a5',
          by: 'freelancer',
          milestoneCount: 1,
          total: 5000,
          currency: 'USD',
          supersedes: null,
          changes: 'a3',
        },
      ],
      ['client', 'terms-withdrawn', { proposalId: 'a5', by: 'freelancer' }],
    ]);
  });

  it('releases, refunds, change requests and closing notify nobody', () => {
    const play = accessJob();
    const before = outbox(play.events).notifications.length;
    play.client('ReleaseFunds', { milestoneId: 'schema' });
    play.client('FundMilestone', { milestoneId: 'impl', fundingId: 'g3', source: 'card:x' });
    play.freelancer('RefundMilestone', { milestoneId: 'impl' });
    play.freelancer('SubmitWork', { milestoneId: 'qa' });
    play.client('RequestChanges', { milestoneId: 'qa' });
    const kinds = outbox(play.events)
      .notifications.slice(before)
      .map((n) => n.kind);
    expect(kinds).toEqual(['milestone-funded', 'work-submitted']);
  });
});
