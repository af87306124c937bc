import type { Draft } from 'immer';
import { assertNever } from '../shared/never.js';
import { tableWith } from '../shared/table.js';
import type { JobLifecycleEvent } from './events.js';
import { awardToKeep, type JobSlice } from './state.js';

/** Folds a job event into the job slice (a recipe: it changes the working copy it is given). */
export function evolveJob(working: Draft<JobSlice>, event: JobLifecycleEvent): void {
  switch (event.type) {
    case 'JobAwarded':
      working.award = awardToKeep(event.data);
      return;
    case 'WorkSubmitted':
      working.reviews = tableWith(working.reviews, event.data.milestoneId, 'submitted');
      return;
    case 'ChangesRequested':
      working.reviews = tableWith(working.reviews, event.data.milestoneId, 'changes-requested');
      return;
    case 'JobClosed':
      working.closedAt = event.data.at;
      return;
    default:
      assertNever(event, 'job event');
  }
}
