/*
 * growth: the library's fold against the mutable loop as the history grows (prefixes of the long
 * job) and as the state grows (20,000-event jobs of 10 to 10,000 milestones). Full run only.
 */
import { fold } from 'milestone-escrow';
// The id tables are the library's internals: the bench reads them straight from the source.
import { tableEntries } from '../../../src/domain/shared/table.js';
import { loadLongPrefix, loadSized } from '../data.js';
import {
  compare,
  formatCount as n,
  formatRate,
  gc,
  rateOf as rate,
  type CompareOptions,
} from '../harness.js';
import type { Table } from '../report.js';
import { freezeEvents, libraryFold, mutableLoop } from './fold.js';

export async function growthTables(o: CompareOptions, longFileEvents: number): Promise<Table[]> {
  const tables: Table[] = [];
  // History length: prefixes of the long job (10,000 milestones; fundings pile up as it goes).
  const rows: string[][] = [];
  for (const len of [1_000, 10_000, 100_000, 200_000, 1_000_000]) {
    const prefix = freezeEvents(await loadLongPrefix(len, longFileEvents));
    const s = fold(prefix);
    const fundings = tableEntries(s.escrow.milestones).reduce(
      (k, [, m]) => k + m.fundings.length,
      0,
    );
    const c = compare(
      `growth, long job, ${n(prefix.length)} events`,
      'mutable loop',
      [libraryFold([prefix]), mutableLoop([prefix])],
      { ...o, rounds: 3 },
    );
    rows.push([
      n(prefix.length),
      n(s.terms.active?.milestones.length ?? 0),
      n(fundings),
      formatRate(rate(c, 'library fold')),
      formatRate(rate(c, 'mutable loop')),
      (c.ratios['library fold'] ?? Number.NaN).toFixed(3),
    ]);
    gc();
  }
  tables.push({
    title: "growth with history length: fold of the long job's first N events",
    headers: ['events', 'milestones', 'fundings in state', 'library fold', 'mutable loop', 'ratio'],
    rows,
  });
  const sizeRows: string[][] = [];
  for (const milestones of [10, 100, 1_000, 10_000]) {
    const job = freezeEvents(await loadSized(milestones, 20_000));
    const c = compare(
      `growth, ${n(milestones)} milestones`,
      'mutable loop',
      [libraryFold([job]), mutableLoop([job])],
      { ...o, rounds: 3 },
    );
    sizeRows.push([
      n(milestones),
      n(job.length),
      formatRate(rate(c, 'library fold')),
      formatRate(rate(c, 'mutable loop')),
      (c.ratios['library fold'] ?? Number.NaN).toFixed(3),
    ]);
    gc();
  }
  tables.push({
    title: 'growth with state size: fold of a 20,000-event job of N milestones',
    headers: ['milestones', 'events', 'library fold', 'mutable loop', 'ratio'],
    rows: sizeRows,
  });
  return tables;
}
