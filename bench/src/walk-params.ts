/*
 * What a generated job's walk is made of: its parameters (the small and the long job), and the
 * v1 form its events are written in.
 */
import type { JobEvent } from 'milestone-escrow';

/**
 * An event as part one wrote it: the award without a policy, a release without its fee (0 on
 * the default policy). The workloads measure v1 histories, as round one did (issue 13: part two
 * must not slow a v1 fold); `decide` now writes part two's fields on every award and release.
 */
export function toV1(event: JobEvent): JobEvent {
  if (event.type === 'JobAwarded' && event.data.policy !== undefined) {
    const { policy: _policy, ...data } = event.data;
    return { type: 'JobAwarded', data };
  }
  if (event.type === 'FundsReleased' && event.data.fee !== undefined) {
    if (event.data.fee !== 0) throw new Error('a v1 history has no fees');
    const { fee: _fee, ...data } = event.data;
    return { type: 'FundsReleased', data };
  }
  return event;
}

export interface WalkParams {
  /** Milestones in the first proposal. */
  readonly milestones: readonly [number, number];
  /** Weights of the top-level moves. */
  readonly weights: {
    readonly milestone: number;
    readonly change: number;
    readonly answer: number;
    readonly prefund: number;
    readonly withdraw: number;
    readonly close: number;
  };
  /** Weights of the moves on one milestone. */
  readonly milestoneWeights: {
    readonly fund: number;
    readonly submit: number;
    readonly requestChanges: number;
    readonly release: number;
    readonly refund: number;
  };
}

/** Jobs of 5–20 milestones, a few dozen events each when played to the end. */
export const SMALL_JOB: WalkParams = {
  milestones: [5, 20],
  weights: { milestone: 12, change: 1, answer: 6, prefund: 3, withdraw: 0.3, close: 20 },
  milestoneWeights: { fund: 5, submit: 3, requestChanges: 1.5, release: 4, refund: 0.4 },
};

/**
 * One job of 10,000 milestones that lives long: many fund/refund and review rounds per
 * milestone, releases rarer, and now and then a change of terms (each carrying all 10,000).
 */
export const LONG_JOB: WalkParams = {
  milestones: [10_000, 10_000],
  weights: { milestone: 20_000, change: 1, answer: 40, prefund: 40, withdraw: 2, close: 0 },
  milestoneWeights: { fund: 5, submit: 3, requestChanges: 2, release: 0.03, refund: 1.5 },
};
