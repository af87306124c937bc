/*
 * Part two's invariants over generated scripts (the toolkit's: part two's policies, fees,
 * disputes, expiries and attacks on every new rule, from the client, the freelancer, the platform
 * and a stranger): C5 after every event, recomputed from the events alone; R17's "while a dispute
 * is open its money moves only through it"; and R21's "a settled milestone never changes again".
 */
import fc from 'fast-check';
import { test } from '@fast-check/vitest';
import { describe, expect, it } from 'vitest';
import { isSettled } from '../../src/domain/escrow/state.js';
import { tableGet } from '../../src/domain/shared/table.js';
import { fold, summarize, type JobEvent, type JobState } from '../../src/index.js';
import { assertInvariants } from '../../src/testing/index.js';
import { numRuns, play, scripts } from './prop-support.js';

const runs = numRuns(60);

/** R22's fee, computed here with BigInt, apart from the domain's `feeOn`. */
function r22(amount: number, bps: number): number {
  return Number((BigInt(amount) * BigInt(bps) + 5000n) / 10000n);
}

describe('C5 over generated scripts', () => {
  test.prop([scripts], { numRuns: runs })(
    "C5: after every event, every release's fee is R22's on its amount under the job's policy, 0 ≤ fee ≤ amount, and the job's fees are their sum",
    (script) => {
      let bps = 0;
      let fees = 0;
      const perMilestone = new Map<string, number>();
      play(script, (step) => {
        if (!step.accepted) return;
        let state = step.before;
        for (const event of step.events) {
          state = fold([event], state);
          assertInvariants(state, { rules: ['C5'], where: `after ${event.type}` });
          if (event.type === 'JobAwarded') bps = event.data.policy?.serviceFeeBps ?? 0;
          if (event.type === 'FundsReleased') {
            const { amount, fee = 0, milestoneId } = event.data;
            expect(fee).toBe(r22(amount, bps));
            expect(fee).toBeGreaterThanOrEqual(0);
            expect(fee).toBeLessThanOrEqual(amount);
            fees += fee;
            perMilestone.set(milestoneId, (perMilestone.get(milestoneId) ?? 0) + fee);
          }
          if (event.type === 'FundsRefunded') expect('fee' in event.data).toBe(false);
        }
        const summary = summarize(step.after);
        expect(summary.totals.fees).toBe(fees);
        expect(summary.totals.fees).toBeLessThanOrEqual(summary.totals.released);
        for (const m of summary.milestones)
          expect(m.fees).toBe(perMilestone.get(m.milestoneId) ?? 0);
      });
    },
  );
});

/** What a settlement fixes of a milestone: its money, its terms, what the summary shows of it. */
function fixed(state: JobState, milestoneId: string): string {
  return JSON.stringify({
    money: tableGet(state.escrow.milestones, milestoneId),
    terms: state.terms.active?.milestones.find((m) => m.milestoneId === milestoneId),
    summary: summarize(state).milestones.find((m) => m.milestoneId === milestoneId),
    settled: isSettled(state.escrow, milestoneId),
  });
}

/** The milestone an event is about, if it names one. */
function named(event: JobEvent): string | undefined {
  return 'milestoneId' in event.data ? event.data.milestoneId : undefined;
}

describe('R21 over generated scripts', () => {
  test.prop([scripts], { numRuns: runs })(
    'R21: a settled milestone never changes again: no later event names it, its money, terms, status and dispute stay as the settlement left them',
    (script) => {
      const settled = new Map<string, string>();
      play(script, (step) => {
        if (!step.accepted) return;
        for (const [milestoneId, was] of settled) {
          for (const event of step.events)
            expect(named(event), `${event.type} after ${milestoneId} settled`).not.toBe(
              milestoneId,
            );
          expect(fixed(step.after, milestoneId)).toBe(was);
        }
        for (const event of step.events)
          if (event.type === 'DisputeSettled') {
            const { milestoneId } = event.data;
            const summary = summarize(step.after).milestones.find(
              (m) => m.milestoneId === milestoneId,
            );
            expect(summary).toMatchObject({ status: 'settled', held: 0, dispute: null });
            settled.set(milestoneId, fixed(step.after, milestoneId));
          }
      });
    },
  );

  it('the generated scripts settle disputes, agreed, ruled and expired (the property above is not vacuous)', () => {
    const outcomes = new Set<string>();
    let settlements = 0;
    for (const script of fc.sample(scripts, { numRuns: 60, seed: 20141124 }))
      for (const event of play(script).events)
        if (event.type === 'DisputeSettled') {
          settlements += 1;
          outcomes.add(event.data.outcome);
        }
    expect(settlements).toBeGreaterThan(5);
    // The writer's expiry moves its clock past respondBy (R20): it was so rare a move that none of
    // these 60 scripts had one.
    expect([...outcomes]).toEqual(expect.arrayContaining(['agreed', 'ruled', 'expired']));
  });
});

describe('R17 over generated scripts', () => {
  test.prop([scripts], { numRuns: runs })(
    "R17: while a milestone's dispute is open its money moves only through the dispute: no funding, release or refund of it but a settlement's",
    (script) => {
      const disputed = new Set<string>();
      play(script, (step) => {
        if (!step.accepted) return;
        const [cause] = step.events;
        for (const event of step.events) {
          const moves =
            event.type === 'MilestoneFunded' ||
            event.type === 'FundsReleased' ||
            event.type === 'FundsRefunded';
          if (moves && disputed.has(event.data.milestoneId))
            expect(cause?.type, `${event.type} of disputed ${event.data.milestoneId}`).toBe(
              'DisputeSettled',
            );
        }
        for (const event of step.events) {
          if (event.type === 'DisputeOpened') disputed.add(event.data.milestoneId);
          if (event.type === 'DisputeSettled') disputed.delete(event.data.milestoneId);
          if (event.type === 'DisputeWithdrawn') {
            const d = step.before.dispute.disputes;
            const milestoneId = tableGet(d, event.data.disputeId)?.milestoneId;
            if (milestoneId !== undefined) disputed.delete(milestoneId);
          }
        }
      });
    },
  );
});
