import { fact, nullable, oneOf, record, table, text } from '../shared/shape.js';
import { noIds, type IdTable } from '../shared/table.js';
import type { JobAwarded } from './events.js';

/** Where a milestone's work stands (R12). */
export type ReviewStatus = 'none' | 'submitted' | 'changes-requested';

/** The job's own slice: who the parties are, whether it is closed, the review of each milestone. */
export interface JobSlice {
  /** The award (parties, currency); `null` until `JobAwarded`. */
  readonly award: JobAwarded['data'] | null;
  /** When the job was closed; `null` while it is open. */
  readonly closedAt: string | null;
  /** The review status of every milestone that has had one. */
  readonly reviews: IdTable<ReviewStatus>;
}

/** The job slice's shape (see shared/shape.ts): what freezing, copying and snapshots know of it. */
export const jobSliceShape = record<JobSlice>({
  award: nullable(
    fact<JobAwarded['data']>({
      jobId: text,
      title: text,
      clientId: text,
      freelancerId: text,
      currency: text,
      at: text,
    }),
  ),
  closedAt: nullable(text),
  reviews: table(oneOf<ReviewStatus>('none', 'submitted', 'changes-requested')),
});

/** A new job's slice: not awarded, open, no reviews. */
export function initialJobSlice(): JobSlice {
  return { award: null, closedAt: null, reviews: noIds() };
}

/**
 * The award as the state keeps it: the event's own data when it is frozen (shared, as facts are),
 * otherwise a frozen copy, so that freezing the state never freezes the caller's object.
 */
export function awardToKeep(award: JobAwarded['data']): JobAwarded['data'] {
  return Object.isFrozen(award) ? award : Object.freeze({ ...award });
}
