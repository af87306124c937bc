/*
 * The fold's shortcuts against the plain reading they stand for: `milestonesMoved` (what an
 * acceptance can change for a review clock, R14) and `instantMs`'s digit-by-digit path for
 * `YYYY-MM-DDTHH:MM:SSZ` (spec §7's instants).
 */
import fc from 'fast-check';
import { test } from '@fast-check/vitest';
import { describe, expect, it } from 'vitest';
import { instantMs } from '../../src/domain/shared/time.js';
import { milestonesMoved, type Terms } from '../../src/domain/terms/state.js';
import type { Milestone } from '../../src/index.js';

/** The plain reading: every id in either list whose amount differs (absent counts as none). */
function naiveMoved(before: Terms | null, after: Terms | null): string[] {
  const amount = (t: Terms | null, id: string) =>
    t?.milestones.find((m) => m.milestoneId === id)?.amount;
  const ids = new Set(
    [...(before?.milestones ?? []), ...(after?.milestones ?? [])].map((m) => m.milestoneId),
  );
  return [...ids].filter((id) => amount(before, id) !== amount(after, id)).sort();
}

const milestone = (id: number, amount: number): Milestone => ({
  milestoneId: `m${String(id)}`,
  title: `Milestone ${String(id)}`,
  description: '',
  dueDate: '2014-11-03',
  amount,
});

/** Terms of distinct ids (short lists and lists past the 32 a scan handles), in any order. */
const terms = fc
  .uniqueArray(fc.integer({ min: 0, max: 60 }), { maxLength: 50 })
  .chain((ids) =>
    fc.tuple(
      fc.constant(ids),
      fc.array(fc.integer({ min: 1, max: 3 }), { minLength: ids.length, maxLength: ids.length }),
    ),
  )
  .map(([ids, amounts]): Terms => ({
    proposalId: 'p',
    milestones: ids.map((id, i) => milestone(id, amounts[i] ?? 1)),
  }));

/** New terms made from old ones as a proposal would: some kept, some re-priced, dropped, added, reordered. */
const edit = (t: Terms) =>
  fc
    .record({
      reprice: fc.array(fc.boolean(), {
        minLength: t.milestones.length,
        maxLength: t.milestones.length,
      }),
      drop: fc.array(fc.boolean(), {
        minLength: t.milestones.length,
        maxLength: t.milestones.length,
      }),
      added: fc.uniqueArray(fc.integer({ min: 61, max: 90 }), { maxLength: 5 }),
      swap: fc.option(fc.tuple(fc.nat(), fc.nat())),
    })
    .map(({ reprice, drop, added, swap }): Terms => {
      const kept = t.milestones
        .filter((_, i) => drop[i] !== true)
        .map((m, i) => (reprice[i] === true ? { ...m, amount: m.amount + 1 } : m));
      const list = [...kept, ...added.map((id) => milestone(id, 2))];
      if (swap !== null && list.length > 1) {
        const i = swap[0] % list.length;
        const j = swap[1] % list.length;
        [list[i], list[j]] = [list[j] as Milestone, list[i] as Milestone];
      }
      return { proposalId: 'q', milestones: list };
    });

describe('milestonesMoved: what an acceptance can change for a review clock (R14)', () => {
  test.prop([terms.chain((t) => fc.tuple(fc.constant(t), edit(t)))], { numRuns: 300 })(
    'equals the ids whose amount differs between the two terms, for edits of the same terms',
    ([before, after]) => {
      expect([...milestonesMoved(before, after)].sort()).toEqual(naiveMoved(before, after));
    },
  );

  test.prop([fc.option(terms), fc.option(terms)], { numRuns: 200 })(
    'equals it for any two terms, either of them absent',
    (before, after) => {
      expect([...milestonesMoved(before, after)].sort()).toEqual(naiveMoved(before, after));
    },
  );
});

describe('instantMs: `YYYY-MM-DDTHH:MM:SSZ` read digit by digit', () => {
  const instants = fc
    .date({
      min: new Date('0000-01-01T00:00:00Z'),
      max: new Date('9999-12-31T23:59:59Z'),
      noInvalidDate: true,
    })
    .map((d) => d.toISOString().slice(0, 19) + 'Z');

  test.prop([instants], { numRuns: 500 })(
    'agrees with the general reading of the same instant with milliseconds, and with Date',
    (instant) => {
      const general = instantMs(instant.replace('Z', '.000Z'));
      expect(instantMs(instant)).toBe(general);
      expect(instantMs(instant)).toBe(Date.parse(instant));
    },
  );

  it('reads what is not of that form as the general reading does (NaN when it is not an instant)', () => {
    for (const text of [
      '2024-01-01T0a:00:00Z',
      '2024-01-01 01:00:00Z',
      '2024-01-01T01:00:00z',
      '+024-01-01T01:00:00Z',
    ])
      expect(instantMs(text)).toBeNaN();
    expect(instantMs('2024-01-01T01:00:00+00:00')).toBe(Date.parse('2024-01-01T01:00:00Z'));
  });
});
