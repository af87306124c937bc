import { tableGet, tableEntries } from '../../src/domain/shared/table.js';
import { describe, expect } from 'vitest';
import { test } from '@fast-check/vitest';
import { fold, type JobEvent, type JobState } from '../../src/index.js';
import { assertInvariants } from '../../src/testing/index.js';
import { numRuns, play, scripts } from './prop-support.js';

/*
 * The conservation laws (spec §2, C1–C4) over generated scripts: commands from the client, the
 * freelancer and a stranger, valid and invalid, from the job's start. Each law is checked with the
 * toolkit's assertInvariants (the domain's invariantViolations) and, where it can be, again from
 * the events alone, so the two checks do not share a mistake.
 */

const runs = numRuns(60);

/** Folds a decision's events one by one and calls `check` after each. */
function eachEvent(
  before: JobState,
  events: readonly JobEvent[],
  check: (state: JobState, event: JobEvent) => void,
): void {
  let state = before;
  for (const event of events) {
    state = fold([event], state);
    check(state, event);
  }
}

describe('conservation laws after every command of a generated script', () => {
  test.prop([scripts], { numRuns: runs })(
    'C1: funded = held + released + refunded after every event',
    (script) => {
      play(script, (step) => {
        if (!step.accepted) return;
        eachEvent(step.before, step.events, (state, event) => {
          assertInvariants(state, { rules: ['C1'], where: `after ${event.type}` });
          const t = state.escrow.totals;
          expect(t.funded).toBe(t.held + t.released + t.refunded);
        });
      });
    },
  );

  test.prop([scripts], { numRuns: runs })(
    'C2: 0 ≤ held ≤ amount for every active milestone and a released one is paid wholly, after every decision',
    (script) => {
      play(script, (step) => {
        if (!step.accepted) return;
        assertInvariants(step.after, {
          rules: ['C2'],
          where: `after ${step.events[0]?.type ?? 'nothing'}`,
        });
        for (const m of step.after.terms.active?.milestones ?? []) {
          const money = tableGet(step.after.escrow.milestones, m.milestoneId);
          const held = money?.held ?? 0;
          expect(held).toBeGreaterThanOrEqual(0);
          expect(held).toBeLessThanOrEqual(m.amount);
          if ((money?.released ?? 0) > 0)
            expect(money).toMatchObject({ released: m.amount, held: 0 });
        }
      });
    },
  );

  test.prop([scripts], { numRuns: runs })(
    'C3: money is refunded only to a source it came from, never more than that source paid in',
    (script) => {
      // Rebuilt from the events alone: what each funding paid in, for which milestone, from where.
      const fundings = new Map<
        string,
        { milestoneId: string; source: string; amount: number; out: number }
      >();
      const { events, state } = play(script, (step) => {
        if (step.accepted)
          eachEvent(step.before, step.events, (s) => assertInvariants(s, { rules: ['C3'] }));
      });
      for (const event of events) {
        if (event.type === 'MilestoneFunded') {
          const { fundingId, milestoneId, source, amount } = event.data;
          fundings.set(fundingId, { milestoneId, source, amount, out: 0 });
        } else if (event.type === 'FundsRefunded') {
          const f = fundings.get(event.data.fundingId);
          expect(f, `refund of unknown funding ${event.data.fundingId}`).toBeDefined();
          if (f === undefined) return;
          expect(event.data.source).toBe(f.source);
          expect(event.data.milestoneId).toBe(f.milestoneId);
          f.out += event.data.amount;
          expect(f.out).toBeLessThanOrEqual(f.amount);
        }
      }
      for (const [fundingId, f] of fundings) {
        const recorded = tableGet(state.escrow.milestones, f.milestoneId)?.fundings.find(
          (x) => x.fundingId === fundingId,
        );
        expect(recorded?.refunded).toBeLessThanOrEqual(f.amount);
        expect(recorded?.source).toBe(f.source);
      }
    },
  );

  test.prop([scripts], { numRuns: runs })(
    'C4: no refund is owed and left unpaid: automatic refunds directly follow their cause',
    (script) => {
      play(script, (step) => {
        if (!step.accepted) return;
        assertInvariants(step.after, {
          rules: ['C4'],
          where: `after ${step.events[0]?.type ?? 'nothing'}`,
        });
        // Within a decision, automatic refunds (R8, R9) come only after the event that causes them.
        const [cause, ...rest] = step.events;
        const automatic = (e: JobEvent): boolean =>
          e.type === 'FundsRefunded' && e.data.reason !== 'refunded-by-freelancer';
        if (cause !== undefined) expect(automatic(cause)).toBe(false);
        for (const e of rest) expect(e.type).toBe('FundsRefunded');
        // Money is held only where it may stay: active milestones and the pending proposal's.
        const { active, pending } = step.after.terms;
        const where = new Set(
          [...(active?.milestones ?? []), ...(pending?.milestones ?? [])].map((m) => m.milestoneId),
        );
        for (const [milestoneId, money] of tableEntries(step.after.escrow.milestones)) {
          if (money.held > 0)
            expect(where.has(milestoneId), `${milestoneId} holds ${String(money.held)}`).toBe(true);
        }
      });
    },
  );

  test.prop([scripts], { numRuns: runs })(
    'R5: a released milestone is frozen: every later command leaves its terms and its money unchanged',
    (script) => {
      const released = new Map<string, { terms: unknown; money: unknown }>();
      play(script, (step) => {
        if (!step.accepted) return;
        const after = step.after;
        for (const [milestoneId, was] of released) {
          const terms = after.terms.active?.milestones.find((m) => m.milestoneId === milestoneId);
          expect(terms, `released milestone ${milestoneId} left the active terms`).toEqual(
            was.terms,
          );
          expect(tableGet(after.escrow.milestones, milestoneId)).toEqual(was.money);
        }
        for (const event of step.events) {
          if (event.type !== 'FundsReleased') continue;
          const { milestoneId } = event.data;
          expect(released.has(milestoneId), `${milestoneId} released twice`).toBe(false);
          released.set(milestoneId, {
            terms: after.terms.active?.milestones.find((m) => m.milestoneId === milestoneId),
            money: tableGet(after.escrow.milestones, milestoneId),
          });
        }
      });
    },
  );
});
