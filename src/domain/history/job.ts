import type { JobEvent } from '../events.js';
import type { JobState } from '../state.js';
import type { JobAwarded, JobLifecycleEvent } from '../job/events.js';
import { NOTHING } from './compare.js';
import {
  checkAwardJob,
  checkCloseJob,
  checkRequestChanges,
  checkSubmitWork,
} from '../job/decide.js';
import type { Role } from '../shared/schema.js';
import { assertNever } from '../shared/never.js';

/**
 * Checks a stored award in place (R3, spec §1, §7: the checks `decideAward` makes). Its command's
 * actor is the client it names.
 */
export function checkAwardEvent(event: JobAwarded, state: JobState): void {
  checkAwardJob(state, event.data, event.data.clientId);
}

/**
 * Checks a stored review or closing in place against what its command requires (R12, R13: the
 * checks `decideJob` makes); none owes an event after it.
 */
export function checkJobEvent(
  event: Exclude<JobLifecycleEvent, { type: 'JobAwarded' }>,
  state: JobState,
  role: Role,
): readonly JobEvent[] {
  switch (event.type) {
    case 'WorkSubmitted':
      checkSubmitWork(state, role, event.data.milestoneId);
      return NOTHING;
    case 'ChangesRequested':
      checkRequestChanges(state, role, event.data.milestoneId);
      return NOTHING;
    case 'JobClosed':
      checkCloseJob(state, role);
      return NOTHING;
    default:
      return assertNever(event, 'job event');
  }
}
