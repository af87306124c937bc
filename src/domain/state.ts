import { escrowSliceShape, initialEscrowSlice, type EscrowSlice } from './escrow/state.js';
import { initialJobSlice, jobSliceShape, type JobSlice } from './job/state.js';
import { count, record } from './shared/shape.js';
import { fail, isDomainError } from './shared/errors.js';
import { describe, excerpt, thrownText } from './shared/parse.js';
import { initialTermsSlice, termsSliceShape, type TermsSlice } from './terms/state.js';
import { disputeSliceShape, initialDisputeSlice, type DisputeSlice } from './dispute/state.js';
import { initialReviewSlice, reviewSliceShape, type ReviewSlice } from './review/state.js';

/**
 * The state of one job stream: each decider's slice, and the stream's version (the number of
 * events folded). Plain JSON data; frozen whenever the library hands it out.
 * @category State
 */
export interface JobState {
  readonly version: number;
  readonly job: JobSlice;
  readonly terms: TermsSlice;
  readonly escrow: EscrowSlice;
  /** Part two: the job's disputes (R16–R21). */
  readonly dispute: DisputeSlice;
  /** Part two: the milestones' review clocks (R14). */
  readonly review: ReviewSlice;
}

/** A fresh, mutable empty state (frozen by the callers that hand it out). */
export function emptyState(): JobState {
  return {
    version: 0,
    job: initialJobSlice(),
    terms: initialTermsSlice(),
    escrow: initialEscrowSlice(),
    dispute: initialDisputeSlice(),
    review: initialReviewSlice(),
  };
}

/**
 * The state's shape, declared once (see shared/shape.ts): working copies, the snapshot
 * data and its validation, and the snapshot version's fingerprint are all derived from it.
 */
export const jobStateShape = record<JobState>({
  version: count,
  job: jobSliceShape,
  terms: termsSliceShape,
  escrow: escrowSliceShape,
  dispute: disputeSliceShape,
  review: reviewSliceShape,
});

/**
 * Reads a state handed to a public function (`deadlines`, `summarize`, …): a value that is not a
 * job state at its top (`null`, a number, `{}`, a slice of the wrong kind: `looksLike`, a few
 * dozen reads, never a walk of its tables) is `INVALID_INPUT` at `path`, and so is a state that
 * passes that check but holds what no fold makes (a TypeError, or a getter's error, in `read`).
 * The library's own callers, folding event by event, call the unchecked function.
 */
export function readState<T>(state: unknown, read: (state: JobState) => T, path = 'state'): T {
  try {
    if (!jobStateShape.looksLike(state)) throw new TypeError(`not ${describe(state)}`);
    return read(state as JobState);
  } catch (error) {
    if (isDomainError(error)) throw error;
    return fail(
      'INVALID_INPUT',
      `${path} must be a job state (as fold, decide, a load or a snapshot gives it): ${excerpt(thrownText(error))}`,
      { path },
    );
  }
}
