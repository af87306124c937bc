import type { Draft } from 'immer';
import { assertNever } from '../shared/never.js';
import { tableWith } from '../shared/table.js';
import type { JobLifecycleEvent } from './events.js';
import { frozenAward, type JobSlice } from './state.js';

/** Folds a job event into the job slice (a recipe: it mutates the working copy it is given). */
export function evolveJob(draft: Draft<JobSlice>, event: JobLifecycleEvent): void {
  switch (event.type) {
    case 'JobAwarded':
      // Shared when frozen; otherwise a frozen copy (it holds only strings), never the caller's object.
      draft.award = frozenAward(event.data);
      return;
    case 'WorkSubmitted':
      draft.reviews = tableWith(draft.reviews, event.data.milestoneId, 'submitted');
      return;
    case 'ChangesRequested':
      draft.reviews = tableWith(draft.reviews, event.data.milestoneId, 'changes-requested');
      return;
    case 'JobClosed':
      draft.closedAt = event.data.at;
      return;
    default:
      assertNever(event, 'job event');
  }
}
