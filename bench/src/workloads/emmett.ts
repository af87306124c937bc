/*
 * Commands per second through our command handler and through Emmett's `DeciderCommandHandler`
 * (`@event-driven-io/emmett`, a devDependency) on Emmett's in-memory event store, with the same
 * decider (ours: `decide`, `evolve`, `initialState`, which run in Emmett unchanged) and the same
 * commands:
 *   - 20-event jobs: one FundMilestone to each of a run of different jobs (every command loads
 *     its job: 20 events);
 *   - the 200,000-event job: FundMilestones to the one job. Ours as an app configures it (the
 *     in-memory snapshot store, a snapshot every 100 events, the default cache); Emmett has no
 *     snapshots, so it folds the whole stream on every command.
 * Each round runs both sides once, in an order that alternates; a side's commands are awaited
 * one after another and timed together (wall clock). The ratio is taken inside each round.
 */
import { DeciderCommandHandler, getInMemoryEventStore } from '@event-driven-io/emmett';
import {
  createCommandHandler,
  createInMemoryEventStore,
  createInMemorySnapshotStore,
  decide,
  evolve,
  fold,
  initialState,
  type JobCommandInput,
  type JobEvent,
  type JobState,
} from 'milestone-escrow';
import { JOB_SNAPSHOT_VERSION } from 'milestone-escrow/store';
import { loadJobsOfLength, loadLongPrefixText, parseNdjson } from '../data.js';
import { fundableMilestone } from '../generate.js';
import { nextAt } from './handle-jobs.js';
import { formatRate, gc, median } from '../harness.js';
import type { Table } from '../report.js';
import { TARGETS, verdict, type Verdict } from '../targets.js';

export interface EmmettOptions {
  readonly check: boolean;
  readonly rounds: number;
  readonly log: (line: string) => void;
}

type Side = 'ours' | 'Emmett';

/** Sends commands one after another; resolves to the state after each (for the next command). */
type Send = (jobId: string, command: JobCommandInput) => Promise<JobState>;

const streamOf = (jobId: string): string => `job-${jobId}`;

let fundings = 0;

function fund(state: JobState): JobCommandInput {
  const award = state.job.award;
  const m = fundableMilestone(state);
  if (award === null || m === undefined) throw new Error('nothing to fund');
  fundings += 1;
  return {
    type: 'FundMilestone',
    actor: award.clientId,
    at: nextAt(state),
    data: {
      milestoneId: m.milestoneId,
      fundingId: `emmett-f${String(fundings)}`,
      source: 'card:visa-4242',
    },
  };
}

/** A side's store seeded with `jobs` (job id → events), and its way to send a command. */
async function build(
  side: Side,
  jobs: ReadonlyMap<string, readonly JobEvent[]>,
  snapshotAtEnd: boolean,
): Promise<Send> {
  if (side === 'Emmett') {
    const store = getInMemoryEventStore();
    for (const [jobId, events] of jobs) await store.appendToStream(streamOf(jobId), [...events]);
    const handle = DeciderCommandHandler({ decide, evolve, initialState, mapToStreamId: streamOf });
    return async (jobId, command) => (await handle(store, jobId, command)).newState;
  }
  const store = createInMemoryEventStore();
  const snapshots = createInMemorySnapshotStore();
  const handler = createCommandHandler({ store, snapshots, snapshotEvery: 100 });
  for (const [jobId, events] of jobs) {
    const streamId = handler.streamIdOf(jobId);
    for (let i = 0; i < events.length; i += 10_000)
      await store.appendToStream(streamId, events.slice(i, i + 10_000), {
        expectedVersion: i === 0 ? 'no-stream' : i,
      });
    if (snapshotAtEnd) {
      const state = fold(events);
      await snapshots.save({
        streamId,
        version: state.version,
        snapshotVersion: JOB_SNAPSHOT_VERSION,
        state,
        idempotency: [],
        takenAt: '2031-01-01T00:00:00Z',
      });
    }
  }
  return async (jobId, command) => (await handler.handle(jobId, command)).state;
}

/** Commands per second of one side over `count` commands (or `budget` seconds, whichever first). */
async function run(
  send: Send,
  targets: readonly { jobId: string; state: JobState }[],
  count: number,
  budget: number,
  sameJob: boolean,
): Promise<{ rate: number; commands: number }> {
  gc();
  let state = targets[0]?.state;
  const start = performance.now();
  let done = 0;
  for (; done < count; done++) {
    const target = sameJob ? targets[0] : targets[done];
    if (target === undefined || state === undefined) break;
    state = await send(target.jobId, fund(sameJob ? state : target.state));
    if (performance.now() - start > budget * 1000) {
      done += 1;
      break;
    }
  }
  return { rate: done / ((performance.now() - start) / 1000), commands: done };
}

