/*
 * The closing statement lists the settlements (R21): which milestone, whose figure, how it ended,
 * what went back to which source, what the freelancer netted and the platform's fee (R22). On the
 * seed's Microsoft Access job, on a marketplace that takes Elance's 8.75 %.
 */
import { describe, expect, it } from 'vitest';
import {
  decide,
  feeOn,
  fold,
  type JobCommandInput,
  type JobEvent,
  type JobState,
} from '../../src/index.js';
import { closingStatement, ledger } from '../../src/projections/index.js';
import { logoJob } from './seed.js';

const CLIENT = 'acme';
const FREELANCER = 'ana';
const PLATFORM = 'elance';
const VISA = 'card:visa-4242';
const AMEX = 'card:amex-1005';
const ACTORS = { client: CLIENT, freelancer: FREELANCER, platform: PLATFORM } as const;

/** The Access job under an 8.75 % fee: every command of `script` decided in turn from the award. */
function accessJob(script: ReadonlyArray<[keyof typeof ACTORS, string, string, object]>) {
  let state: JobState = fold([]);
  const events: JobEvent[] = [];
  const run = ([who, type, day, data]: [keyof typeof ACTORS, string, string, object]) => {
    const command = { type, actor: ACTORS[who], at: `2014-11-${day}:00Z`, data } as JobCommandInput;
    const decided = decide(command, state);
    state = fold(decided, state);
    events.push(...decided);
  };
  const milestone = (milestoneId: string, amount: number) => ({
    milestoneId,
    title: milestoneId,
    dueDate: '2014-11-30',
    amount,
  });
  run([
    'client',
    'AwardJob',
    '03T09:00',
    {
      jobId: 'access',
      title: 'Microsoft Access database',
      clientId: CLIENT,
      freelancerId: FREELANCER,
      currency: 'USD',
      platformId: PLATFORM,
      policy: { serviceFeeBps: 875 },
    },
  ]);
  const terms = (qa: number) =>
    ['schema', 'impl', 'final'].map((id) => milestone(id, 20000)).concat(milestone('qa', qa));
  run(['client', 'ProposeTerms', '03T09:01', { proposalId: 'p1', milestones: terms(20000) }]);
  run(['freelancer', 'AcceptTerms', '03T09:02', { proposalId: 'p1' }]);
  for (const [id, fundingId] of [
    ['schema', 'f1'],
    ['impl', 'f2'],
    ['qa', 'f3'],
    ['final', 'f4'],
  ] as const)
    run(['client', 'FundMilestone', '03T10:00', { milestoneId: id, fundingId, source: VISA }]);
  // QA is raised to $300 and the rest comes from the Amex card: two fundings, two sources.
  run(['client', 'ProposeTerms', '04T09:00', { proposalId: 'p2', milestones: terms(30000) }]);
  run(['freelancer', 'AcceptTerms', '04T09:01', { proposalId: 'p2' }]);
  run([
    'client',
    'FundMilestone',
    '04T09:02',
    { milestoneId: 'qa', fundingId: 'f5', source: AMEX },
  ]);
  for (const step of script) run(step);
  return events;
}

