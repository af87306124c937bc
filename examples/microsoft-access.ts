/**
 * The seed's Microsoft Access job (spec §6): a counter-proposal, an automatic refund, and a
 * rejected command.
 *
 *   npx tsx examples/microsoft-access.ts
 *
 * The client prefunds the first milestone of its proposal; the freelancer answers with a
 * counter-proposal (a later QA date), which supersedes the proposal: the prefund goes back to its
 * card in the same decision. The client accepts the counter-proposal, then tries to release a
 * milestone it has not funded, and the decider says why not.
 */
import { decide, fold, initialState, isDomainError, summarize } from 'milestone-escrow';
import { renderMilestoneTable, timeline } from 'milestone-escrow/projections';
import type { JobCommandInput, JobEvent, MilestoneInput } from 'milestone-escrow';

let job = initialState();
const history: JobEvent[] = [];

function play(command: JobCommandInput): JobEvent[] {
  const events = decide(command, job);
  job = fold(events, job);
  history.push(...events);
  return events;
}

const terms: MilestoneInput[] = [
  { milestoneId: 'schema', title: 'Initial schema design', dueDate: '2014-11-10', amount: 20000 },
  { milestoneId: 'impl', title: 'Implementation', dueDate: '2014-11-15', amount: 20000 },
  { milestoneId: 'qa', title: 'QA', dueDate: '2014-11-21', amount: 20000 },
  {
    milestoneId: 'final',
    title: 'Final: Release/Final Product',
    dueDate: '2014-11-30',
    amount: 20000,
  },
];

play({
  type: 'AwardJob',
  actor: 'acme',
  at: '2014-11-03T09:00:00Z',
  data: {
    jobId: 'access-2014',
    title: 'Microsoft Access database',
    clientId: 'acme',
    freelancerId: 'ana',
    currency: 'USD',
  },
});
play({
  type: 'ProposeTerms',
  actor: 'acme',
  at: '2014-11-03T09:05:00Z',
  data: { proposalId: 'p1', milestones: terms },
});
play({
  type: 'FundMilestone',
  actor: 'acme',
  at: '2014-11-03T09:10:00Z',
  data: { milestoneId: 'schema', fundingId: 'f1', source: 'card:amex-1005' },
});

// The freelancer "makes changes": QA three days later. Her counter-proposal supersedes p1,
// and the prefund of p1 is refunded in the same decision.
const counter = terms.map((m) => (m.milestoneId === 'qa' ? { ...m, dueDate: '2014-11-24' } : m));
const decided = play({
  type: 'ProposeTerms',
  actor: 'ana',
  at: '2014-11-03T14:00:00Z',
  data: { proposalId: 'p2', milestones: counter },
});
console.log(`the counter-proposal decided: ${decided.map((e) => e.type).join(', ')}`);

play({
  type: 'AcceptTerms',
  actor: 'acme',
  at: '2014-11-04T08:00:00Z',
  data: { proposalId: 'p2' },
});
console.log(`after acceptance: ${summarize(job).status}`);

// Nothing is funded yet, so there is nothing to release: the decider rejects the command.
try {
  play({
    type: 'ReleaseFunds',
    actor: 'acme',
    at: '2014-11-04T08:05:00Z',
    data: { milestoneId: 'schema' },
  });
} catch (error) {
  if (!isDomainError(error)) throw error;
  console.log(`rejected: ${error.code} (${String(error.details.rule)}): ${error.message}`);
}

play({
  type: 'FundMilestone',
  actor: 'acme',
  at: '2014-11-04T08:10:00Z',
  data: { milestoneId: 'schema', fundingId: 'f2', source: 'card:amex-1005' },
});
play({
  type: 'SubmitWork',
  actor: 'ana',
  at: '2014-11-10T16:00:00Z',
  data: { milestoneId: 'schema' },
});
play({
  type: 'ReleaseFunds',
  actor: 'acme',
  at: '2014-11-11T09:00:00Z',
  data: { milestoneId: 'schema' },
});
play({
  type: 'FundMilestone',
  actor: 'acme',
  at: '2014-11-11T09:05:00Z',
  data: { milestoneId: 'impl', fundingId: 'f3', source: 'card:amex-1005' },
});

console.log();
console.log(renderMilestoneTable(job));
const { totals } = summarize(job);
console.log(
  `\nfunded ${totals.funded}, held ${totals.held}, released ${totals.released}, refunded ${totals.refunded} (cents)\n`,
);
for (const line of timeline(history)) console.log(line);
