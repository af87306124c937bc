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
  /** The `at` of the job's last event: a command may not go back before it (spec §7). */
  readonly lastAt: string | null;
}

export function initialJobSlice(): JobSlice {
  return { award: null, closedAt: null, reviews: noIds(), lastAt: null };
}

/**
 * The award as the state keeps it: shared when frozen (a frozen event's data is frozen all the
 * way down), else a frozen copy, its policy copied too, so freezing never reaches the caller's
 * object.
 */
export function frozenAward(data: JobAwarded['data']): JobAwarded['data'] {
  if (Object.isFrozen(data) && (data.policy === undefined || Object.isFrozen(data.policy)))
    return data;
  const policy = data.policy;
  return Object.freeze(
    policy === undefined ? { ...data } : { ...data, policy: Object.freeze({ ...policy }) },
  );
}
