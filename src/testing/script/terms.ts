import { tableHas } from '../../domain/shared/table.js';
import type { Milestone } from '../../domain/shared/schema.js';
import { milestoneIn } from '../../domain/terms/state.js';
import { DESCRIPTIONS, TITLES, calendarDate, type Rng } from './rng.js';
import type { ScriptWriter } from './writer.js';

/*
 * The milestone lists of generated proposals: the list a proposal answers, edited one to three
 * times (R4), with every frozen milestone carried unchanged (R5, R17, R21).
 */

/** The edits a proposal makes to the list it answers, as often as they appear here. */
const EDITS = [
  'reduce',
  'reduce',
  'raise',
  'delete',
  'delete',
  'add',
  'add',
  'redate',
  'retitle',
  'swap',
  'revive',
] as const;
type Edit = (typeof EDITS)[number];

/**
 * A valid milestone list: the base (the pending proposal or the active terms) with one to three
 * edits (R4), every frozen milestone carried unchanged unless `keepFrozen` is false.
 */
export function termsList(w: ScriptWriter, rng: Rng, keepFrozen: boolean): Milestone[] {
  const { active, pending } = w.state.terms;
  const base = pending ?? active;
  if (base === null) return Array.from({ length: 1 + rng.int(5) }, () => w.freshMilestone(rng));
  const list = base.milestones.map((m) => ({ ...m }));
  const frozen = keepFrozen ? w.frozenMilestones() : [];
  const frozenIds = new Set(frozen.map((m) => m.milestoneId));
  for (const r of frozen) {
    const i = list.findIndex((m) => m.milestoneId === r.milestoneId);
    if (i >= 0) list[i] = { ...r };
    else list.splice(rng.int(list.length + 1), 0, { ...r });
  }
  const editable = (): number[] =>
    list.flatMap((m, i) => (frozenIds.has(m.milestoneId) ? [] : [i]));
  const edits = 1 + rng.int(3);
  for (let e = 0; e < edits; e++) {
    const targets = editable();
    const kind = rng.pick(EDITS);
    // Changes to money aim at funded milestones more often than not: that is where R9 refunds
    // and top-ups (a raise, then a second funding) happen.
    const funded = targets.filter((t) => w.held(list[t]?.milestoneId ?? '') > 0);
    const aimed =
      (kind === 'reduce' || kind === 'raise' || kind === 'delete') &&
      funded.length > 0 &&
      rng.chance(0.6)
        ? funded
        : targets;
    const i = aimed.length > 0 ? rng.pick(aimed) : -1;
    edit(w, list, kind, i, rng);
  }
  return list;
}

/** One edit of a proposal's list (R4): `i` is the milestone it aims at, if any. */
function edit(w: ScriptWriter, list: Milestone[], kind: Edit, i: number, rng: Rng): void {
  const m = list[i];
  switch (kind) {
    case 'reduce':
      if (m !== undefined && m.amount > 1) m.amount = 1 + rng.int(m.amount - 1);
      break;
    case 'raise':
      if (m !== undefined) m.amount += rng.pick([100, 2500, 7500, 1 + rng.int(10_000)]);
      break;
    case 'delete':
      if (m !== undefined && list.length > 1) list.splice(i, 1);
      break;
    case 'add':
      list.splice(rng.int(list.length + 1), 0, w.freshMilestone(rng));
      break;
    case 'redate':
      if (m !== undefined) m.dueDate = calendarDate(rng.int(60));
      break;
    case 'retitle':
      if (m !== undefined) {
        m.title = rng.pick(TITLES);
        m.description = rng.pick(DESCRIPTIONS);
      }
      break;
    case 'swap':
      swap(list, rng.int(list.length), rng.int(list.length));
      break;
    case 'revive': {
      // An id that only appeared in a declined, withdrawn or superseded proposal may be reused.
      const inList = new Set(list.map((x) => x.milestoneId));
      const reusable = [...w.proposedIds].filter(
        (id) =>
          !inList.has(id) &&
          !tableHas(w.state.terms.retiredMilestoneIds, id) &&
          milestoneIn(w.state.terms.active, id) === undefined,
      );
      if (reusable.length > 0)
        list.splice(rng.int(list.length + 1), 0, w.milestone(rng, rng.pick(reusable)));
      break;
    }
  }
}

function swap(list: Milestone[], j: number, k: number): void {
  const a = list[j];
  const b = list[k];
  if (a !== undefined && b !== undefined) {
    list[j] = b;
    list[k] = a;
  }
}
