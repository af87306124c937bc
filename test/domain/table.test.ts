import { describe, expect, it } from 'vitest';
import { fc, test } from '@fast-check/vitest';
import {
  decide,
  evolve,
  fold,
  initialState,
  summarize,
  verifyHistory,
  type JobCommandInput,
  type JobEvent,
  type JobState,
} from '../../src/index.js';
import { invariantViolations } from '../../src/testing/index.js';
import { jobStateProjection, project } from '../../src/projections/index.js';
import { tableGet, tableKeys, type IdTable } from '../../src/domain/shared/table.js';
import { freezeTable, noIds, tableWith } from '../../src/domain/shared/table.js';

// A job with many milestones, each funded twice over two proposals, so every table of the state
// outgrows one leaf (32 ids) and is split into branches.
function bigJob(milestones: number): JobEvent[] {
  const events: JobEvent[] = [];
  let state: JobState = initialState();
  const at = '2014-11-03T09:00:00Z';
  const run = (command: JobCommandInput): void => {
    const decided = decide(command, state);
    events.push(...decided);
    state = fold(decided, state);
  };
  const list = (amount: number) =>
    Array.from({ length: milestones }, (_, i) => ({
      milestoneId: `m${String(i)}`,
      title: `Milestone ${String(i)}`,
      dueDate: '2014-11-10',
      amount,
    }));
  run({
    type: 'AwardJob',
    actor: 'c',
    at,
    data: { jobId: 'big', title: 'Big', clientId: 'c', freelancerId: 'f', currency: 'USD' },
  });
  run({ type: 'ProposeTerms', actor: 'c', at, data: { proposalId: 'p1', milestones: list(1000) } });
  run({ type: 'AcceptTerms', actor: 'f', at, data: { proposalId: 'p1' } });
  for (let i = 0; i < milestones; i++)
    run({
      type: 'FundMilestone',
      actor: 'c',
      at,
      data: { milestoneId: `m${String(i)}`, fundingId: `a${String(i)}`, source: 'card:a' },
    });
  run({ type: 'ProposeTerms', actor: 'f', at, data: { proposalId: 'p2', milestones: list(1500) } });
  run({ type: 'AcceptTerms', actor: 'c', at, data: { proposalId: 'p2' } });
  for (let i = 0; i < milestones; i++)
    run({
      type: 'FundMilestone',
      actor: 'c',
      at,
      data: { milestoneId: `m${String(i)}`, fundingId: `b${String(i)}`, source: 'card:b' },
    });
  for (let i = 0; i < milestones; i += 2)
    run({ type: 'SubmitWork', actor: 'f', at, data: { milestoneId: `m${String(i)}` } });
  for (let i = 0; i < milestones; i += 2)
    run({ type: 'ReleaseFunds', actor: 'c', at, data: { milestoneId: `m${String(i)}` } });
  // Deleting the odd milestones refunds both fundings of each, newest first (R9).
  const kept = list(1500).filter((_, i) => i % 2 === 0);
  run({ type: 'ProposeTerms', actor: 'c', at, data: { proposalId: 'p3', milestones: kept } });
  run({ type: 'AcceptTerms', actor: 'f', at, data: { proposalId: 'p3' } });
  return events;
}

// A frozen table's nodes, as JSON sees them (the type is opaque on purpose).
const isDeepFrozen = (value: unknown): boolean =>
  value === null ||
  typeof value !== 'object' ||
  (Object.isFrozen(value) && Object.values(value).every(isDeepFrozen));
// Sets ids in a table the way the recipes do, keeping what `tableWith` returns.
function setAll<T>(table: IdTable<T>, entries: readonly (readonly [string, T])[]): IdTable<T> {
  let t = table;
  for (const [id, value] of entries) t = tableWith(t, id, value);
  return t;
}
const nodes = (table: IdTable<unknown>): unknown[] => table as unknown as unknown[];
// A branch has 16 children, chosen by 4 bits of an id's hash on each level.
const BRANCH_WIDTH = 16;
const BRANCH_BITS = 4;
const isBranchNode = (table: IdTable<unknown>): boolean =>
  nodes(table).length === BRANCH_WIDTH && nodes(table).every((c) => c === null || Array.isArray(c));

