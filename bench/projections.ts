/*
 * Throughput of the read models (events per second, median of 5 runs).
 *   npx tsx bench/projections.ts [events]
 * 1. one long stream: a job whose milestone is funded and refunded over and over;
 * 2. a global read of many seed-sized jobs interleaved, through projectAll, with trusted events
 *    and with the default validating decode.
 */
import { decide, fold, initialState, type JobCommandInput, type JobEvent } from '../src/index.js';
import {
  ledgerProjection,
  outboxProjection,
  project,
  projectAll,
  summaryProjection,
  closingStatementProjection,
  type Projection,
  type StreamEvent,
} from '../src/projections/index.js';

const N = Number(process.argv[2] ?? 1_000_000);
const at = '2014-11-03T09:00:00Z';

function longStream(n: number): JobEvent[] {
  const events: JobEvent[] = [
    {
      type: 'JobAwarded',
      data: { jobId: 'j', title: 'Logo', clientId: 'c', freelancerId: 'f', currency: 'USD', at },
    },
    {
      type: 'TermsProposed',
      data: {
        proposalId: 'p1',
        by: 'client',
        milestones: [
          { milestoneId: 'm1', title: 'M1', description: '', dueDate: '2014-11-10', amount: 7500 },
        ],
        at,
      },
    },
    { type: 'TermsAccepted', data: { proposalId: 'p1', by: 'freelancer', at } },
  ];
  for (let i = 0; events.length < n; i++) {
    const fundingId = `f${String(i)}`;
    events.push({
      type: 'MilestoneFunded',
      data: {
        milestoneId: 'm1',
        fundingId,
        amount: 7500,
        source: i % 2 === 0 ? 'card:1' : 'bank:2',
        at,
      },
    });
    events.push({
      type: 'FundsRefunded',
      data: {
        milestoneId: 'm1',
        fundingId,
        amount: 7500,
        source: i % 2 === 0 ? 'card:1' : 'bank:2',
        reason: 'refunded-by-freelancer',
        at,
      },
    });
  }
  return events;
}

function seedJob(): JobEvent[] {
  let state = initialState();
  const events: JobEvent[] = [];
  const run = (type: JobCommandInput['type'], actor: string, data: Record<string, unknown>) => {
    const e = decide({ type, actor, at, data } as JobCommandInput, state);
    events.push(...e);
    state = fold(e, state);
  };
  run('AwardJob', 'c', {
    jobId: 'logo',
    title: 'Logo design',
    clientId: 'c',
    freelancerId: 'f',
    currency: 'USD',
  });
  run('ProposeTerms', 'c', {
    proposalId: 'p1',
    milestones: [1, 2, 3, 4, 5].map((i) => ({
      milestoneId: `m${String(i)}`,
      title: `M${String(i)}`,
      dueDate: '2014-11-10',
      amount: 7500,
    })),
  });
  run('FundMilestone', 'c', { milestoneId: 'm1', fundingId: 'f1', source: 'card:1' });
  run('AcceptTerms', 'f', { proposalId: 'p1' });
  for (let i = 1; i <= 5; i++) {
    if (i > 1)
      run('FundMilestone', 'c', {
        milestoneId: `m${String(i)}`,
        fundingId: `f${String(i)}`,
        source: 'card:1',
      });
    run('SubmitWork', 'f', { milestoneId: `m${String(i)}` });
    run('ReleaseFunds', 'c', { milestoneId: `m${String(i)}` });
  }
  run('CloseJob', 'c', {});
  return events;
}

function globalRead(n: number): StreamEvent[] {
  const job = seedJob();
  const jobs = Math.ceil(n / job.length);
  const read: StreamEvent[] = [];
  // Ten jobs at a time, interleaved event by event.
  for (let g = 0; g < jobs; g += 10) {
    for (let k = 0; k < job.length; k++) {
      for (let j = g; j < Math.min(g + 10, jobs); j++) {
        const e = job[k] as JobEvent;
        read.push({
          type: e.type,
          data: e.data,
          metadata: { streamId: `job-${String(j)}`, streamPosition: k + 1 },
        });
      }
    }
  }
  return read.slice(0, n);
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)] ?? 0;
}

function measure(label: string, count: number, run: () => unknown): void {
  const times: number[] = [];
  for (let i = 0; i < 5; i++) {
    const t = performance.now();
    run();
    times.push(performance.now() - t);
  }
  const ms = median(times);
  console.log(
    `${label.padEnd(52)} ${String(Math.round((count / ms) * 1000)).padStart(10)} events/s  (${ms.toFixed(0)} ms)`,
  );
}

const projections: Projection<unknown, unknown>[] = [
  summaryProjection,
  ledgerProjection,
  closingStatementProjection,
  outboxProjection,
];
const stream = longStream(N);
console.log(`one stream of ${String(stream.length)} events`);
for (const p of projections)
  measure(`  project(${p.name})`, stream.length, () => project(p, stream));
const read = globalRead(N);
const trusted = { decode: (e: StreamEvent) => e as unknown as JobEvent };
console.log(
  `a global read of ${String(read.length)} events (${String(new Set(read.map((e) => e.metadata.streamId)).size)} jobs)`,
);
for (const p of projections)
  measure(`  projectAll(${p.name}), trusted`, read.length, () => projectAll(p, read, trusted));
measure(`  projectAll(summary), validating decode`, read.length, () =>
  projectAll(summaryProjection, read),
);
