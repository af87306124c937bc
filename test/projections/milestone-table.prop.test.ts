import { test } from '@fast-check/vitest';
import { expect } from 'vitest';
import { fold, summarize } from '../../src/index.js';
import { formatDueDate, formatMoney, milestoneTable } from '../../src/projections/index.js';
import { HISTORIES } from './histories.js';

/*
 * The milestone table agrees with the state folded from the same events, on part one's histories
 * and part two's (disputes, fees, review deadlines): the same table from the state as from its
 * summary, a row per active milestone with its amount and status, every total as formatted.
 */

const RUNS = { numRuns: 120 };

for (const [part, historyArb] of HISTORIES) {
  test.prop([historyArb()], RUNS)(
    `${part}: the milestone table is the folded state's, row by row and total by total`,
    (events) => {
      const state = fold(events);
      const summary = summarize(state);
      const table = milestoneTable(state);
      expect(milestoneTable(summary)).toEqual(table);
      const money = (amount: number) => formatMoney(amount, summary.currency);
      expect(table.rows.map((r) => r.milestoneId)).toEqual(
        summary.milestones.map((m) => m.milestoneId),
      );
      summary.milestones.forEach((m, i) => {
        const row = table.rows[i];
        expect(row?.amount).toBe(money(m.amount));
        expect(row?.deliveryDate).toBe(formatDueDate(m.dueDate));
        expect(row?.status.startsWith(m.status)).toBe(true);
        const open = m.status !== 'released' && m.status !== 'settled';
        // An open dispute and a running review are said: who must act, and by when.
        if (open && m.dispute !== null) expect(row?.status).toContain('disputed');
        if (open && m.reviewDueAt !== null) expect(row?.status).toContain(m.reviewDueAt);
      });
      for (const key of ['contract', 'funded', 'held', 'released', 'refunded'] as const)
        expect(table.totals[key]).toBe(money(summary.totals[key]));
      expect(table.status).toBe(summary.status);
      expect(table.pendingProposal?.proposalId ?? null).toBe(
        summary.pendingProposal?.proposalId ?? null,
      );
    },
  );
}