/** A rate of commands, or the time per command when there are fewer than 10 a second. */
function perCommand(rate: number): string {
  return rate >= 10 ? formatRate(rate) : `${(1 / rate).toFixed(2)} s per command`;
}

export async function emmettWorkloads(
  o: EmmettOptions,
): Promise<{ tables: Table[]; verdicts: Verdict[] }> {
  const count = 2_000;
  const pool = await loadJobsOfLength(20, 12_000);
  const longText = await loadLongPrefixText(200_000, 1_000_000);
  const short: Record<Side, number[]> = { ours: [], Emmett: [] };
  const long: Record<Side, number[]> = { ours: [], Emmett: [] };
  const longCommands: Record<Side, number> = { ours: 0, Emmett: 0 };
  const shortRatios: number[] = [];
  const longRatios: number[] = [];
  const rounds = o.rounds;
  for (let r = 0; r < rounds + 1; r++) {
    const order: Side[] = r % 2 === 0 ? ['ours', 'Emmett'] : ['Emmett', 'ours'];
    const got: Record<Side, number> = { ours: 0, Emmett: 0 };
    const gotLong: Record<Side, number> = { ours: 0, Emmett: 0 };
    for (const side of order) {
      // The same jobs for both sides of a round, each on a fresh store built and let go in turn.
      const base = (r * count) % (pool.length - count);
      const jobs = new Map<string, readonly JobEvent[]>();
      const targets: { jobId: string; state: JobState }[] = [];
      for (const line of pool.slice(base, base + count)) {
        const events = JSON.parse(line) as JobEvent[];
        const jobId = `short-${String(targets.length)}`;
        jobs.set(jobId, events);
        targets.push({ jobId, state: fold(events) });
      }
      got[side] = (await run(await build(side, jobs, false), targets, count, 20, false)).rate;
      gc();
      // The long job is reported, not a target: the quick check leaves it out.
      if (o.check) continue;
      const events = parseNdjson(longText);
      const longTargets = [{ jobId: 'long', state: fold(events) }];
      const send = await build(side, new Map([['long', events]]), true);
      const l = await run(send, longTargets, 200, 10, true);
      gotLong[side] = l.rate;
      if (r > 0) longCommands[side] += l.commands;
      gc();
    }
    // Round 0 warms both sides up (JIT) and is thrown away.
    if (r === 0) continue;
    for (const side of ['ours', 'Emmett'] as const) {
      short[side].push(got[side]);
      long[side].push(gotLong[side]);
    }
    shortRatios.push(got.ours / got.Emmett);
    if (!o.check) longRatios.push(gotLong.ours / gotLong.Emmett);
    o.log(
      `  Emmett round ${String(r)}/${String(rounds)}: 20-event jobs: ours ${formatRate(got.ours)} commands, Emmett ${formatRate(got.Emmett)}; ` +
        (o.check
          ? ''
          : `200,000 events: ours ${perCommand(gotLong.ours)}, Emmett ${perCommand(gotLong.Emmett)}`),
    );
  }
  const rows = [
    [
      '20 events (a different job each command)',
      'our command handler',
      formatRate(median(short.ours)),
      median(shortRatios).toFixed(2),
    ],
    [
      '20 events (a different job each command)',
      "Emmett's DeciderCommandHandler",
      formatRate(median(short.Emmett)),
      '1 (baseline)',
    ],
  ];
  if (!o.check)
    rows.push(
      [
        '200,000 events',
        `our command handler (snapshots, default cache; ${String(longCommands.ours)} commands)`,
        perCommand(median(long.ours)),
        median(longRatios).toFixed(0),
      ],
      [
        '200,000 events',
        `Emmett's DeciderCommandHandler (folds the stream; ${String(longCommands.Emmett)} commands)`,
        perCommand(median(long.Emmett)),
        '1 (baseline)',
      ],
    );
  return {
    tables: [
      {
        title:
          "handle side by side with Emmett: commands per second, the same decider, each side on its own in-memory store (Emmett's getInMemoryEventStore for Emmett)",
        headers: ['history', 'handler', 'commands/s', 'ratio'],
        rows,
        note: `Medians over ${String(rounds)} rounds after a warm-up round; one FundMilestone per command, awaited one after another, wall clock. 20-event jobs: ${String(count)} jobs a side and round. The long job (full run only): up to 200 commands or 10 s a side and round (at least one command); ours loads it from a snapshot (every 100 events) and then keeps it cached, Emmett has no snapshots and folds all 200,000 events with evolve on every command.`,
      },
    ],
    verdicts: [
      verdict(
        TARGETS.handleVsEmmett,
        median(shortRatios),
        `ours ${formatRate(median(short.ours))}, Emmett ${formatRate(median(short.Emmett))} commands/s`,
      ),
    ],
  };
}
