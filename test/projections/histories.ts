import { tableGet } from '../../src/domain/shared/table.js';
import fc from 'fast-check';
import {
  decide,
  fold,
  initialState,
  isDomainError,
  type JobCommandInput,
  type JobEvent,
  type JobState,
  type Milestone,
} from '../../src/index.js';
import { type StreamEvent } from '../../src/projections/index.js';
import { escrowArbitraries } from '../../src/testing/index.js';

/*
 * A small local generator of valid job histories for the projections' properties: a list of
 * random "steps", each read against the job so far as one plausible command (propose, answer,
 * fund, release, refund, submit, request changes, close). The command is decided; a rejected one
 * is skipped, so every history is exactly what `decide` writes. These are part one's histories.
 *
 * Part two's (a policy with a fee, reviews expired by the platform, disputes offered, accepted,
 * escalated, ruled, withdrawn and expired) come from the toolkit's script writer, through
 * `partTwoHistoryArb` and `partTwoGlobalReadArb`, with the same parties: the properties that hold
 * for any history run on both (`HISTORIES`).
 */

export const CLIENT = 'c';
export const FREELANCER = 'f';
const SOURCES = ['card:visa-4242', 'bank:acme', 'paypal:x@y.z'];
const AMOUNTS = [100, 250, 7500, 10000, 1];
const DATES = ['2014-11-03', '2014-11-10', '2014-11-15', '2014-11-20', '2014-11-24', '2014-11-30'];
const IDS = ['m1', 'm2', 'm3', 'm4', 'm5', 'm6', 'm7'];

export interface Step {
  readonly kind: number;
  readonly a: number;
  readonly b: number;
  readonly c: number;
}

const stepArb: fc.Arbitrary<Step> = fc.record({
  kind: fc.nat(99),
  a: fc.nat(999),
  b: fc.nat(999),
  c: fc.nat(999),
});

function pick<T>(list: readonly T[], n: number): T | undefined {
  return list.length === 0 ? undefined : list[n % list.length];
}

function held(state: JobState, id: string): number {
  return tableGet(state.escrow.milestones, id)?.held ?? 0;
}
function released(state: JobState, id: string): boolean {
  return (tableGet(state.escrow.milestones, id)?.released ?? 0) > 0;
}

function proposal(state: JobState, step: Step): Milestone[] {
  const milestones: Milestone[] = [];
  for (const [i, m] of (state.terms.active?.milestones ?? []).entries()) {
    if (released(state, m.milestoneId)) {
      milestones.push(m);
      continue;
    }
    switch ((step.b >> (i % 8)) % 4) {
      case 0:
        break; // deleted
      case 1:
        milestones.push({ ...m, amount: pick(AMOUNTS, step.c + i) ?? 1 });
        break;
      case 2:
        milestones.push({ ...m, dueDate: pick(DATES, step.c + i) ?? m.dueDate });
        break;
      default:
        milestones.push(m);
    }
  }
  const extra = milestones.length === 0 ? 1 + (step.a % 3) : step.a % 3;
  for (let k = 0; k < extra; k++) {
    const id = pick(IDS, step.a + k * 3) ?? 'm1';
    if (milestones.some((m) => m.milestoneId === id)) continue;
    milestones.push({
      milestoneId: id,
      title: `Milestone ${id}`,
      description: '',
      dueDate: pick(DATES, step.c + k) ?? '2014-11-10',
      amount: pick(AMOUNTS, step.b + k) ?? 100,
    });
  }
  if (milestones.length === 0)
    milestones.push({
      milestoneId: 'm1',
      title: 'Milestone m1',
      description: '',
      dueDate: '2014-11-10',
      amount: 100,
    });
  return milestones;
}

