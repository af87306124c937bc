/*
 * The handle workload's jobs and commands: 20-event jobs (one command each) and one long job
 * (commands chosen against the state the previous one left), each command valid when decided.
 */
import type { CommandHandler, JobCommandInput, JobEvent, JobState } from 'milestone-escrow';
// The id tables are the library's internals: the bench reads them straight from the source.
import { tableGet } from '../../../src/domain/shared/table.js';
import { fundableMilestone } from '../generate.js';
import { createRandom, type Random } from '../prng.js';
import { newApp, seed, type App } from './handle-app.js';

let clock = Date.UTC(2030, 0, 1);
let fundings = 0;

/**
 * The next command's time: a second after the last, and never before the job's last event (part
 * two's rule, spec §7: time does not run backwards; the long job's history runs into the 2060s).
 */
export function nextAt(state: JobState): string {
  const last = state.job.lastAt === null ? 0 : Date.parse(state.job.lastAt);
  clock = Math.max(clock, last) + 1000;
  return new Date(clock).toISOString().slice(0, 19) + 'Z';
}

function fund(state: JobState, milestoneId: string): JobCommandInput {
  const award = state.job.award;
  if (award === null) throw new Error('the job is not awarded');
  fundings += 1;
  return {
    type: 'FundMilestone',
    actor: award.clientId,
    at: nextAt(state),
    data: { milestoneId, fundingId: `bench-f${String(fundings)}`, source: 'card:visa-4242' },
  };
}

/** A random milestone that can be funded (random picks first: the long job has thousands). */
function randomFundable(state: JobState, rnd: Random): string {
  const active = state.terms.active;
  if (active === null) throw new Error('no active terms');
  for (let t = 0; t < 100; t++) {
    const m = rnd.pick(active.milestones);
    const e = tableGet(state.escrow.milestones, m.milestoneId);
    if (e === undefined || (e.released === 0 && e.held < m.amount)) return m.milestoneId;
  }
  const m = fundableMilestone(state);
  if (m === undefined) throw new Error('no milestone left to fund');
  return m.milestoneId;
}

export interface Target {
  jobId: string;
  command: JobCommandInput;
}

/** One command per job, each job of exactly 20 events. */
export async function smallJobs(
  jobs: readonly JobEvent[][],
  cacheSize?: number,
): Promise<{ app: App; next: () => Target }> {
  const app = newApp(cacheSize);
  const targets: Target[] = [];
  for (const [i, events] of jobs.entries()) {
    const jobId = `small-${String(i)}`;
    const state = await seed(app, jobId, events, false);
    const m = fundableMilestone(state);
    if (m === undefined) throw new Error(`job ${String(i)} has nothing to fund`);
    targets.push({ jobId, command: fund(state, m.milestoneId) });
  }
  let k = 0;
  return {
    app,
    next: () => {
      const t = targets[k++];
      if (t === undefined) throw new Error('out of prepared 20-event jobs');
      return t;
    },
  };
}

function refund(state: JobState, milestoneId: string): JobCommandInput {
  const award = state.job.award;
  if (award === null) throw new Error('the job is not awarded');
  return {
    type: 'RefundMilestone',
    actor: award.freelancerId,
    at: nextAt(state),
    data: { milestoneId },
  };
}

/** A money command on a random active milestone: fund what is left, or refund a full one. */
function fundOrRefund(state: JobState, rnd: Random): JobCommandInput {
  const active = state.terms.active;
  if (active === null) throw new Error('no active terms');
  for (let t = 0; t < 1000; t++) {
    const m = rnd.pick(active.milestones);
    const e = tableGet(state.escrow.milestones, m.milestoneId);
    if (e === undefined || (e.released === 0 && e.held < m.amount))
      return fund(state, m.milestoneId);
    if (e.released === 0 && e.held > 0) return refund(state, m.milestoneId);
  }
  throw new Error('no milestone to fund or refund');
}

/** Commands to one long job, each chosen against the state the previous one left. */
export async function oneJob(
  events: readonly JobEvent[],
  seedValue: number,
  choose: 'fund' | 'fund-or-refund' = 'fund',
  cacheSize?: number,
  snapshotsAs: 'state' | 'json' = 'state',
): Promise<{ app: App; next: () => Target }> {
  const app = newApp(cacheSize, snapshotsAs);
  const jobId = 'long';
  let state = await seed(app, jobId, events, true);
  const rnd = createRandom(seedValue);
  const handle = app.handler.handle.bind(app.handler);
  // Follow the state the handler returns, so that every command is valid when it is decided.
  (app as { handler: CommandHandler }).handler = {
    ...app.handler,
    handle: async (id, command, options) => {
      const result = await handle(id, command, options);
      state = result.state;
      return result;
    },
  };
  return {
    app,
    next: () => ({
      jobId,
      command:
        choose === 'fund' ? fund(state, randomFundable(state, rnd)) : fundOrRefund(state, rnd),
    }),
  };
}
