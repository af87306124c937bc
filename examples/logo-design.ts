/**
 * The seed's logo-design job (spec §6), decided command by command.
 *
 *   npx tsx examples/logo-design.ts
 *
 * The client proposes five milestones and prefunds the start fee; the freelancer accepts them
 * unchanged, so the prefund is held and the job begins at once. Then milestones are funded,
 * worked on and released, and the job's milestone table and timeline are printed.
 */
import { decide, fold, initialState, summarize } from 'milestone-escrow';
import { renderMilestoneTable, timeline } from 'milestone-escrow/projections';
import type { JobCommandInput, JobEvent } from 'milestone-escrow';

let job = initialState();
const history: JobEvent[] = [];

/** Decides a command against the job so far and folds its events in (or throws a DomainError). */
function play(command: JobCommandInput): void {
  const events = decide(command, job);
  job = fold(events, job);
  for (const event of events) history.push(event); // push(...events) overflows on a big decision
}

play({
  type: 'AwardJob',
  actor: 'clara',
  at: '2014-11-03T09:00:00Z',
  data: {
    jobId: 'logo-2014',
    title: 'Logo design',
    clientId: 'clara',
    freelancerId: 'felix',
    currency: 'USD',
  },
});

// The client sends the seed's terms. Amounts are integers in cents: $75 is 7500.
play({
  type: 'ProposeTerms',
  actor: 'clara',
  at: '2014-11-03T09:05:00Z',
  data: {
    proposalId: 'p1',
    milestones: [
      { milestoneId: 'm1', title: 'Start fee deposit', dueDate: '2014-11-03', amount: 7500 },
      { milestoneId: 'm2', title: '6 concepts', dueDate: '2014-11-10', amount: 7500 },
      {
        milestoneId: 'm3',
        title: '1st Revision of chosen concept',
        dueDate: '2014-11-15',
        amount: 7500,
      },
      {
        milestoneId: 'm4',
        title: '2nd Revision of chosen concept',
        dueDate: '2014-11-20',
        amount: 7500,
      },
      {
        milestoneId: 'm5',
        title: 'Final: Delivery of final print-ready files',
        dueDate: '2014-11-24',
        amount: 10000,
      },
    ],
  },
});

// Prefunding: the start fee goes into escrow before the freelancer has answered.
play({
  type: 'FundMilestone',
  actor: 'clara',
  at: '2014-11-03T09:10:00Z',
  data: { milestoneId: 'm1', fundingId: 'f1', source: 'card:visa-4242' },
});

// Accepted unchanged: the prefund is now held for m1, and work may begin immediately.
play({
  type: 'AcceptTerms',
  actor: 'felix',
  at: '2014-11-03T10:00:00Z',
  data: { proposalId: 'p1' },
});
console.log(
  `after acceptance: ${summarize(job).status}, work may begin: ${String(summarize(job).workMayBegin)}`,
);

// The start fee is paid; the concepts are funded, delivered and approved.
play({
  type: 'ReleaseFunds',
  actor: 'clara',
  at: '2014-11-03T10:15:00Z',
  data: { milestoneId: 'm1' },
});
play({
  type: 'FundMilestone',
  actor: 'clara',
  at: '2014-11-04T09:00:00Z',
  data: { milestoneId: 'm2', fundingId: 'f2', source: 'card:visa-4242' },
});
play({
  type: 'SubmitWork',
  actor: 'felix',
  at: '2014-11-10T17:00:00Z',
  data: { milestoneId: 'm2', note: 'Six concepts.' },
});
play({
  type: 'ReleaseFunds',
  actor: 'clara',
  at: '2014-11-11T09:00:00Z',
  data: { milestoneId: 'm2' },
});

console.log();
console.log(renderMilestoneTable(job));
console.log();
console.log(renderMilestoneTable(job, { format: 'markdown' }));
console.log();
for (const line of timeline(history)) console.log(line);
