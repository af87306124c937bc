import { initialEscrowSlice, type EscrowSlice } from './escrow/state.js';
import { initialJobSlice, type JobSlice } from './job/state.js';
import { initialTermsSlice, type TermsSlice } from './terms/state.js';
import { initialDisputeSlice, type DisputeSlice } from './dispute/state.js';
import { initialReviewSlice, type ReviewSlice } from './review/state.js';

/**
 * The state of one job stream: each decider's slice, and the stream's version (the number of
 * events folded). Plain JSON data; frozen whenever the library hands it out.
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
