import { allFrozen } from '../shared/freeze.js';
import type { Milestone, Role } from '../shared/schema.js';
import { count, fact, idSet, list, nullable, oneOf, record, text } from '../shared/shape.js';
import { freezeTable, noIds, type IdTable } from '../shared/table.js';

/**
 * An ordered milestone list, as a proposal made it.
 * @category State
 */
export interface Terms {
  readonly proposalId: string;
  readonly milestones: readonly Milestone[];
}

/**
 * Terms a party has proposed and the other has not yet answered.
 * @category State
 */
export interface Proposal extends Terms {
  readonly by: Role;
  readonly at: string;
}

/**
 * The terms slice: the active terms, the pending proposal, and the ids used so far.
 * @category State
 */
export interface TermsSlice {
  /** The terms both parties accepted; `null` before the first acceptance. */
  readonly active: Terms | null;
  /** The proposal awaiting the other party's answer (R3: at most one). */
  readonly pending: Proposal | null;
  /** Every proposal id used in the job (R5: never reused). */
  readonly proposalIds: IdTable<true>;
  /** Milestone ids deleted from active terms (R5: never reused). */
  readonly retiredMilestoneIds: IdTable<true>;
}

const milestones = list(
  fact<Milestone>({
    milestoneId: text,
    title: text,
    description: text,
    dueDate: text,
    amount: count,
  }),
);

/** The terms slice's shape (see shared/shape.ts): what copying and snapshots know of it. */
export const termsSliceShape = record<TermsSlice>({
  active: nullable(fact<Terms>({ proposalId: text, milestones })),
  pending: nullable(
    fact<Proposal>({
      proposalId: text,
      milestones,
      by: oneOf<Role>('client', 'freelancer'),
      at: text,
    }),
  ),
  proposalIds: idSet(),
  retiredMilestoneIds: idSet(),
});

/** A new job's terms: none active, none pending, no ids used. */
export function initialTermsSlice(): TermsSlice {
  return { active: null, pending: null, proposalIds: noIds(), retiredMilestoneIds: noIds() };
}

// Lookups by id are memoised per milestone list: the lists are never changed in place (a
// proposal brings a new one), and keeping the index out of the state keeps folding and freezing cheap.
const positions = new WeakMap<readonly Milestone[], Map<string, Milestone>>();
// The last list looked up and its index: the list is never changed, so the pair stays true (it
// keeps one list alive until another is looked up).
let lastList: readonly Milestone[] | undefined;
let lastById: ReadonlyMap<string, Milestone> = new Map();

/**
 * The milestones of a list by id (memoised). With duplicate ids the map is smaller than the
 * list; such a list is never accepted into the state.
 */
export function milestonesById(milestones: readonly Milestone[]): ReadonlyMap<string, Milestone> {
  // The list asked last is asked again most often (a fold reads the active terms event after
  // event): a pointer compare answers before the weak map's lookup.
  if (milestones === lastList) return lastById;
  let byId = positions.get(milestones);
  if (byId === undefined) {
    byId = new Map();
    for (const m of milestones) if (!byId.has(m.milestoneId)) byId.set(m.milestoneId, m);
    positions.set(milestones, byId);
  }
  lastList = milestones;
  lastById = byId;
  return byId;
}

// Up to this many milestones a list is searched in place: cheaper than building (and keeping
// track of) an index, which for a list of 15 costs about what 200 comparisons do.
const SCAN_MAX = 32;

/** The first milestone with this id in a list, if any. */
export function milestoneInList(
  milestones: readonly Milestone[],
  milestoneId: string,
): Milestone | undefined {
  if (milestones.length > SCAN_MAX) return milestonesById(milestones).get(milestoneId);
  for (const m of milestones) if (m.milestoneId === milestoneId) return m;
  return undefined;
}

/** The milestone with this id in these terms, if any. */
export function milestoneIn(terms: Terms | null, milestoneId: string): Milestone | undefined {
  return terms === null ? undefined : milestoneInList(terms.milestones, milestoneId);
}

