/*
 * Realistic job histories, made by deciding commands: a seeded random walk over the commands
 * that are valid in the job's current state (award, first terms, counter-proposals, declines,
 * prefunds, fundings, reviews, releases, refunds by the freelancer, changed terms that add,
 * delete, raise, reduce and re-date milestones, closing). Every command goes through the
 * library's `decide`; its events are folded in place by the history checker (so generation is
 * linear in the history's length, and every generated history is checked as it is made). The
 * walk is job-walk.ts's, its parameters walk-params.ts's.
 */
import type { JobEvent, JobState, Milestone } from 'milestone-escrow';
// The id tables are the library's internals: the bench reads them straight from the source.
import { tableGet } from '../../src/domain/shared/table.js';
import { JobWalk } from './job-walk.js';
import { createRandom } from './prng.js';
import { LONG_JOB, SMALL_JOB, type WalkParams } from './walk-params.js';

/**
 * Bump when the walk changes: cached histories carry it in their file name. 2: the histories are
 * v1 again (`toV1`); under 1, histories generated after part two carried a policy on every award.
 */
export const GENERATOR_VERSION = 2;

const START = Date.UTC(2024, 0, 1);

/**
 * `count` realistic jobs of 5–20 milestones, each played until it has 4–16 events (10 on
 * average) or is closed: a snapshot of a marketplace where most jobs are under way.
 */
export function* realisticJobs(count: number, seed: number): Generator<JobEvent[]> {
  const rnd = createRandom(seed);
  for (let j = 0; j < count; j++) {
    const events: JobEvent[] = [];
    const walk = new JobWalk(
      rnd,
      SMALL_JOB,
      `job-${String(j).padStart(6, '0')}`,
      START + j * 60_000,
      (e) => events.push(e),
    );
    const target = rnd.int(4, 16);
    while (walk.count < target && walk.step());
    walk.finish();
    yield events;
  }
}

/** A job of `params.milestones` milestones played until it has at least `events` events. */
export function longJob(
  events: number,
  seed: number,
  sink: (event: JobEvent) => void,
  params: WalkParams = LONG_JOB,
): { state: JobState; rejected: number; count: number } {
  const rnd = createRandom(seed);
  const walk = new JobWalk(rnd, params, 'job-long', START, sink);
  while (walk.count < events && walk.step());
  return { state: walk.finish(), rejected: walk.rejected, count: walk.count };
}

/**
 * A job of exactly `n` milestones, no releases (so every milestone stays open to funding and
 * review) and a rare change of terms: how the costs grow with the state's size.
 */
export function sizedJobParams(n: number): WalkParams {
  return {
    milestones: [n, n],
    weights: { milestone: 20_000, change: 1, answer: 40, prefund: 40, withdraw: 2, close: 0 },
    milestoneWeights: { fund: 5, submit: 3, requestChanges: 2, release: 0, refund: 1.5 },
  };
}

/**
 * `count` jobs of exactly `length` events (5–20 milestones, realistic walk), each with active
 * terms and a milestone left to fund: the jobs the handle workload sends one command to.
 */
export function* jobsOfLength(length: number, count: number, seed: number): Generator<JobEvent[]> {
  const rnd = createRandom(seed);
  let made = 0;
  for (let j = 0; made < count; j++) {
    const events: JobEvent[] = [];
    const walk = new JobWalk(
      rnd,
      SMALL_JOB,
      `job-${String(length)}-${String(j).padStart(6, '0')}`,
      START + j * 60_000,
      (e) => events.push(e),
    );
    while (walk.count < length && walk.step());
    const state = walk.finish();
    if (events.length !== length || fundableMilestone(state) === undefined) continue;
    made += 1;
    yield events;
  }
}

/** An active, unreleased milestone that holds less than its amount, if any (first such). */
export function fundableMilestone(state: JobState): Milestone | undefined {
  const active = state.terms.active;
  if (active === null || state.job.closedAt !== null) return undefined;
  for (const m of active.milestones) {
    const e = tableGet(state.escrow.milestones, m.milestoneId);
    if (e === undefined || (e.released === 0 && e.held < m.amount)) return m;
  }
  return undefined;
}
