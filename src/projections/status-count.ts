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

function partOf(state: JobState, milestoneId: string): number {
  if (milestoneIn(state.terms.active, milestoneId) === undefined) return 0;
  const money = escrowOf(state.escrow, milestoneId);
  const done = money.released > 0 || isSettled(state.escrow, milestoneId);
  return (done ? 0 : NOT_DONE) | (money.held > 0 || money.released > 0 ? BEGUN : 0);
}

/** The status of a job folded event by event, at a cost per event that the job's size leaves alone. */
export class StatusCount {
  private active: Terms | null = null;
  private notDone = 0;
  private begun = 0;
  private milestoneId: string | undefined;
  private was = 0;

  /** `statusOf(state)`, for the state whose every event went through `before` and `after`. */
  statusOf(state: JobState): JobStatus {
    if (state.job.closedAt !== null) return 'closed';
    if (state.terms.active === null) return 'awarded';
    if (this.notDone === 0) return 'completed';
    return this.begun > 0 ? 'in-progress' : 'awaiting-funding';
  }

  /** Reads the part of the milestone `event` names, before `state` takes the event. */
  before(state: JobState, event: JobEvent): void {
    // Every event that moves a milestone's money (funded, released, refunded, settled) names it.
    this.milestoneId = 'milestoneId' in event.data ? event.data.milestoneId : undefined;
    this.was = this.milestoneId === undefined ? 0 : partOf(state, this.milestoneId);
  }

  /** Updates the counts once `state` took the event given to `before`. */
  after(state: JobState): void {
    const active = state.terms.active;
    if (active !== this.active) {
      // New terms (an acceptance sets a new object): counted afresh.
      this.active = active;
      this.notDone = 0;
      this.begun = 0;
      for (const m of active?.milestones ?? []) this.add(partOf(state, m.milestoneId), 1);
    } else if (this.milestoneId !== undefined) {
      this.add(this.was, -1);
      this.add(partOf(state, this.milestoneId), 1);
    }
  }

  private add(part: number, sign: number): void {
    if (part & NOT_DONE) this.notDone += sign;
    if (part & BEGUN) this.begun += sign;
  }
}