describe('the closing statement lists the settlements (R21, R22)', () => {
  const events = accessJob([
    // QA: the freelancer offers $120 back; the client accepts.
    [
      'freelancer',
      'OpenDispute',
      '10T09:00',
      { disputeId: 'd-qa', milestoneId: 'qa', refund: 12000 },
    ],
    ['client', 'AcceptSettlement', '11T09:00', { disputeId: 'd-qa', refund: 12000 }],
    // Schema: the client claims it all back; the freelancer never answers; the client expires it.
    [
      'client',
      'OpenDispute',
      '11T10:00',
      { disputeId: 'd-schema', milestoneId: 'schema', refund: 20000 },
    ],
    ['client', 'ExpireDispute', '18T10:00', { disputeId: 'd-schema' }],
    // Implementation: escalated; the platform rules it all to the freelancer.
    [
      'client',
      'OpenDispute',
      '19T09:00',
      { disputeId: 'd-impl', milestoneId: 'impl', refund: 5000 },
    ],
    ['freelancer', 'EscalateDispute', '19T10:00', { disputeId: 'd-impl' }],
    ['platform', 'ResolveDispute', '20T09:00', { disputeId: 'd-impl', refund: 0 }],
    // Final: disputed and withdrawn: no settlement, the money stays held.
    [
      'client',
      'OpenDispute',
      '21T09:00',
      { disputeId: 'd-final', milestoneId: 'final', refund: 100 },
    ],
    ['client', 'WithdrawDispute', '21T10:00', { disputeId: 'd-final' }],
  ]);
  const statement = closingStatement(ledger(events));

  it('R21: each settlement: its milestone, how it ended, on whose figure, the refund part by part (newest funding first), the release, the fee, the net', () => {
    expect(statement.settlements).toEqual([
      {
        disputeId: 'd-qa',
        milestoneId: 'qa',
        outcome: 'agreed',
        offeredBy: 'freelancer',
        openedBy: 'freelancer',
        settledBy: 'client',
        at: '2014-11-11T09:00:00Z',
        position: 12,
        held: 30000,
        refund: 12000,
        refunds: [
          { fundingId: 'f5', source: AMEX, amount: 10000 },
          { fundingId: 'f3', source: VISA, amount: 2000 },
        ],
        release: 18000,
        fee: 1575,
        toFreelancer: 16425,
      },
      {
        disputeId: 'd-schema',
        milestoneId: 'schema',
        outcome: 'expired',
        offeredBy: 'client',
        openedBy: 'client',
        settledBy: 'client',
        at: '2014-11-18T10:00:00Z',
        position: 17,
        held: 20000,
        refund: 20000,
        refunds: [{ fundingId: 'f1', source: VISA, amount: 20000 }],
        release: 0,
        fee: 0,
        toFreelancer: 0,
      },
      {
        disputeId: 'd-impl',
        milestoneId: 'impl',
        outcome: 'ruled',
        offeredBy: 'platform',
        openedBy: 'client',
        settledBy: 'platform',
        at: '2014-11-20T09:00:00Z',
        position: 21,
        held: 20000,
        refund: 0,
        refunds: [],
        release: 20000,
        fee: 1750,
        toFreelancer: 18250,
      },
    ]);
  });

  it('R21: every cent of a settlement is somewhere: its refund parts add up to the refund, refund + release to what was held', () => {
    for (const s of statement.settlements) {
      expect(s.refunds.reduce((sum, part) => sum + part.amount, 0)).toBe(s.refund);
      expect(s.refund + s.release).toBe(s.held);
      expect(s.fee).toBe(feeOn(s.release, 875));
      expect(s.toFreelancer).toBe(s.release - s.fee);
    }
    const fees = statement.settlements.reduce((sum, s) => sum + s.fee, 0);
    expect(statement.totals).toMatchObject({ fees, released: 38000, refunded: 32000 });
  });

  it('R20: a withdrawn dispute settles nothing; the statement lists only settled disputes', () => {
    expect(statement.settlements.map((s) => s.disputeId)).not.toContain('d-final');
    expect(statement.fundings.find((f) => f.fundingId === 'f4')?.held).toBe(20000);
  });

  it('agrees with the settlement events it was read from, at their positions', () => {
    for (const s of statement.settlements)
      expect(events[s.position - 1]).toMatchObject({
        type: 'DisputeSettled',
        data: { disputeId: s.disputeId },
      });
    const settled = events.flatMap((e) => (e.type === 'DisputeSettled' ? [e.data] : []));
    expect(
      statement.settlements.map(({ disputeId, milestoneId, outcome, refund, release, at }) => ({
        disputeId,
        milestoneId,
        outcome,
        refund,
        release,
        at,
      })),
    ).toEqual(
      settled.map(({ disputeId, milestoneId, outcome, refund, release, at }) => ({
        disputeId,
        milestoneId,
        outcome,
        refund,
        release,
        at,
      })),
    );
  });

  it('a job without disputes lists none (the seed logo job)', () => {
    expect(closingStatement(ledger(logoJob().events)).settlements).toEqual([]);
  });
});