/**
 * The ids of the milestones whose amount differs between two terms, counting a milestone in one
 * and not the other (as an amount and none): what an acceptance can change for a milestone.
 */
export function milestonesMoved(before: Terms | null, after: Terms | null): string[] {
  const was = before?.milestones ?? [];
  const now = after?.milestones ?? [];
  const moved: string[] = [];
  // New terms mostly list the milestones in the same order: compare position by position, and
  // look ids up only from the first position where the lists part.
  let same = 0;
  while (same < was.length && same < now.length) {
    const a = was[same] as Milestone;
    const b = now[same] as Milestone;
    if (a.milestoneId !== b.milestoneId) break;
    if (a.amount !== b.amount) moved.push(b.milestoneId);
    same += 1;
  }
  if (same === was.length && same === now.length) return moved;
  // Each loop looks up one list: its index is the one `milestonesById` remembers last.
  for (let i = same; i < now.length; i++) {
    const m = now[i] as Milestone;
    if (milestoneIn(before, m.milestoneId)?.amount !== m.amount) moved.push(m.milestoneId);
  }
  for (let i = same; i < was.length; i++) {
    const m = was[i] as Milestone;
    if (milestoneIn(after, m.milestoneId) === undefined) moved.push(m.milestoneId);
  }
  return moved;
}

// The ids of the list `hasDuplicateIds` is scanning, reused: comparing the ids out of a flat array
// took a third of the time of reading them out of the milestones at each comparison (a list of
// 12 in 200 ns instead of 540; a Set cleared per list took 440).
const scratchIds: string[] = [];

/** True when two milestones of a list share an id. */
export function hasDuplicateIds(milestones: readonly Milestone[]): boolean {
  const n = milestones.length;
  if (n > SCAN_MAX) return milestonesById(milestones).size !== n;
  const ids = scratchIds;
  for (let i = 0; i < n; i++) {
    const id = (milestones[i] as Milestone).milestoneId;
    for (let j = 0; j < i; j++) if (ids[j] === id) return true;
    ids[i] = id;
  }
  return false;
}

/**
 * The milestone with this id in `milestones` (a list without duplicate ids), looked for first at
 * `hint` (where a list that keeps another's order holds it), then anywhere. Proposals mostly carry
 * the active milestones in their order, so comparing a whole list this way costs one probe per
 * milestone, not a scan.
 */
export function milestoneNear(
  milestones: readonly Milestone[],
  milestoneId: string,
  hint: number,
): Milestone | undefined {
  if (hint < milestones.length) {
    const there = milestones[hint] as Milestone;
    if (there.milestoneId === milestoneId) return there;
  }
  return milestoneInList(milestones, milestoneId);
}

/**
 * A milestone list as the state keeps it: shared when it is frozen all the way down (an event
 * from decide, parseEvent or a store), otherwise copied, so that freezing the state never freezes
 * the caller's objects.
 */
export function milestonesToKeep(milestones: Milestone[]): Milestone[] {
  if (allFrozen(milestones)) return milestones;
  return milestones.map(({ milestoneId, title, description, dueDate, amount }) => ({
    milestoneId,
    title,
    description,
    dueDate,
    amount,
  }));
}

function freezeTerms(terms: Terms | null): void {
  if (terms === null) return;
  // A list shared with a frozen event is frozen already, all the way down.
  if (!Object.isFrozen(terms.milestones)) {
    for (const m of terms.milestones) Object.freeze(m);
    Object.freeze(terms.milestones);
  }
  Object.freeze(terms);
}

/**
 * Freezes a working copy's terms slice in place (written out for speed, as `freezeJobSlice` is,
 * and held to the shape by the same property test).
 */
export function freezeTermsSlice(terms: TermsSlice): void {
  const working = terms as { -readonly [K in keyof TermsSlice]: TermsSlice[K] };
  freezeTerms(working.active);
  freezeTerms(working.pending);
  working.proposalIds = freezeTable(working.proposalIds);
  working.retiredMilestoneIds = freezeTable(working.retiredMilestoneIds);
  Object.freeze(working);
}
