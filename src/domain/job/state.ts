import { count, fact, nullable, oneOf, optional, record, table, text } from '../shared/shape.js';
import type { Policy } from './policy.js';
import { freezeTable, noIds, type IdTable } from '../shared/table.js';
import type { JobAwarded } from './events.js';

/**
 * Where a milestone's work stands (R12).
 * @category State
 */
export type ReviewStatus = 'none' | 'submitted' | 'changes-requested';

/**
 * The job's own slice: who the parties are, whether it is closed, the review of each milestone.
 * @category State
 */
export interface JobSlice {
  /** The award (parties, currency); `null` until `JobAwarded`. */
  readonly award: JobAwarded['data'] | null;
  /** When the job was closed; `null` while it is open. */
  readonly closedAt: string | null;
  /** The review status of every milestone that has had one. */
  readonly reviews: IdTable<ReviewStatus>;
  /** The `at` of the job's last event: a command may not go back before it (spec §7). */
  readonly lastAt: string | null;
}

/** The job slice's shape (see shared/shape.ts): what copying and snapshots know of it. */
export const jobSliceShape = record<JobSlice>({
  award: nullable(
    fact<JobAwarded['data']>({
      jobId: text,
      title: text,
      clientId: text,
      freelancerId: text,
      currency: text,
      platformId: optional(text),
      policy: optional(
        fact<Policy>({ reviewDays: count, disputeResponseDays: count, serviceFeeBps: count }),
      ),
      maxMilestones: optional(count),
      at: text,
    }),
  ),
  closedAt: nullable(text),
  reviews: table(oneOf<ReviewStatus>('none', 'submitted', 'changes-requested')),
  lastAt: nullable(text),
});

/** A new job's slice: not awarded, open, no reviews. */
export function initialJobSlice(): JobSlice {
  return { award: null, closedAt: null, reviews: noIds(), lastAt: null };
}

/**
 * The award as the state keeps it: the event's own data when it is frozen (shared, as facts are),
 * otherwise a frozen copy, so that freezing the state never freezes the caller's object.
 */
export function awardToKeep(award: JobAwarded['data']): JobAwarded['data'] {
  // Its policy (part two) is the one object inside: frozen with it, or copied with it.
  const policy = award.policy;
  if (Object.isFrozen(award) && (policy === undefined || Object.isFrozen(policy))) return award;
  return Object.freeze(
    policy === undefined ? { ...award } : { ...award, policy: Object.freeze({ ...policy }) },
  );
}

/**
 * Freezes a working copy's job slice in place. Written out rather than derived from the shape:
 * the derived freeze cost a realistic fold 27 % (bench/RESULTS.md); a property test holds every
 * fold's state frozen all the way down, so a field this forgets fails it.
 */
export function freezeJobSlice(job: JobSlice): void {
  const working = job as { -readonly [K in keyof JobSlice]: JobSlice[K] };
  if (working.award !== null) {
    if (working.award.policy !== undefined) Object.freeze(working.award.policy);
    Object.freeze(working.award);
  }
  working.reviews = freezeTable(working.reviews);
  Object.freeze(working);
}
