import type { Milestone, Role } from '../shared/schema.js';
import { own, type IdRecord } from '../shared/records.js';

/** An ordered milestone list with its position index (so a lookup does not scan the list). */
export interface Terms {
  readonly proposalId: string;
  readonly milestones: readonly Milestone[];
  /** milestoneId → position in `milestones`. */
  readonly index: IdRecord<number>;
}

/** Terms a party has proposed and the other has not yet answered. */
export interface Proposal extends Terms {
  readonly by: Role;
  readonly at: string;
}

/** The terms slice: the active terms, the pending proposal, and the ids used so far. */
export interface TermsSlice {
  /** The terms both parties accepted; `null` before the first acceptance. */
  readonly active: Terms | null;
  /** The proposal awaiting the other party's answer (R3: at most one). */
  readonly pending: Proposal | null;
  /** Every proposal id used in the job (R5: never reused). */
  readonly proposalIds: IdRecord<true>;
  /** Milestone ids deleted from active terms (R5: never reused). */
  readonly retiredMilestoneIds: IdRecord<true>;
}

export function initialTermsSlice(): TermsSlice {
  return { active: null, pending: null, proposalIds: {}, retiredMilestoneIds: {} };
}

/** The milestone with this id in these terms, if any. */
export function milestoneIn(terms: Terms | null, milestoneId: string): Milestone | undefined {
  if (terms === null) return undefined;
  const at = own(terms.index, milestoneId);
  return at === undefined ? undefined : terms.milestones[at];
}

/** Builds the position index of a milestone list. */
export function indexOf(milestones: readonly Milestone[]): IdRecord<number> {
  const index: IdRecord<number> = {};
  milestones.forEach((m, i) => {
    index[m.milestoneId] = i;
  });
  return index;
}
