/*
 * `verifyHistory` checks a frozen event in place (`parseFrozenEvent`) instead of copying it: the
 * same state, the same errors, and nothing of the caller's frozen, whatever the events.
 */
import fc from 'fast-check';
import { test } from '@fast-check/vitest';
import { describe, expect, it } from 'vitest';
import { isDomainError, verifyHistory, type JobEvent } from '../../src/index.js';
import { numRuns, play, scripts } from './prop-support.js';

const at = '2014-11-03T09:00:00Z';
const awarded = {
  type: 'JobAwarded',
  data: {
    jobId: 'logo',
    title: 'Logo',
    clientId: 'clara',
    freelancerId: 'felix',
    currency: 'USD',
    at,
  },
};
const proposed = (milestones: unknown) => ({
  type: 'TermsProposed',
  data: { proposalId: 'p1', by: 'client', at, milestones },
});
const milestone = {
  milestoneId: 'm1',
  title: 'Start',
  description: '',
  dueDate: '2014-11-10',
  amount: 7500,
};

/** What verifyHistory does with these events: its state, or its error's code, message and details. */
function outcome(events: readonly unknown[]): unknown {
  try {
    return { state: verifyHistory(events) };
  } catch (error) {
    if (!isDomainError(error)) throw error;
    return { code: error.code, message: error.message, details: error.details };
  }
}

describe('verifyHistory on frozen events (checked in place)', () => {
  test.prop([scripts], { numRuns: numRuns(60) })(
    'decided (frozen) events verify to the state their unfrozen JSON copies verify to',
    (script) => {
      const { events } = play(script);
      const copies = JSON.parse(JSON.stringify(events)) as JobEvent[];
      expect(outcome(events)).toEqual(outcome(copies));
    },
  );

  it('a frozen event that breaks the schema is the same INVALID_INPUT, at the same position, as its copy', () => {
    const bad = [
      { ...milestone, amount: -1 },
      { ...milestone, dueDate: '2014-02-30' },
      { ...milestone, extra: true },
    ];
    for (const m of bad) {
      const frozen = [awarded, proposed([m])].map((e) =>
        Object.freeze({ ...e, data: Object.freeze({ ...e.data }) }),
      );
      const result = outcome(frozen);
      expect(result).toMatchObject({ code: 'INVALID_INPUT', details: { position: 2 } });
      expect(result).toEqual(outcome(JSON.parse(JSON.stringify(frozen)) as unknown[]));
    }
  });

  it('a frozen event whose getter throws is a DomainError, never the getter’s error', () => {
    const data = {
      jobId: 'logo',
      title: 'Logo',
      clientId: 'clara',
      freelancerId: 'felix',
      currency: 'USD',
    };
    Object.defineProperty(data, 'at', {
      enumerable: true,
      get: () => {
        throw new TypeError('boom');
      },
    });
    const event = Object.freeze({ type: 'JobAwarded', data: Object.freeze(data) });
    let thrown: unknown;
    try {
      verifyHistory([event]);
    } catch (error) {
      thrown = error;
    }
    expect(isDomainError(thrown)).toBe(true);
  });

  it('freezes nothing of the caller’s: a frozen event with an unfrozen milestone list keeps it unfrozen', () => {
    const list = [{ ...milestone }];
    const event = Object.freeze({
      ...proposed(list),
      data: Object.freeze({ ...proposed(list).data }),
    });
    const state = verifyHistory([Object.freeze(awarded), event]);
    expect(Object.isFrozen(list)).toBe(false);
    expect(Object.isFrozen(list[0])).toBe(false);
    // The state holds its own frozen copy of the list.
    expect(state.terms.pending?.milestones).toEqual(list);
    expect(Object.isFrozen(state.terms.pending?.milestones)).toBe(true);
  });

  test.prop([fc.anything()], { numRuns: 200 })(
    'anything frozen is a DomainError or a state, never another error',
    (value) => {
      const frozen = value !== null && typeof value === 'object' ? Object.freeze(value) : value;
      try {
        verifyHistory([frozen]);
      } catch (error) {
        expect(isDomainError(error)).toBe(true);
      }
    },
  );
});