function commandFor(
  state: JobState,
  step: Step,
  n: number,
  at: string,
): JobCommandInput | undefined {
  const { active, pending } = state.terms;
  const activeIds = (active?.milestones ?? []).map((m) => m.milestoneId);
  const other = pending === null ? undefined : pending.by === 'client' ? FREELANCER : CLIENT;
  const proposer = pending === null ? undefined : pending.by === 'client' ? CLIENT : FREELANCER;
  const k = step.kind;
  if (k < 14) {
    const actor = k < 9 ? CLIENT : FREELANCER;
    return {
      type: 'ProposeTerms',
      actor,
      at,
      data: { proposalId: `p${String(n)}`, milestones: proposal(state, step) },
    };
  }
  if (k < 26)
    return pending === null || other === undefined
      ? undefined
      : { type: 'AcceptTerms', actor: other, at, data: { proposalId: pending.proposalId } };
  if (k < 31)
    return pending === null || other === undefined
      ? undefined
      : {
          type: 'DeclineTerms',
          actor: other,
          at,
          data:
            step.a % 2 === 0
              ? { proposalId: pending.proposalId }
              : { proposalId: pending.proposalId, reason: 'no' },
        };
  if (k < 35)
    return pending === null || proposer === undefined
      ? undefined
      : { type: 'WithdrawTerms', actor: proposer, at, data: { proposalId: pending.proposalId } };
  if (k < 60) {
    const prefundable = (pending?.milestones ?? [])
      .map((m) => m.milestoneId)
      .filter((id) => !activeIds.includes(id));
    const fundable = [...activeIds.filter((id) => !released(state, id)), ...prefundable];
    const milestoneId = pick(fundable, step.a);
    if (milestoneId === undefined) return undefined;
    const data: Record<string, unknown> = {
      milestoneId,
      fundingId: `f${String(n)}`,
      source: pick(SOURCES, step.b),
    };
    if (step.c % 3 === 0) data['comment'] = 'deposit';
    return { type: 'FundMilestone', actor: CLIENT, at, data } as JobCommandInput;
  }
  if (k < 74) {
    const full = (active?.milestones ?? []).filter(
      (m) => !released(state, m.milestoneId) && held(state, m.milestoneId) === m.amount,
    );
    const m = pick(full, step.a);
    return m === undefined
      ? undefined
      : { type: 'ReleaseFunds', actor: CLIENT, at, data: { milestoneId: m.milestoneId } };
  }
  if (k < 80) {
    const holding = activeIds.filter((id) => !released(state, id) && held(state, id) > 0);
    const id = pick(holding, step.a);
    return id === undefined
      ? undefined
      : { type: 'RefundMilestone', actor: FREELANCER, at, data: { milestoneId: id } };
  }
  if (k < 90) {
    const id = pick(activeIds, step.a);
    return id === undefined
      ? undefined
      : {
          type: 'SubmitWork',
          actor: FREELANCER,
          at,
          data: step.b % 2 === 0 ? { milestoneId: id } : { milestoneId: id, note: 'done' },
        };
  }
  if (k < 97) {
    const id = pick(activeIds, step.a);
    return id === undefined
      ? undefined
      : { type: 'RequestChanges', actor: CLIENT, at, data: { milestoneId: id } };
  }
  // Closing ends the job: rare, so that most histories go on.
  return step.a % 4 === 0 ? { type: 'CloseJob', actor: CLIENT, at, data: {} } : undefined;
}

/** Where a step names nothing to act on, the command that moves the job on. */
function progress(state: JobState, n: number, at: string, step: Step): JobCommandInput | undefined {
  const { active, pending } = state.terms;
  if (pending !== null)
    return {
      type: 'AcceptTerms',
      actor: pending.by === 'client' ? FREELANCER : CLIENT,
      at,
      data: { proposalId: pending.proposalId },
    };
  if (active === null)
    return {
      type: 'ProposeTerms',
      actor: CLIENT,
      at,
      data: { proposalId: `p${String(n)}`, milestones: proposal(state, step) },
    };
  const open = active.milestones.filter((m) => !released(state, m.milestoneId));
  const unfunded = open.find((m) => held(state, m.milestoneId) < m.amount);
  if (unfunded !== undefined)
    return {
      type: 'FundMilestone',
      actor: CLIENT,
      at,
      data: {
        milestoneId: unfunded.milestoneId,
        fundingId: `f${String(n)}`,
        source: pick(SOURCES, step.b) ?? 'card',
      },
    };
  const full = open[0];
  return full === undefined
    ? undefined
    : { type: 'ReleaseFunds', actor: CLIENT, at, data: { milestoneId: full.milestoneId } };
}

