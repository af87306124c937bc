/*
 * The read models on the seed's logo-design job: the summary, the due dates as of a day, the
 * escrow ledger and its closing statement, and the notifications outbox; then many jobs at once
 * from a store's global read. Run it with `npx tsx examples/read-models.ts`; the tests run it too
 * (test/projections/examples.test.ts), and docs/read-models.md quotes its regions.
 */
import { pathToFileURL } from 'node:url';
import {
  decide,
  fold,
  initialState,
  summarize,
  type JobCommandInput,
  type JobEvent,
} from '../src/index.js';
import {
  closingStatement,
  ledger,
  ledgerProjection,
  outbox,
  projectAll,
  schedule,
  summaryProjection,
  trialBalance,
  type StreamEvent,
} from '../src/projections/index.js';

/** Plays commands through `decide`, as an app's command handler would, and returns the events. */
export function play(commands: readonly JobCommandInput[]): JobEvent[] {
  let state = initialState();
  const events: JobEvent[] = [];
  for (const command of commands) {
    const decided = decide(command, state);
    events.push(...decided);
    state = fold(decided, state);
  }
  return events;
}

const at = (day: string, time = '09:00') => `${day}T${time}:00Z`;

/** The seed's logo-design job: prefunded start fee, accepted terms, two milestones released. */
export const logoCommands: JobCommandInput[] = [
  {
    type: 'AwardJob',
    actor: 'client-7',
    at: at('2014-11-03'),
    data: {
      jobId: 'logo',
      title: 'Logo design',
      clientId: 'client-7',
      freelancerId: 'freelancer-9',
      currency: 'USD',
    },
  },
  {
    type: 'ProposeTerms',
    actor: 'client-7',
    at: at('2014-11-03', '09:05'),
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
  },
  {
    type: 'FundMilestone',
    actor: 'client-7',
    at: at('2014-11-03', '09:10'),
    data: { milestoneId: 'm1', fundingId: 'f1', source: 'card:visa-4242', comment: 'Start fee' },
  },
  {
    type: 'AcceptTerms',
    actor: 'freelancer-9',
    at: at('2014-11-03', '10:00'),
    data: { proposalId: 'p1' },
  },
  { type: 'ReleaseFunds', actor: 'client-7', at: at('2014-11-04'), data: { milestoneId: 'm1' } },
  {
    type: 'FundMilestone',
    actor: 'client-7',
    at: at('2014-11-05'),
    data: { milestoneId: 'm2', fundingId: 'f2', source: 'card:visa-4242' },
  },
  {
    type: 'SubmitWork',
    actor: 'freelancer-9',
    at: at('2014-11-10'),
    data: { milestoneId: 'm2', note: 'six concepts attached' },
  },
  { type: 'ReleaseFunds', actor: 'client-7', at: at('2014-11-11'), data: { milestoneId: 'm2' } },
];

/** Prints every read model of the logo job, and returns what it printed. */
export function main(print: (line: string) => void = console.log): string[] {
  const lines: string[] = [];
  const out = (line: string) => {
    lines.push(line);
    print(line);
  };
  const events = play(logoCommands);

  // #region summary
  const state = fold(events);
  const summary = summarize(state); // the spec §5 JSON summary, exactly (what the CLI prints)
  const dueDates = schedule(state, { asOf: '2014-11-16' }); // never the clock: the day is passed in
  // m3 was due 2014-11-15 and is not released: overdue by 1 day; m4 (2014-11-20) is next.
  // #endregion summary
  out(
    `summary: ${summary.status}, released ${String(summary.totals.released)} of ${String(summary.totals.contract)}`,
  );
  out(
    `as of ${dueDates.asOf}: overdue ${dueDates.overdue.join(', ')} (${String(dueDates.overdueAmount)}); next due ${dueDates.nextDue?.milestoneId ?? '-'}`,
  );

  // #region ledger
  const book = ledger(events);
  const afterPrefund = trialBalance(book, { position: 3 }); // as of any event (default: the last)
  // afterPrefund.lines: escrow:m1 debited 7500, source:card:visa-4242 credited 7500; balance 0
  // book.balances: { 'escrow:m1': 0, 'source:card:visa-4242': -15000, freelancer: 15000, 'escrow:m2': 0 }
  const statement = closingStatement(book); // each funding, its source, and what became of it
  // #endregion ledger
  for (const p of book.postings)
    out(`posting @${String(p.position)} ${p.kind}: ${p.credit} -> ${p.debit} ${String(p.amount)}`);
  out(`balances: ${JSON.stringify(book.balances)}`);
  out(
    `trial balance after event 3: ${afterPrefund.lines.map((l) => `${l.account} ${String(l.balance)}`).join(', ')}; total ${String(afterPrefund.balance)}`,
  );
  for (const f of statement.fundings) {
    out(
      `funding ${f.fundingId} (${f.milestoneId}) ${String(f.amount)} from ${f.source}: ${f.movements.map((m) => `${m.kind} ${String(m.amount)} at ${m.at}`).join('; ')}`,
    );
  }

  // #region outbox
  for (const n of outbox(events).notifications) {
    // A sender records `n.id` once delivered: rebuilding the outbox never changes an id.
    out(`notify ${n.recipient.partyId} (${n.recipient.role}): ${n.kind} [${n.id}]`);
  }
  // #endregion outbox

  // #region many-jobs
  // A store's global read (`store.readAll()`): events of many streams, interleaved.
  const read: StreamEvent[] = events.map((e, i) => ({
    ...e,
    metadata: { streamId: 'job-logo', streamPosition: i + 1 },
  }));
  const summaries = projectAll(summaryProjection, read); // Map: streamId → summary
  const ledgers = projectAll(ledgerProjection, read); // Map: streamId → ledger
  // #endregion many-jobs
  out(
    `many jobs: ${[...summaries.keys()].join(', ')}; held in escrow ${String(ledgers.get('job-logo')?.totals.held)}`,
  );
  return lines;
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href)
  main();
