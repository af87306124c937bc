import type { Draft } from 'immer';
import { deepFreeze } from '../domain/shared/freeze.js';
import { freezeState, workingCopy } from '../domain/freeze-state.js';
import { applyEvent } from '../domain/decider.js';
import { emptyState, type JobState } from '../domain/state.js';
import type { Projection } from './projection.js';
import { summaryOf, type JobSummary } from './summary.js';

/*
 * The job's own state and its spec §5 summary as projections, so that a global read of many
 * jobs can be summarized in one pass (`projectAll(summaryProjection, store.readAll())`).
 */

/** The job's state (what `fold` returns), as a projection. */
export const jobStateProjection: Projection<JobState, JobState> = {
  name: 'job-state',
  initial: emptyState,
  apply: (acc, event) => {
    applyEvent(acc as Draft<JobState>, event);
  },
  // A frozen copy: the accumulator stays private and mutable.
  view: (acc) => freezeState(workingCopy(acc)),
};

/** The spec's JSON summary (§5), as a projection: `summarize` of the job's state. */
export const summaryProjection: Projection<JobState, JobSummary> = {
  name: 'summary',
  initial: emptyState,
  apply: (acc, event) => {
    jobStateProjection.apply(acc, event);
  },
  // `summarize` builds new objects throughout, so freezing them never freezes the accumulator.
  view: (acc) => deepFreeze(summaryOf(acc)),
};
