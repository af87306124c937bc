/*
 * The read models on the seed's logo-design job: the summary, the due dates as of a day, the
 * escrow ledger and its closing statement, and the notifications outbox; then many jobs at once
 * from a store's global read. Run it with `npx tsx node_modules/milestone-escrow/examples/read-models.ts`
 * (or `npx tsx examples/read-models.ts` in a clone); the tests run it too
 * (test/projections/examples.test.ts). docs/read-models.md shows each read model as a program.
 */
import { readFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import {
  decide,
  fold,
  initialState,
  parseCommand,
  summarize,
  type JobCommandInput,
  type JobEvent,
} from 'milestone-escrow';
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
} from 'milestone-escrow/projections';

/** Plays commands through `decide`, as an app's command handler would, and returns the events. */
export function play(commands: readonly JobCommandInput[]): JobEvent[] {
  let state = initialState();
  const events: JobEvent[] = [];
  for (const command of commands) {
    const decided = decide(command, state);
    for (const event of decided) events.push(event); // push(...decided) overflows on a big decision
    state = fold(decided, state);
  }
  return events;
}

/**
 * The seed's logo-design job: the demo's commands, from the file shipped beside this example
 * (`milestone-escrow run` reads the same file; a test keeps it equal to the demo).
 */
export function logoCommands(): JobCommandInput[] {
  const file = new URL('./logo-design.commands.ndjson', import.meta.url);
  return readFileSync(file, 'utf8')
    .trim()
    .split('\n')
    .map((line) => parseCommand(JSON.parse(line)));
}

/** Prints every read model of the logo job, and returns what it printed. */
export function main(print: (line: string) => void = console.log): string[] {
  const lines: string[] = [];
  const out = (line: string) => {
    lines.push(line);
    print(line);
  };
  const history = play(logoCommands());
  // The job as it stood on the morning of 16 Nov 2014 (every event carries its instant).
  const events = history.filter((event) => event.data.at < '2014-11-16T09:00:00Z');

  const state = fold(events);
  const summary = summarize(state); // the spec §5 JSON summary, exactly (what the CLI prints)
  const dueDates = schedule(state, { asOf: '2014-11-16' }); // never the clock: the day is passed in
  // m3 was due 2014-11-15 and is not released: overdue by 1 day; m4 (2014-11-20) is next.
  out(
    `summary: ${summary.status}, released ${String(summary.totals.released)} of ${String(summary.totals.contract)}`,
  );
  out(
    `as of ${dueDates.asOf}: overdue ${dueDates.overdue.join(', ')} (${String(dueDates.overdueAmount)}); next due ${dueDates.nextDue?.milestoneId ?? '-'}`,
  );

  // The money of the whole job, to its close.
  const book = ledger(history);
  const afterPrefund = trialBalance(book, { position: 3 }); // as of any event (default: the last)
  // afterPrefund.lines: escrow:m1 debited 7500, source:card:visa-4242 credited 7500; balance 0
  const statement = closingStatement(book); // each funding, its source, and what became of it
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

  for (const n of outbox(history).notifications) {
    // A sender records `n.id` once delivered: rebuilding the outbox never changes an id.
    out(`notify ${n.recipient.partyId} (${n.recipient.role}): ${n.kind} [${n.id}]`);
  }

  // A store's global read (`store.readAll()`): events of many streams, interleaved.
  const read: StreamEvent[] = history.map((e, i) => ({
    ...e,
    metadata: { streamId: 'logo-2014', streamPosition: i + 1 },
  }));
  const summaries = projectAll(summaryProjection, read); // Map: streamId → summary
  const ledgers = projectAll(ledgerProjection, read); // Map: streamId → ledger
  out(
    `many jobs: ${[...summaries.keys()].join(', ')}; held in escrow ${String(ledgers.get('logo-2014')?.totals.held)}`,
  );
  return lines;
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href)
  main();
