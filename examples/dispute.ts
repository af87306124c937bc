/**
 * The seed's Microsoft Access job on a marketplace that takes a 10 % fee (spec §6, §7–§11): QA is
 * disputed, countered, escalated and ruled.
 *
 *   npx tsx examples/dispute.ts
 *
 * The client funds QA and the freelancer submits it; the client disputes it, claiming all $200
 * back; the freelancer counters with $50; the client escalates; the platform rules $80 back to the
 * client and $120 to the freelancer, of which it keeps its 10 % fee. The closing statement shows
 * where every cent went, and lists the settlement: how it ended, on whose figure, what went back
 * to which source, what the freelancer netted and the fee.
 */
import { decide, fold, initialState, summarize } from 'milestone-escrow';
import { renderMilestoneTable, timeline } from 'milestone-escrow/projections';
import { closingStatement, ledger } from 'milestone-escrow/projections';
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
  { milestoneId: 'qa', title: 'QA', dueDate: '2014-11-24', amount: 20000 },
  {
    milestoneId: 'final',
    title: 'Final: Release/Final Product',
    dueDate: '2014-11-30',
    amount: 20000,
  },
];
const client = 'clara';
const freelancer = 'felix';
const platform = 'elance';

play({
  type: 'AwardJob',
  actor: client,
  at: '2014-11-03T09:00:00Z',
  data: {
    jobId: 'access-2014',
    title: 'Microsoft Access database',
    clientId: client,
    freelancerId: freelancer,
    currency: 'USD',
    platformId: platform,
    policy: { serviceFeeBps: 1000 },
  },
});
play({
  type: 'ProposeTerms',
  actor: client,
  at: '2014-11-03T09:05:00Z',
  data: { proposalId: 'p1', milestones: terms },
});
play({
  type: 'AcceptTerms',
  actor: freelancer,
  at: '2014-11-03T10:00:00Z',
  data: { proposalId: 'p1' },
});
play({
  type: 'FundMilestone',
  actor: client,
  at: '2014-11-20T09:00:00Z',
  data: { milestoneId: 'qa', fundingId: 'f1', source: 'card:visa-4242' },
});
play({
  type: 'SubmitWork',
  actor: freelancer,
  at: '2014-11-24T09:00:00Z',
  data: { milestoneId: 'qa' },
});
const review = summarize(job).milestones.find((m) => m.milestoneId === 'qa')?.reviewDueAt;
console.log(`QA submitted: the client's review ends ${String(review)}`);

play({
  type: 'OpenDispute',
  actor: client,
  at: '2014-11-25T09:00:00Z',
  data: {
    disputeId: 'd1',
    milestoneId: 'qa',
    refund: 20000,
    reason: 'Half the test cases never ran',
  },
});
play({
  type: 'ProposeSettlement',
  actor: freelancer,
  at: '2014-11-26T09:00:00Z',
  data: { disputeId: 'd1', refund: 5000 },
});
play({
  type: 'EscalateDispute',
  actor: client,
  at: '2014-11-27T09:00:00Z',
  data: { disputeId: 'd1' },
});
const ruling = play({
  type: 'ResolveDispute',
  actor: platform,
  at: '2014-12-01T09:00:00Z',
  data: { disputeId: 'd1', refund: 8000 },
});
console.log(`the ruling decided: ${ruling.map((e) => e.type).join(', ')}`);

console.log();
console.log(renderMilestoneTable(job));
console.log();

const statement = closingStatement(ledger(history));
console.log('closing statement (provisional: the job is open)');
for (const f of statement.fundings) {
  console.log(`  ${f.fundingId} ${f.source}: ${String(f.amount)} in`);
  for (const m of f.movements)
    console.log(
      `    ${m.kind} ${String(m.amount)} at ${m.at}${m.reason === undefined ? '' : ` (${m.reason})`}`,
    );
}
for (const s of statement.settlements) {
  console.log(
    `  settlement of ${s.disputeId} on ${s.milestoneId}: ${s.outcome} on the ${s.offeredBy}'s figure (opened by the ${s.openedBy}), ${String(s.held)} held`,
  );
  for (const part of s.refunds)
    console.log(`    ${String(part.amount)} back to ${part.source} (${part.fundingId})`);
  console.log(
    `    ${String(s.release)} to the freelancer, less the platform's fee ${String(s.fee)}: ${String(s.toFreelancer)} net`,
  );
}
const { funded, released, refunded, held, fees } = statement.totals;
console.log(
  `  totals: funded ${String(funded)} = released ${String(released)} + refunded ${String(refunded)} + held ${String(held)}; platform fee ${String(fees)}, the freelancer nets ${String(released - fees)}`,
);
console.log();
for (const line of timeline(history)) console.log(line);
