import { describe, expect, it } from 'vitest';
import {
  deadlines,
  isDomainError,
  milestoneMoney,
  moneyByMilestone,
  reviewDueAt,
  summarize,
} from '../../src/index.js';
import {
  jobStatus,
  milestoneTable,
  renderMilestoneTable,
  schedule,
  workMayBegin,
} from '../../src/projections/index.js';
import { assertInvariants, invariantViolations, logoDesign } from '../../src/testing/index.js';

/*
 * The functions that read a job's state (deadlines, the summary, the milestone table, the money
 * readers, the invariants) threw TypeErrors at `null`, a number, `{}`, a state of the wrong shape
 * or a getter that throws. Each checks the state's top at its entry (`readState`: a few dozen
 * reads, not a walk of its tables) and answers `INVALID_INPUT` at `state`.
 */

const state = logoDesign.state;
const m1 = 'm1';

const readers: Record<string, (s: unknown) => unknown> = {
  deadlines: (s) => deadlines(s as never),
  reviewDueAt: (s) => reviewDueAt(s as never, m1),
  summarize: (s) => summarize(s as never),
  jobStatus: (s) => jobStatus(s as never),
  workMayBegin: (s) => workMayBegin(s as never),
  milestoneMoney: (s) => milestoneMoney(s as never, m1),
  moneyByMilestone: (s) => moneyByMilestone(s as never),
  milestoneTable: (s) => milestoneTable(s as never),
  renderMilestoneTable: (s) => renderMilestoneTable(s as never),
  schedule: (s) => schedule(s as never, { asOf: '2014-11-03' }),
  invariantViolations: (s) => invariantViolations(s as never),
  assertInvariants: (s) => {
    assertInvariants(s as never);
  },
};

const json = JSON.parse(JSON.stringify(state)) as Record<string, unknown>;
const throwing = (key: string): unknown =>
  Object.defineProperty({ ...state }, key, {
    get(): never {
      throw new Error('a getter that throws');
    },
  });

const nonStates: Record<string, unknown> = {
  null: null,
  undefined,
  'a number': 5,
  'a string': 'state',
  '{}': {},
  'an array': [],
  'slices that are empty objects': {
    version: 3,
    job: {},
    terms: {},
    escrow: {},
    dispute: {},
    review: {},
  },
  'a slice of the wrong kind': { ...state, escrow: null },
  'a table that is an object (a Map through JSON)': {
    ...json,
    escrow: { ...(json['escrow'] as object), milestones: {} },
  },
  'totals that are a number': {
    ...json,
    escrow: { ...(json['escrow'] as object), totals: 5 },
  },
  'a version that is text': { ...json, version: '26' },
  'a getter that throws on escrow': throwing('escrow'),
  'a proxy that throws': new Proxy(
    {},
    {
      get() {
        throw new Error('a proxy that throws');
      },
      has() {
        throw new Error('a proxy that throws');
      },
    },
  ),
};

function outcome(read: () => unknown): string {
  try {
    read();
    return 'ok';
  } catch (error) {
    if (!isDomainError(error))
      return `not a DomainError: ${error instanceof Error ? `${error.name}: ${error.message}` : String(error)}`;
    return error.code;
  }
}

describe('functions that read a state, given something else', () => {
  it('each answers INVALID_INPUT for null, a number, {}, a state of the wrong shape, a throwing getter or proxy', () => {
    const found: string[] = [];
    for (const [reader, read] of Object.entries(readers))
      for (const [name, value] of Object.entries(nonStates)) {
        const result = outcome(() => read(value));
        if (result !== 'INVALID_INPUT') found.push(`${reader}(${name}): ${result}`);
      }
    expect(found).toEqual([]);
  });

  it('each reads a state the library made, and the same state parsed from JSON, alike', () => {
    for (const [reader, read] of Object.entries(readers)) {
      expect(
        outcome(() => read(state)),
        reader,
      ).toBe('ok');
      expect(read(json), reader).toEqual(read(state));
    }
  });

  it('reviewDueAt and milestoneMoney answer INVALID_INPUT for a milestone id that is not a string', () => {
    for (const id of [5, null, undefined, {}, Symbol('m1')]) {
      expect(outcome(() => reviewDueAt(state, id as never))).toBe('INVALID_INPUT');
      expect(outcome(() => milestoneMoney(state, id as never))).toBe('INVALID_INPUT');
    }
  });
});
