/* eslint-disable @typescript-eslint/no-explicit-any, @typescript-eslint/no-unsafe-member-access, @typescript-eslint/no-unsafe-argument -- states broken on purpose, through their internals */
import { describe, expect, it } from 'vitest';
import { type JobEvent, type JobState } from '../../src/index.js';
import { tableGet } from '../../src/domain/shared/table.js';
import {
  assertHistory,
  assertInvariants,
  InvariantAssertionError,
  logoDesign,
  microsoftAccess,
} from '../../src/testing/index.js';

/** A mutable deep copy of a state, to break on purpose. */
function broken(
  state: JobState,
  change: (s: { -readonly [K in keyof JobState]: any }) => void,
): JobState {
  const copy = structuredClone(state) as { -readonly [K in keyof JobState]: any };
  change(copy);
  return copy;
}

function failure(run: () => void): InvariantAssertionError {
  try {
    run();
  } catch (error) {
    if (error instanceof InvariantAssertionError) return error;
    throw error;
  }
  throw new Error('expected an InvariantAssertionError');
}

describe('assertInvariants', () => {
  it('passes on every stage of the fixtures', () => {
    for (const stage of [
      ...Object.values(logoDesign.stages),
      ...Object.values(microsoftAccess.stages),
    ])
      assertInvariants(stage.state);
  });

  it('C1: fails when held + released + refunded is not what was funded', () => {
    const state = broken(logoDesign.stages.accepted.state, (s) => {
      tableGet<{ held: number }>(s.escrow.milestones, 'm1')!.held += 1;
    });
    const error = failure(() => assertInvariants(state, { where: 'in this test' }));
    expect(error.rule).toBe('C1');
    expect(error.message).toMatch(/^C1 broken in this test: milestone m1/);
    expect(error.violations.length).toBeGreaterThan(1);
    expect(error.message).toMatch(/\(and \d+ more\)$/);
  });

  it('C2: fails when a milestone holds more than its amount', () => {
    const state = broken(logoDesign.stages.accepted.state, (s) => {
      s.terms.active.milestones[0].amount = 5000;
    });
    expect(failure(() => assertInvariants(state)).rule).toBe('C2');
  });

  it('C3: fails when a funding got back more than it paid in', () => {
    const state = broken(microsoftAccess.state, (s) => {
      tableGet<{ fundings: { refunded: number }[] }>(
        s.escrow.milestones,
        'schema',
      )!.fundings[0]!.refunded += 1; // 20001 back of 20000 paid in
    });
    expect(
      failure(() => assertInvariants(state, { rules: ['C3'] })).violations.map((v) => v.rule),
    ).toEqual(['C3']);
  });

  it('C4: fails when money is held where no terms keep it (a refund owed and unpaid)', () => {
    const state = broken(microsoftAccess.stages.prefunded.state, (s) => {
      s.terms.pending = null;
    });
    expect(failure(() => assertInvariants(state)).rule).toBe('C4');
    // Each law can be checked alone.
    assertInvariants(state, { rules: ['C1', 'C2', 'C3'] });
  });
});

describe('assertHistory', () => {
  it('returns the state of a legal history', () => {
    expect(assertHistory(logoDesign.events)).toEqual(logoDesign.state);
  });

  it('fails on a history decide could not have written, naming the event', () => {
    const events: JobEvent[] = [
      ...logoDesign.stages.proposed.events,
      {
        type: 'FundsReleased',
        data: { milestoneId: 'm1', amount: 7500, at: '2014-11-04T09:00:00Z' },
      },
    ];
    expect(() => assertHistory(events)).toThrow(
      /the history is not legal: event 3 \(FundsReleased\) breaks R6/,
    );
  });

  it('fails on a history that stops before an owed refund', () => {
    const withoutRefund = microsoftAccess.stages.countered.events.slice(0, -1);
    expect(() => assertHistory(withoutRefund)).toThrow(/ends before the owed refund/);
  });
});