/** Plays steps against a fresh job `jobId` and returns the events `decide` wrote. */
export function playSteps(jobId: string, steps: readonly Step[]): JobEvent[] {
  const t0 = Date.UTC(2014, 10, 3, 9);
  const time = (i: number) => new Date(t0 + i * 3_600_000).toISOString().replace('.000Z', 'Z');
  let state = initialState();
  const events: JobEvent[] = [];
  const run = (command: JobCommandInput) => {
    try {
      const decided = decide(command, state);
      events.push(...decided);
      state = fold(decided, state);
    } catch (error) {
      if (!isDomainError(error)) throw error;
    }
  };
  run({
    type: 'AwardJob',
    actor: CLIENT,
    at: time(0),
    data: {
      jobId,
      title: `Job ${jobId}`,
      clientId: CLIENT,
      freelancerId: FREELANCER,
      currency: 'USD',
    },
  });
  steps.forEach((step, i) => {
    const at = time(i + 1);
    const command = commandFor(state, step, i + 1, at) ?? progress(state, i + 1, at, step);
    if (command !== undefined) run(command);
  });
  return events;
}

/** A valid history of one job, `jobId`, of up to `maxSteps` commands. */
export function historyArb(jobId = 'job', maxSteps = 40): fc.Arbitrary<JobEvent[]> {
  return fc
    .array(stepArb, { maxLength: maxSteps, size: 'max' })
    .map((steps) => playSteps(jobId, steps));
}

/** Several jobs' histories, and a random interleaving of them as a store's global read. */
export function globalReadArb(
  maxJobs = 4,
  maxSteps = 30,
): fc.Arbitrary<{ histories: Map<string, JobEvent[]>; read: StreamEvent[] }> {
  return fc
    .tuple(
      fc.array(fc.array(stepArb, { maxLength: maxSteps, size: 'max' }), {
        minLength: 1,
        maxLength: maxJobs,
      }),
      fc.array(fc.nat(), { maxLength: 400 }),
    )
    .map(([jobs, order]) => {
      const histories = new Map<string, JobEvent[]>();
      jobs.forEach((steps, j) =>
        histories.set(`stream-${String(j)}`, playSteps(`job-${String(j)}`, steps)),
      );
      return { histories, read: interleave(histories, order) };
    });
}

/** Merges streams into one global read, choosing the next stream by `order` (round robin after). */
export function interleave(
  histories: Map<string, JobEvent[]>,
  order: readonly number[],
): StreamEvent[] {
  const cursors = [...histories].map(([streamId, events]) => ({ streamId, events, next: 0 }));
  const read: StreamEvent[] = [];
  let i = 0;
  for (;;) {
    const open = cursors.filter((c) => c.next < c.events.length);
    if (open.length === 0) return read;
    const c = open[(order[i] ?? i) % open.length];
    i += 1;
    if (c === undefined) continue;
    const event = c.events[c.next] as JobEvent;
    c.next += 1;
    read.push({
      type: event.type,
      data: event.data,
      metadata: { streamId: c.streamId, streamPosition: c.next, globalPosition: read.length + 1 },
    });
  }
}

/** A valid history of one job, `jobId`, written by the toolkit's script writer: part two's too (awarded, as part one's always are). */
export function partTwoHistoryArb(jobId = 'job', maxSteps = 40): fc.Arbitrary<JobEvent[]> {
  return escrowArbitraries(fc, { jobId, clientId: CLIENT, freelancerId: FREELANCER })
    .history({ minSteps: 1, maxSteps })
    .map(({ events }) => [...events]);
}

/**
 * Several jobs' part-two histories (each its own `jobId`), and a global read of them. Longer than
 * part one's by default: a dispute is ruled only after an award, terms, a funding, an opening and
 * an escalation.
 */
export function partTwoGlobalReadArb(
  maxJobs = 4,
  maxSteps = 50,
): fc.Arbitrary<{ histories: Map<string, JobEvent[]>; read: StreamEvent[] }> {
  const jobs = Array.from({ length: maxJobs }, (_, j) =>
    partTwoHistoryArb(`job-${String(j)}`, maxSteps),
  );
  return fc
    .tuple(
      fc.integer({ min: 1, max: maxJobs }),
      fc.tuple(...jobs),
      fc.array(fc.nat(), { maxLength: 400 }),
    )
    .map(([count, all, order]) => {
      const histories = new Map<string, JobEvent[]>();
      all.slice(0, count).forEach((events, j) => histories.set(`stream-${String(j)}`, events));
      return { histories, read: interleave(histories, order) };
    });
}

/** Both generators, by name: for the properties that hold for any history. */
export const HISTORIES = [
  ['part one', historyArb],
  ['part two', partTwoHistoryArb],
] as const;

/** Both global reads, by name. */
export const GLOBAL_READS = [
  ['part one', globalReadArb],
  ['part two', partTwoGlobalReadArb],
] as const;