describe('id tables: working copies are Maps, frozen tables are small hash tries of arrays', () => {
  it('a table of up to 32 ids freezes to one flat array; past that to a branch, and every id is still found', () => {
    const small = setAll(
      noIds<number>(),
      Array.from({ length: 32 }, (_, i) => [`id${String(i)}`, i] as const),
    );
    const leaf = freezeTable(small);
    expect(Object.isFrozen(leaf)).toBe(true);
    expect(nodes(leaf)).toEqual(Array.from({ length: 32 }, (_, i) => [`id${String(i)}`, i]).flat());

    const table = setAll(
      noIds<number>(),
      Array.from({ length: 5000 }, (_, i) => [`id${String(i)}`, i] as const),
    );
    // A working copy's table (a flat array, then a Map past 32 ids): read as it grows.
    for (let i = 0; i < 5000; i += 7) expect(tableGet(table, `id${String(i)}`)).toBe(i);
    const frozen = freezeTable(table);
    expect(isBranchNode(frozen)).toBe(true);
    expect(JSON.parse(JSON.stringify(frozen))).toEqual(frozen);
    for (let i = 0; i < 5000; i++) expect(tableGet(frozen, `id${String(i)}`)).toBe(i);
    expect(tableGet(frozen, 'missing')).toBeUndefined();
    expect(tableGet(frozen, 'constructor')).toBeUndefined();
    expect(tableKeys(frozen).sort()).toEqual(
      Array.from({ length: 5000 }, (_, i) => `id${String(i)}`).sort(),
    );
    // Every leaf holds at most 32 ids.
    const leaves: unknown[][] = [];
    const walk = (n: unknown): void => {
      if (n === null) return;
      const a = n as unknown[];
      if (a.length > 0 && typeof a[0] !== 'string') a.forEach(walk);
      else leaves.push(a);
    };
    walk(frozen);
    expect(Math.max(...leaves.map((l) => l.length / 2))).toBeLessThanOrEqual(32);
    expect(leaves.reduce((n, l) => n + l.length / 2, 0)).toBe(5000);
  });

  it('setting an entry in a frozen table copies only the path to it and leaves the table as it was', () => {
    const base = freezeTable(
      setAll(
        noIds<number>(),
        Array.from({ length: 3000 }, (_, i) => [`id${String(i)}`, i] as const),
      ),
    );
    const next = freezeTable(
      setAll(base, [
        ['id7', -7],
        ['new', 1],
      ]),
    );
    expect(tableGet(base, 'id7')).toBe(7);
    expect(tableGet(base, 'new')).toBeUndefined();
    expect(tableGet(next, 'id7')).toBe(-7);
    expect(tableGet(next, 'new')).toBe(1);
    const shared = nodes(base).filter((child, i) => child === nodes(next)[i]);
    // At most two of the root's children were copied.
    expect(shared.length).toBeGreaterThanOrEqual(BRANCH_WIDTH - 2);
  });

  test.prop([
    fc.uniqueArray(fc.stringMatching(/^[a-z0-9][a-z0-9_.:-]{0,12}$/), {
      maxLength: 400,
      size: 'max',
    }),
    fc.nat(400),
  ])(
    'a table grown onto a frozen one, path by path, is exactly the table a working copy builds and freezes',
    (ids, cut) => {
      const entries = ids.map((id, i) => [id, i] as const);
      const direct = freezeTable(setAll(noIds<number>(), entries));
      const first = freezeTable(setAll(noIds<number>(), entries.slice(0, cut)));
      const grown = freezeTable(setAll(first, entries.slice(cut)));
      // Same shape, same order: fold from scratch and fold onto a loaded state hand out equal states.
      expect(grown).toEqual(direct);
      for (const [i, id] of ids.entries()) expect(tableGet(grown, id)).toBe(i);
    },
  );

  test.prop([
    fc.uniqueArray(fc.stringMatching(/^[a-z0-9][a-z0-9_.:-]{0,12}$/), {
      maxLength: 400,
      size: 'max',
    }),
    fc.nat(400),
    fc.nat(400),
  ])(
    'a table grown onto a frozen one, in two rounds, freezes whole: every node and every value it set (only what it owns is frozen, not walked)',
    (ids, cut, again) => {
      const entries = ids.map((id, i) => [id, { n: i }] as const);
      const freezeValue = (value: { n: number }) => void Object.freeze(value);
      const first = freezeTable(setAll(noIds<{ n: number }>(), entries.slice(0, cut)), freezeValue);
      // Changed values as well as new ids, each round onto the last round's frozen table.
      const second = freezeTable(setAll(first, entries.slice(cut)), freezeValue);
      const changed = entries.slice(0, again).map(([id, v]) => [id, { n: -v.n }] as const);
      const third = freezeTable(setAll(second, changed), freezeValue);
      expect(isDeepFrozen(second)).toBe(true);
      expect(isDeepFrozen(third)).toBe(true);
      // The same entries, changed in place, built at once: equal, order of ids included.
      const inPlace = entries.map(([id, v], i) => [id, i < again ? { n: -v.n } : v] as const);
      expect(third).toEqual(freezeTable(setAll(noIds<{ n: number }>(), inPlace), freezeValue));
    },
  );
});

