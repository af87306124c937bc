import { describe, expect, it } from 'vitest';
import { decide, fold, initialState, parseEvent, type JobEvent } from '../../src/index.js';
import { freezeEvent } from '../../src/store/index.js';
import { allFrozen, deepFreeze } from '../../src/domain/shared/freeze.js';

const at = '2014-11-03T09:00:00Z';
const awarded: JobEvent = {
  type: 'JobAwarded',
  data: {
    jobId: 'logo',
    title: 'Logo design',
    clientId: 'clara',
    freelancerId: 'felix',
    currency: 'USD',
    at,
  },
};
const proposed = (): JobEvent => ({
  type: 'TermsProposed',
  data: {
    proposalId: 'p1',
    by: 'client',
    at,
    milestones: [
      { milestoneId: 'm1', title: 'Start', description: '', dueDate: '2014-11-10', amount: 7500 },
    ],
  },
});

describe('frozen events are shared into the state', () => {
  it('freezeEvent deep-freezes in place, and fold shares its milestone list', () => {
    const event = freezeEvent(proposed());
    expect(Object.isFrozen(event) && Object.isFrozen(event.data)).toBe(true);
    if (event.type !== 'TermsProposed') throw new Error('unreachable');
    expect(Object.isFrozen(event.data.milestones[0])).toBe(true);
    const state = fold([freezeEvent(awarded), event]);
    expect(state.terms.pending?.milestones).toBe(event.data.milestones);
    // JSON and equality do not see the mark.
    expect(JSON.parse(JSON.stringify(event))).toEqual(proposed());
    expect(event).toStrictEqual(proposed());
  });

  it('events from parseEvent and decide are shared the same way', () => {
    const parsed = parseEvent(proposed());
    const state = fold([parseEvent(awarded), parsed]);
    expect(state.terms.pending?.milestones).toBe(
      (parsed as Extract<JobEvent, { type: 'TermsProposed' }>).data.milestones,
    );
    const decided = decide(
      {
        type: 'ProposeTerms',
        actor: 'clara',
        at,
        data: {
          proposalId: 'p2',
          milestones: [{ milestoneId: 'm2', title: 'More', dueDate: '2014-11-12', amount: 100 }],
        },
      },
      fold([awarded]),
    );
    const next = fold(decided, fold([awarded]));
    expect(next.terms.pending?.milestones).toBe(
      (decided[0] as Extract<JobEvent, { type: 'TermsProposed' }>).data.milestones,
    );
  });

  it('a list frozen only at the top is copied: the caller’s milestones are never frozen by the fold', () => {
    const event = proposed();
    if (event.type !== 'TermsProposed') throw new Error('unreachable');
    Object.freeze(event.data.milestones);
    const state = fold([awarded, event], initialState());
    expect(state.terms.pending?.milestones).not.toBe(event.data.milestones);
    expect(Object.isFrozen(event.data.milestones[0])).toBe(false);
    expect(Object.isFrozen(state.terms.pending?.milestones[0])).toBe(true);
    expect(state.terms.pending?.milestones).toEqual(event.data.milestones);
  });

  it('a list or a state that only inherits from a marked one is not trusted', () => {
    const frozenList = (freezeEvent(proposed()) as Extract<JobEvent, { type: 'TermsProposed' }>)
      .data.milestones;
    // Frozen at the top, its own item not frozen, its prototype a marked list.
    const heir = Object.freeze(
      Object.create(frozenList, {
        0: { value: { ...frozenList[0]! }, enumerable: true },
        length: { value: 1 },
      }) as typeof frozenList,
    );
    const event = proposed() as Extract<JobEvent, { type: 'TermsProposed' }>;
    const mine = { ...event, data: { ...event.data, milestones: heir } } as JobEvent & {
      data: { milestones: typeof heir };
    };
    const state = fold([awarded, mine]);
    expect(Object.isFrozen(mine.data.milestones[0])).toBe(false);
    expect(Object.isFrozen(state.terms.pending?.milestones[0])).toBe(true);

    // A state of 64 events or more is marked; an object inheriting from it is copied, not shared.
    const long: JobEvent[] = [awarded];
    for (let i = 0; i < 70; i++)
      long.push({
        type: 'TermsProposed',
        data: {
          proposalId: `p${String(i)}`,
          by: 'client',
          at,
          milestones: [
            {
              milestoneId: 'm1',
              title: 'Start',
              description: '',
              dueDate: '2014-11-10',
              amount: 1,
            },
          ],
        },
      });
    const marked = fold(long);
    const myAward = { ...marked.job.award! };
    const fake = Object.create(marked, {
      job: { value: { ...marked.job, award: myAward }, enumerable: true },
    }) as typeof marked;
    const next = fold([], fake);
    expect(next.job.award).not.toBe(myAward);
    expect(Object.isFrozen(myAward)).toBe(false);
    expect(Object.isFrozen(next.job.award)).toBe(true);
  });
});

describe('deepFreeze', () => {
  it('freezes own fields all the way down, never an object inherited from a polluted prototype', () => {
    const inherited = { a: 1 };
    Object.defineProperty(Object.prototype, 'polluted', {
      value: inherited,
      enumerable: true,
      configurable: true,
      writable: true,
    });
    const value = { list: [{ n: 1 }, 2, 'x', null], nested: { deeper: { n: 2 } }, n: 3 };
    try {
      deepFreeze(value);
    } finally {
      delete (Object.prototype as Record<string, unknown>)['polluted'];
    }
    expect(Object.isFrozen(inherited)).toBe(false);
    expect(Object.isFrozen(value.list[0])).toBe(true);
    expect(Object.isFrozen(value.nested.deeper)).toBe(true);
    expect(allFrozen(value.list as object[])).toBe(true);
  });
});
