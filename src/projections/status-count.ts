import { escrowOf, isSettled } from '../domain/escrow/state.js';
import type { JobEvent } from '../domain/events.js';
import type { JobState } from '../domain/state.js';
import type { Terms } from '../domain/terms/state.js';
import { milestoneIn } from '../domain/terms/state.js';
import type { JobStatus } from './summary.js';

/*
 * `statusOf` for a projection that reads the status after every event (the timeline): `statusOf`
 * walks the active milestones (are all released or settled? does one hold money?), so a job whose
 * thousands of milestones are released in order cost O(milestones²). This keeps the two answers
 * as counts, updated from the one milestone an event names; new active terms are counted afresh,
 * once per acceptance.
 */

// A milestone's part in the counts: NOT_DONE if it is neither released nor settled, BEGUN if it
// holds or has released money; 0 for a milestone outside the active terms.
const NOT_DONE = 1;
const BEGUN = 2;

/** A milestone's part in the counts, for a milestone of the active terms. */
function partOfActive(state: JobState, milestoneId: string): number {
  const money = escrowOf(state.escrow, milestoneId);
  const done = money.released > 0 || isSettled(state.escrow, milestoneId);
  return (done ? 0 : NOT_DONE) | (money.held > 0 || money.released > 0 ? BEGUN : 0);
}

function partOf(state: JobState, milestoneId: string): number {
  if (milestoneIn(state.terms.active, milestoneId) === undefined) return 0;
  return partOfActive(state, milestoneId);
}

/** The job's status from its counts: the one place the statuses are decided (spec §5, §11). */
function statusFrom(state: JobState, notDone: number, begun: number): JobStatus {
  if (state.job.closedAt !== null) return 'closed';
  if (state.terms.active === null) return 'awarded';
  if (notDone === 0) return 'completed';
  return begun > 0 ? 'in-progress' : 'awaiting-funding';
}

/** The status of a state, its active milestones counted (what `statusOf` in summary.ts reads). */
export function countedStatus(state: JobState): JobStatus {
  let notDone = 0;
  let begun = 0;
  for (const m of state.terms.active?.milestones ?? []) {
    const part = partOfActive(state, m.milestoneId);
    if (part & NOT_DONE) notDone += 1;
    if (part & BEGUN) begun += 1;
  }
  return statusFrom(state, notDone, begun);
}

/** The status of a job folded event by event, at a cost per event that the job's size leaves alone. */
export interface StatusCount {
  /** `statusOf(state)`, for the state whose every event went through `before` and `after`. */
  statusOf(state: JobState): JobStatus;
  /** Reads the part of the milestone `event` names, before `state` takes the event. */
  before(state: JobState, event: JobEvent): void;
  /** Updates the counts once `state` took the event given to `before`. */
  after(state: JobState): void;
}

/** A {@link StatusCount} from the empty job. */
// Closures rather than a class: their names minify (the projections entry is near its budget).
export function statusCount(): StatusCount {
  let active: Terms | null = null;
  let notDone = 0;
  let begun = 0;
  let milestoneId: string | undefined;
  let was = 0;
  const add = (part: number, sign: number): void => {
    if (part & NOT_DONE) notDone += sign;
    if (part & BEGUN) begun += sign;
  };
  return {
    statusOf(state) {
      return statusFrom(state, notDone, begun);
    },
    before(state, event) {
      // Every event that moves a milestone's money (funded, released, refunded, settled) names it.
      milestoneId = 'milestoneId' in event.data ? event.data.milestoneId : undefined;
      was = milestoneId === undefined ? 0 : partOf(state, milestoneId);
    },
    after(state) {
      if (state.terms.active !== active) {
        // New terms (an acceptance sets a new object): counted afresh.
        active = state.terms.active;
        notDone = 0;
        begun = 0;
        for (const m of active?.milestones ?? []) add(partOf(state, m.milestoneId), 1);
      } else if (milestoneId !== undefined) {
        add(was, -1);
        add(partOf(state, milestoneId), 1);
      }
    },
  };
}
