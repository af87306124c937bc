/**
 * The seed's Microsoft Access job (spec §6): a counter-proposal, an automatic refund, and a
 * rejected command.
 *
 *   npx tsx examples/microsoft-access.ts
 *
 * Clara (the client) hires Felix for the Access database, as she hired him for the logo. She
 * prefunds the first milestone of her proposal; Felix answers with a counter-proposal (a later QA
 * date), which supersedes the proposal: the prefund goes back to its card in the same decision.
 * Clara accepts the counter-proposal, then tries to release a milestone she has not funded, and
 * the decider says why not.
 */
import { decide, fold, initialState, isDomainError, summarize } from 'milestone-escrow';
import { renderMilestoneTable, timeline } from 'milestone-escrow/projections';
import type { JobCommandInput, JobEvent, MilestoneInput } from 'milestone-escrow';

let job = initialState();
const history: JobEvent[] = [];

function play(command: JobCommandInput): JobEvent[] {
  const events = decide(command, job);
  job = fold(events, job);
  for (const event of events) history.push(event); // push(...events) overflows on a big decision
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
  actor: 'clara',
  at: '2014-11-03T09:00:00Z',
  data: {
    jobId: 'access-2014',
    title: 'Microsoft Access database',
    clientId: 'clara',
    freelancerId: 'felix',
    currency: 'USD',
  },
});
play({
  type: 'ProposeTerms',
  actor: 'clara',
  at: '2014-11-03T09:05:00Z',
  data: { proposalId: 'p1', milestones: terms },
});
play({
  type: 'FundMilestone',
  actor: 'clara',
  at: '2014-11-03T09:10:00Z',
  data: { milestoneId: 'schema', fundingId: 'f1', source: 'card:visa-4242', comment: 'Prefund' },
});

// Felix "makes changes": QA three days later. His counter-proposal supersedes p1, and the
// prefund of p1 is refunded in the same decision.
const counter = terms.map((m) => (m.milestoneId === 'qa' ? { ...m, dueDate: '2014-11-24' } : m));
const decided = play({
  type: 'ProposeTerms',
  actor: 'felix',
  at: '2014-11-03T11:00:00Z',
  data: { proposalId: 'p2', milestones: counter },
});
console.log(`the counter-proposal decided: ${decided.map((e) => e.type).join(', ')}`);

play({
  type: 'AcceptTerms',
  actor: 'clara',
  at: '2014-11-03T12:00:00Z',
  data: { proposalId: 'p2' },
});
console.log(`after acceptance: ${summarize(job).status}`);

// Nothing is funded yet, so there is nothing to release: the decider rejects the command.
try {
  play({
    type: 'ReleaseFunds',
    actor: 'clara',
    at: '2014-11-03T12:02:00Z',
    data: { milestoneId: 'schema' },
  });
} catch (error) {
  if (!isDomainError(error)) throw error;
  console.log(`rejected: ${error.code} (${String(error.details.rule)}): ${error.message}`);
}

play({
  type: 'FundMilestone',
  actor: 'clara',
  at: '2014-11-03T12:05:00Z',
  data: { milestoneId: 'schema', fundingId: 'f2', source: 'card:visa-4242', amount: 20000 },
});
play({
  type: 'SubmitWork',
  actor: 'felix',
  at: '2014-11-10T16:00:00Z',
  data: { milestoneId: 'schema', note: 'Schema v1' },
});
play({
  type: 'RequestChanges',
  actor: 'clara',
  at: '2014-11-10T18:00:00Z',
  data: { milestoneId: 'schema', note: 'Add an invoices table' },
});
play({
  type: 'SubmitWork',
  actor: 'felix',
  at: '2014-11-11T10:00:00Z',
  data: { milestoneId: 'schema', note: 'Schema v2' },
});
play({
  type: 'ReleaseFunds',
  actor: 'clara',
  at: '2014-11-11T12:00:00Z',
  data: { milestoneId: 'schema' },
});
play({
  type: 'FundMilestone',
  actor: 'clara',
  at: '2014-11-11T12:05:00Z',
  data: { milestoneId: 'impl', fundingId: 'f3', source: 'paypal:clara@example.com' },
});

console.log();
console.log(renderMilestoneTable(job));
const { totals } = summarize(job);
console.log(
  `\nfunded ${totals.funded}, held ${totals.held}, released ${totals.released}, refunded ${totals.refunded} (cents)\n`,
);
for (const line of timeline(history)) console.log(line);
