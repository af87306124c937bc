import type { Draft } from 'immer';
import type { JobEvent } from '../events.js';
import type { JobState } from '../state.js';
import { disputeOf } from '../dispute/state.js';
import { tableEntries, tableGet, tableIsEmpty, tableWith } from '../shared/table.js';
import { instantMs } from '../shared/time.js';
import { assertNever } from '../shared/never.js';
import { clockMotion } from './clock.js';
import type { ReviewClock } from './state.js';

/**
 * Moves one milestone's review clock to what the state after an event says it does (R14): it
 * starts at the event's `at`, pauses keeping the time run, or resets to zero.
 */
function tick(draft: Draft<JobState>, milestoneId: string, at: string): void {
  const state = draft as JobState;
  const clock = tableGet(state.review.clocks, milestoneId) ?? null;
  const motion = clockMotion(state, milestoneId);
  let next: ReviewClock | null = clock;
  if (motion === 'reset') next = null;
  else if (motion === 'paused') {
    // Time run never counts backwards (a v1 history's instants may go back).
    if (clock !== null && clock.since !== null)
      next = { ran: clock.ran + Math.max(0, instantMs(at) - instantMs(clock.since)), since: null };
  } else if (clock === null || clock.since === null) next = { ran: clock?.ran ?? 0, since: at };
  if (next !== clock) draft.review.clocks = tableWith(draft.review.clocks, milestoneId, next);
}

/**
 * Moves the clock of every milestone new terms may raise, drop or keep while submitted: the
 * active ones under review and every clock that has run (any other clock is reset and stays so).
 */
function tickAfterTerms(draft: Draft<JobState>, at: string): void {
  const state = draft as JobState;
  const ids = new Set<string>();
  for (const m of state.terms.active?.milestones ?? [])
    if (tableGet(state.job.reviews, m.milestoneId) === 'submitted') ids.add(m.milestoneId);
  for (const [id, clock] of tableEntries(state.review.clocks)) if (clock !== null) ids.add(id);
  for (const id of ids) tick(draft, id, at);
}

/**
 * Folds an event into the review clocks, after the event's own slice took it (a recipe: it
 * mutates the working copy). It reads the whole state, as R14 does.
 */
export function evolveReview(draft: Draft<JobState>, event: JobEvent): void {
  // No work was ever submitted (every v1 fold of a job without reviews): no clock can move.
  if (tableIsEmpty(draft.job.reviews)) return;
  switch (event.type) {
    case 'WorkSubmitted':
    case 'ChangesRequested':
    case 'MilestoneFunded':
    case 'FundsReleased':
    case 'FundsRefunded':
    case 'DisputeOpened':
    case 'DisputeSettled':
    case 'ReviewExpired':
      tick(draft, event.data.milestoneId, event.data.at);
      return;
    case 'DisputeWithdrawn': {
      const dispute = disputeOf(draft.dispute, event.data.disputeId);
      if (dispute !== undefined) tick(draft, dispute.milestoneId, event.data.at);
      return;
    }
    case 'TermsAccepted':
      tickAfterTerms(draft, event.data.at);
      return;
    case 'JobAwarded':
    case 'TermsProposed':
    case 'TermsDeclined':
    case 'TermsWithdrawn':
    case 'SettlementProposed':
    case 'DisputeEscalated':
    case 'JobClosed':
      return;
    default:
      assertNever(event, 'event');
  }
}