// The tries' hash (FNV-1a, 32 bits), to find ids that share their low bits.
function fnv1a(id: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < id.length; i++) {
    h ^= id.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

describe('id tables: ids whose hashes collide', () => {
  it('a leaf that splits into one crowded child splits again, as a table built at once does', () => {
    // 33 ids sharing the hash bits of depths 0 and 1 (the same child on both levels), and
    // others that are never in that child: the 33rd id splits the crowd's leaf into one child
    // of 33.
    const twoLevels = (1 << (2 * BRANCH_BITS)) - 1;
    const oneLevel = (1 << BRANCH_BITS) - 1;
    const crowd: string[] = [];
    for (let i = 0; crowd.length < 33; i++)
      if ((fnv1a(`f${String(i)}`) & twoLevels) === (0x155 & twoLevels)) crowd.push(`f${String(i)}`);
    const others = Array.from({ length: 400 }, (_, i) => `o${String(i)}`).filter(
      (id) => (fnv1a(id) & oneLevel) !== (0x155 & oneLevel),
    );
    const all = [...others, ...crowd];
    const direct = setAll(
      noIds<number>(),
      all.map((id, i) => [id, i] as const),
    );
    // The same ids, the crowd added one by one onto a frozen table (the copy-on-write path).
    let table = freezeTable(
      setAll(
        noIds<number>(),
        others.map((id, i) => [id, i] as const),
      ),
    );
    crowd.forEach((id, i) => (table = tableWith(table, id, others.length + i)));
    const frozen = freezeTable(table);
    expect(frozen).toEqual(freezeTable(direct));
    // The nodes the split made are the copy's own, and frozen with it.
    expect(isDeepFrozen(frozen)).toBe(true);
  });
});

describe('a job whose tables are split', () => {
  const events = bigJob(120);

  it('fold, evolve event by event, and the history checker reach the same state, which keeps C1–C4', () => {
    const folded = fold(events);
    const evolved = events.reduce(evolve, initialState());
    expect(evolved).toEqual(folded);
    expect(verifyHistory(events)).toEqual(folded);
    expect(invariantViolations(folded)).toEqual([]);
    expect(isBranchNode(folded.escrow.fundingIds)).toBe(true);
  });

  it('every other working-copy fold (the state projection) hands out the same balanced state', () => {
    expect(project(jobStateProjection, events)).toEqual(fold(events));
    expect(isBranchNode(project(jobStateProjection, events).escrow.fundingIds)).toBe(true);
  });

  it('its summary and money are what the story says', () => {
    const summary = summarize(fold(events));
    expect(summary.milestones).toHaveLength(60);
    expect(summary.totals).toEqual({
      contract: 60 * 1500,
      funded: 120 * 1500,
      held: 0,
      released: 60 * 1500,
      refunded: 60 * 1500,
      fees: 0,
    });
    expect(summary.status).toBe('completed');
  });

  it('folding onto a loaded state equals folding from the start, and the loaded state is unchanged', () => {
    const loaded = fold(events.slice(0, 300));
    const before = JSON.stringify(loaded);
    expect(fold(events.slice(300), loaded)).toEqual(fold(events));
    expect(JSON.stringify(loaded)).toBe(before);
  });

  it('folding onto a loaded state copies only the paths it changes and shares every other node', () => {
    const loaded = fold(events.slice(0, 250));
    const next = fold(events.slice(250, 252), loaded);
    const before = nodes(loaded.escrow.fundingIds);
    const after = nodes(next.escrow.fundingIds);
    expect(isBranchNode(loaded.escrow.fundingIds)).toBe(true);
    expect(before.filter((child, i) => child === after[i]).length).toBeGreaterThanOrEqual(
      BRANCH_WIDTH - 2,
    );
    expect(next.job.award).toBe(loaded.job.award);
    expect(next.terms.active).toBe(loaded.terms.active);
    expect(isDeepFrozen(next)).toBe(true);
    expect(next).toEqual(fold(events.slice(0, 252)));
  });

  it('a funding, a release and a refund onto a loaded state copy only the lists they change', () => {
    // Event 240 funds m115 a second time, 305 releases m0, the third from last refunds m117.
    for (const at of [240, 305, events.length - 3]) {
      const loaded = fold(events.slice(0, at));
      const before = JSON.stringify(loaded);
      const next = fold(events.slice(at, at + 1), loaded);
      expect(JSON.stringify(loaded)).toBe(before);
      expect(next).toEqual(fold(events.slice(0, at + 1)));
      expect(isDeepFrozen(next)).toBe(true);
      const changed = (events[at] as { data: { milestoneId?: string } }).data.milestoneId;
      const untouched = changed === 'm7' ? 'm8' : 'm7';
      expect(tableGet(next.escrow.milestones, untouched)?.fundings).toBe(
        tableGet(loaded.escrow.milestones, untouched)?.fundings,
      );
      if (changed !== undefined)
        expect(tableGet(next.escrow.milestones, changed)?.fundings).not.toBe(
          tableGet(loaded.escrow.milestones, changed)?.fundings,
        );
    }
  });

  it('a state that is not frozen (not one the library handed out) is copied, never changed', () => {
    const plain = JSON.parse(JSON.stringify(fold(events.slice(0, 250)))) as JobState;
    const text = JSON.stringify(plain);
    const next = fold(events.slice(250), plain);
    expect(JSON.stringify(plain)).toBe(text);
    expect(next).toEqual(fold(events));
  });

  it('a state someone else froze only at the top is copied whole: its inner objects are never changed', () => {
    const plain = JSON.parse(JSON.stringify(fold(events.slice(0, 250)))) as JobState;
    const topFrozen = Object.freeze(plain);
    const text = JSON.stringify(topFrozen);
    const next = fold(events.slice(250), topFrozen);
    expect(JSON.stringify(topFrozen)).toBe(text);
    expect(Object.isFrozen(plain.escrow)).toBe(false);
    expect(Object.isFrozen(plain.job.award)).toBe(false);
    expect(next).toEqual(fold(events));
    expect(isDeepFrozen(next)).toBe(true);
    // evolve too: nothing of the caller's is frozen, the result is.
    const evolved = evolve(topFrozen, events[250] as JobEvent);
    expect(Object.isFrozen(plain.terms.active)).toBe(false);
    expect(isDeepFrozen(evolved)).toBe(true);
  });

  it('a funding id used in a split table is still a DUPLICATE_ID', () => {
    const state = fold(events.slice(0, 200));
    expect(() =>
      decide(
        {
          type: 'FundMilestone',
          actor: 'c',
          at: '2014-11-04T09:00:00Z',
          data: { milestoneId: 'm119', fundingId: 'a5', source: 'card:a' },
        },
        state,
      ),
    ).toThrow(expect.objectContaining({ code: 'DUPLICATE_ID' }));
  });
});
