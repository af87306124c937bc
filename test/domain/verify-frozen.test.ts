/*
 * `verifyHistory` checks a frozen event in place (`parseFrozenEvent`) instead of copying it: the
 * same state, the same errors, and nothing of the caller's frozen, whatever the events.
 */
import fc from 'fast-check';
import { test } from '@fast-check/vitest';
import { describe, expect, it } from 'vitest';
import {
  isDomainError,
  milestoneMoney,
  verifyHistory,
  type JobEvent,
  type Milestone,
} from '../../src/index.js';
import { activeLogo, ev, LOGO, LOGO_MILESTONES } from './helpers.js';
import { numRuns, play, scripts } from './prop-support.js';

// The seed's logo job (test/domain/helpers.ts), as plain, unfrozen events.
const awarded = ev.awarded();
const first = LOGO_MILESTONES[0] as Milestone;
const proposed = (milestones: readonly unknown[]) =>
  ev.proposed('client', 'p1', milestones as readonly Milestone[]);

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
      { ...first, amount: -1 },
      { ...first, dueDate: '2014-02-30' },
      { ...first, extra: true },
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
    const data: Record<string, unknown> = { ...LOGO };
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
    const list = [{ ...first }];
    const event = Object.freeze({
      ...proposed(list),
      data: Object.freeze({ ...proposed(list).data, milestones: list }),
    });
    const state = verifyHistory([Object.freeze(awarded), event]);
    expect(Object.isFrozen(list)).toBe(false);
    expect(Object.isFrozen(list[0])).toBe(false);
    // The state holds its own frozen copy of the list.
    expect(state.terms.pending?.milestones).toEqual(list);
    expect(Object.isFrozen(state.terms.pending?.milestones)).toBe(true);
  });

  it('a frozen event with a getter is read once, as a copy: a getter answering otherwise on a later read cannot change the verified state (it held 10^15 where 7,500 was checked)', () => {
    const good = ev.funded('m1', 'f1', 7500);
    let reads = 0;
    const data: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(good.data as Record<string, unknown>))
      Object.defineProperty(data, key, {
        enumerable: true,
        // The amount reads right while it is checked, and 10^15 afterwards.
        get: key === 'amount' ? () => ((reads += 1) <= 2 ? value : 1e15) : () => value,
      });
    const hostile = Object.freeze({ type: good.type, data: Object.freeze(data) });
    const state = verifyHistory([...activeLogo(), hostile]);
    expect(milestoneMoney(state, 'm1')).toMatchObject({ funded: 7500, held: 7500 });
    expect(state).toEqual(verifyHistory([...activeLogo(), good]));
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
