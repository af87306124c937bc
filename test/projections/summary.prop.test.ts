import { fc, test } from '@fast-check/vitest';
import { expect } from 'vitest';
import { fold, summarize } from '../../src/index.js';
import { project, schedule, summaryProjection } from '../../src/projections/index.js';
import { HISTORIES } from './histories.js';

const RUNS = { numRuns: 120 };
const dayArb = fc
  .date({
    min: new Date('2014-10-01T00:00:00Z'),
    max: new Date('2015-01-31T00:00:00Z'),
    noInvalidDate: true,
  })
  .map((d) => d.toISOString().slice(0, 10));

// Part one's histories and part two's (disputes, expiries, fees): the same properties.
for (const [part, historyArb] of HISTORIES) {
  test.prop([historyArb()], RUNS)(
    `${part}: the summary projection is summarize of the folded state`,
    (events) => {
      expect(project(summaryProjection, events)).toEqual(summarize(fold(events)));
    },
  );

  test.prop([historyArb(), dayArb], RUNS)(
    `${part}: overdue ⇔ due before asOf, neither released nor settled, job open; the amounts add up`,
    (events, asOf) => {
      const state = fold(events);
      const summary = summarize(state);
      const s = schedule(state, { asOf });
      expect(s.milestones.map((m) => m.milestoneId)).toEqual(
        summary.milestones.map((m) => m.milestoneId),
      );
      for (const m of s.milestones) {
        expect(m.overdue).toBe(
          m.dueDate < asOf &&
            m.status !== 'released' &&
            m.status !== 'settled' &&
            summary.status !== 'closed',
        );
        expect(m.daysOverdue > 0).toBe(m.overdue);
      }
      expect(s.overdue).toEqual(s.milestones.filter((m) => m.overdue).map((m) => m.milestoneId));
      expect(s.overdueAmount).toBe(
        s.milestones.filter((m) => m.overdue).reduce((sum, m) => sum + m.amount, 0),
      );
      if (s.nextDue !== null) {
        expect(s.nextDue.dueDate >= asOf).toBe(true);
        expect(['released', 'settled']).not.toContain(s.nextDue.status);
      }
    },
  );

  test.prop([historyArb(), dayArb, dayArb], RUNS)(
    `${part}: what is overdue only grows as asOf moves on`,
    (events, d1, d2) => {
      const [early, late] = d1 <= d2 ? [d1, d2] : [d2, d1];
      const state = fold(events);
      const before = new Set(schedule(state, { asOf: early }).overdue);
      const after = new Set(schedule(state, { asOf: late }).overdue);
      for (const id of before) expect(after.has(id)).toBe(true);
    },
  );
}
