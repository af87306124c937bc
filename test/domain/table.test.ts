import { describe, expect, it } from 'vitest';
import { fc, test } from '@fast-check/vitest';
import { produce } from 'immer';
import {
  decide,
  evolve,
  fold,
  initialState,
  invariantViolations,
  jobStateProjection,
  project,
  summarize,
  tableEntries,
  tableGet,
  tableKeys,
  verifyHistory,
  type IdTable,
  type JobCommandInput,
  type JobEvent,
  type JobState,
} from '../../src/index.js';
import { emptyTable, freezeTable, tableSet } from '../../src/domain/shared/table.js';

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
    Array.from({ length: milestones }, (_, i) => ({ milestoneId: `m${String(i)}`, title: `Milestone ${String(i)}`, dueDate: '2014-11-10', amount }));
  run({ type: 'AwardJob', actor: 'c', at, data: { jobId: 'big', title: 'Big', clientId: 'c', freelancerId: 'f', currency: 'USD' } });
  run({ type: 'ProposeTerms', actor: 'c', at, data: { proposalId: 'p1', milestones: list(1000) } });
  run({ type: 'AcceptTerms', actor: 'f', at, data: { proposalId: 'p1' } });
  for (let i = 0; i < milestones; i++) run({ type: 'FundMilestone', actor: 'c', at, data: { milestoneId: `m${String(i)}`, fundingId: `a${String(i)}`, source: 'card:a' } });
  run({ type: 'ProposeTerms', actor: 'f', at, data: { proposalId: 'p2', milestones: list(1500) } });
  run({ type: 'AcceptTerms', actor: 'c', at, data: { proposalId: 'p2' } });
  for (let i = 0; i < milestones; i++) run({ type: 'FundMilestone', actor: 'c', at, data: { milestoneId: `m${String(i)}`, fundingId: `b${String(i)}`, source: 'card:b' } });
  for (let i = 0; i < milestones; i += 2) run({ type: 'SubmitWork', actor: 'f', at, data: { milestoneId: `m${String(i)}` } });
  for (let i = 0; i < milestones; i += 2) run({ type: 'ReleaseFunds', actor: 'c', at, data: { milestoneId: `m${String(i)}` } });
  // Deleting the odd milestones refunds both fundings of each, newest first (R9).
  const kept = list(1500).filter((_, i) => i % 2 === 0);
  run({ type: 'ProposeTerms', actor: 'c', at, data: { proposalId: 'p3', milestones: kept } });
  run({ type: 'AcceptTerms', actor: 'f', at, data: { proposalId: 'p3' } });
  return events;
}

describe('id tables: small hash tries of plain objects', () => {
  it('a table of up to 32 ids is one plain object; past that it is split (once balanced), and every id is still found', () => {
    const table = emptyTable<number>() as Record<string, number>;
    for (let i = 0; i < 32; i++) tableSet(table, `id${String(i)}`, i);
    expect(Object.keys(table)).toHaveLength(32);
    for (let i = 32; i < 5000; i++) tableSet(table, `id${String(i)}`, i);
    // A working copy lets a leaf grow and is balanced once, when it is frozen.
    expect(Object.keys(table)).toHaveLength(5000);
    for (let i = 0; i < 5000; i++) expect(tableGet(table, `id${String(i)}`)).toBe(i);
    freezeTable(table);
    expect(Object.keys(table)).toEqual(['$b']);
    for (let i = 0; i < 5000; i++) expect(tableGet(table, `id${String(i)}`)).toBe(i);
    expect(tableGet(table, 'missing')).toBeUndefined();
    expect(tableGet(table, 'constructor')).toBeUndefined();
    expect(tableKeys(table).sort()).toEqual(Array.from({ length: 5000 }, (_, i) => `id${String(i)}`).sort());
  });

  it('setting an entry in an immer draft copies only the path to it and leaves the base as it was', () => {
    const base = emptyTable<number>();
    for (let i = 0; i < 3000; i++) tableSet(base, `id${String(i)}`, i);
    freezeTable(base);
    const next = produce(base, (draft) => {
      tableSet(draft as IdTable<number>, 'id7', -7);
      tableSet(draft as IdTable<number>, 'new', 1);
    });
    expect(tableGet(base, 'id7')).toBe(7);
    expect(tableGet(base, 'new')).toBeUndefined();
    expect(tableGet(next, 'id7')).toBe(-7);
    expect(tableGet(next, 'new')).toBe(1);
    const shared = (base as { $b: unknown[] }).$b.filter((child, i) => child === (next as { $b: unknown[] }).$b[i]);
    expect(shared.length).toBeGreaterThan(25); // at most two of the 32 children were copied
  });

  test.prop([fc.uniqueArray(fc.stringMatching(/^[a-z0-9][a-z0-9_.:-]{0,12}$/), { maxLength: 400 }), fc.nat(400)])(
    'a table split inside an immer draft holds exactly what a table built directly holds',
    (ids, cut) => {
      const direct = emptyTable<number>();
      ids.forEach((id, i) => tableSet(direct, id, i));
      const first = emptyTable<number>();
      ids.slice(0, cut).forEach((id, i) => tableSet(first, id, i));
      freezeTable(first);
      const drafted = produce(first, (draft) => {
        ids.slice(cut).forEach((id, i) => tableSet(draft as IdTable<number>, id, i + Math.min(cut, ids.length)));
      });
      const sorted = (t: IdTable<number>) => tableEntries(t).sort(([a], [b]) => (a < b ? -1 : 1));
      expect(sorted(drafted)).toEqual(sorted(direct));
      for (const [i, id] of ids.entries()) expect(tableGet(drafted, id)).toBe(i);
    },
  );
});

describe('a job whose tables are split', () => {
  const events = bigJob(120);

  it('fold, evolve event by event, and the history checker reach the same state, which keeps C1–C4', () => {
    const folded = fold(events);
    const evolved = events.reduce(evolve, initialState());
    expect(evolved).toEqual(folded);
    expect(verifyHistory(events)).toEqual(folded);
    expect(invariantViolations(folded)).toEqual([]);
    expect(Object.keys(folded.escrow.fundingIds)).toEqual(['$b']);
  });

  it('every other working-copy fold (the state projection) hands out the same balanced state', () => {
    expect(project(jobStateProjection, events)).toEqual(fold(events));
    expect(Object.keys(project(jobStateProjection, events).escrow.fundingIds)).toEqual(['$b']);
  });

  it('its summary and money are what the story says', () => {
    const summary = summarize(fold(events));
    expect(summary.milestones).toHaveLength(60);
    expect(summary.totals).toEqual({ contract: 60 * 1500, funded: 120 * 1500, held: 0, released: 60 * 1500, refunded: 60 * 1500 });
    expect(summary.status).toBe('completed');
  });

  it('folding onto a loaded state equals folding from the start, and the loaded state is unchanged', () => {
    const loaded = fold(events.slice(0, 300));
    const before = JSON.stringify(loaded);
    expect(fold(events.slice(300), loaded)).toEqual(fold(events));
    expect(JSON.stringify(loaded)).toBe(before);
  });

  it('a funding id used in a split table is still a DUPLICATE_ID', () => {
    const state = fold(events.slice(0, 200));
    expect(() =>
      decide({ type: 'FundMilestone', actor: 'c', at: '2014-11-04T09:00:00Z', data: { milestoneId: 'm119', fundingId: 'a5', source: 'card:a' } }, state),
    ).toThrow(expect.objectContaining({ code: 'DUPLICATE_ID' }));
  });
});
