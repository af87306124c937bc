/*
 * The fast paths of R5's checks (terms/state.ts) against their plain definitions: the duplicate-id
 * scan over its reused array, and the frozen-milestone comparison that looks each active
 * milestone up at the next place of the proposal first.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decide, fold, type JobEvent, type Milestone } from '../../src/index.js';
import { frozenMilestoneChanged } from '../../src/domain/terms/decide.js';
import { hasDuplicateIds } from '../../src/domain/terms/state.js';
import { isReleased } from '../../src/domain/escrow/state.js';
import { cmd, play, awardedLogo } from './helpers.js';

const milestone = (id: string, amount: number): Milestone => ({
  milestoneId: id,
  title: `Milestone ${id}`,
  description: '',
  dueDate: '2014-12-01',
  amount,
});

describe('R5: milestone ids are unique within a proposal (the scan over a reused array)', () => {
  it('R5: hasDuplicateIds is true exactly when two ids of the list are equal, list after list', () => {
    // Lists of up to 40 ids from a small alphabet: short lists (scanned) and long ones (indexed),
    // one after another, so that a long list's ids left in the reused array meet a short one.
    const ids = fc.array(fc.constantFrom('m1', 'm2', 'm3', 'm4', 'm5', 'm6', 'm7', 'm8', 'm9'), {
      maxLength: 40,
    });
    const lists = fc.array(
      fc.oneof(ids, fc.uniqueArray(fc.string({ minLength: 1, maxLength: 4 }), { maxLength: 40 })),
      { minLength: 1, maxLength: 6 },
    );
    fc.assert(
      fc.property(lists, (all) => {
        for (const list of all) {
          const milestones = list.map((id) => milestone(id, 100));
          expect(hasDuplicateIds(milestones)).toBe(new Set(list).size !== list.length);
        }
      }),
    );
  });
});

/** The definition: the first frozen (here: released) active milestone not carried unchanged. */
function firstChanged(
  active: readonly Milestone[],
  released: ReadonlySet<string>,
  carried: readonly Milestone[],
) {
  for (const m of active) {
    const same = carried.find((c) => c.milestoneId === m.milestoneId);
    const unchanged =
      same !== undefined &&
      same.title === m.title &&
      same.description === m.description &&
      same.dueDate === m.dueDate &&
      same.amount === m.amount;
    if (!unchanged && released.has(m.milestoneId)) return m.milestoneId;
  }
  return undefined;
}

describe('R5: released milestones are frozen (the lookup at the next place)', () => {
  it('R5: any proposal, in any order, with milestones dropped, changed or added, is judged as the definition says', () => {
    const edit = fc.constantFrom('keep', 'drop', 'change', 'insertBefore');
    const scenario = fc.record({
      size: fc.integer({ min: 1, max: 40 }),
      releasedMask: fc.array(fc.boolean(), { minLength: 40, maxLength: 40 }),
      edits: fc.array(edit, { minLength: 40, maxLength: 40 }),
      shuffle: fc.oneof(fc.constant<number[]>([]), fc.array(fc.nat(), { maxLength: 40 })),
      appended: fc.nat({ max: 3 }),
    });
    fc.assert(
      fc.property(scenario, ({ size, releasedMask, edits, shuffle, appended }) => {
        const active = Array.from({ length: size }, (_, i) =>
          milestone(`m${String(i + 1)}`, 1000 + i),
        );
        const releasedIds = active.filter((_, i) => releasedMask[i]).map((m) => m.milestoneId);
        if (releasedIds.length === 0) releasedIds.push('m1');
        const commands = [cmd.propose('client', 'p1', active), cmd.accept('freelancer', 'p1')];
        releasedIds.forEach((id, k) => {
          commands.push(cmd.fund(id, `f${String(k)}`), cmd.release(id));
        });
        const history: JobEvent[] = play(awardedLogo(), ...commands);
        const state = fold(history);
        const released = new Set(releasedIds);
        for (const id of released) expect(isReleased(state.escrow, id)).toBe(true);

        // The proposal: the active list edited in place, then some milestones swapped around.
        const carried: Milestone[] = [];
        active.forEach((m, i) => {
          const e = edits[i] ?? 'keep';
          if (e === 'insertBefore') carried.push(milestone(`new-${String(i)}`, 5));
          if (e === 'change') carried.push({ ...m, amount: m.amount + 1 });
          else if (e !== 'drop') carried.push(m);
        });
        // At least one milestone: an empty proposal is refused by its schema first.
        for (let k = 0; k < Math.max(appended, carried.length === 0 ? 1 : 0); k++)
          carried.push(milestone(`extra-${String(k)}`, 7));
        for (let k = 0; k + 1 < shuffle.length && carried.length > 1; k += 2) {
          const a = (shuffle[k] ?? 0) % carried.length;
          const b = (shuffle[k + 1] ?? 0) % carried.length;
          [carried[a], carried[b]] = [carried[b] as Milestone, carried[a] as Milestone];
        }

        const expected = firstChanged(active, released, carried);
        expect(frozenMilestoneChanged(state, carried)?.milestone.milestoneId).toBe(expected);
        // And through decide: the proposal is refused exactly then, naming that milestone.
        let refused: string | undefined;
        try {
          decide(cmd.propose('client', 'p2', carried), state);
        } catch (error) {
          refused = (error as { details?: { milestoneId?: string } }).details?.milestoneId;
        }
        expect(refused).toBe(expected);
      }),
      { numRuns: 300 },
    );
  });
});
