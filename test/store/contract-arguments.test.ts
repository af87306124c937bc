import { describe, expect, it } from 'vitest';
import { createInMemoryEventStore, createInMemorySnapshotStore } from '../../src/index.js';
import {
  describeEventStoreContract,
  describeSnapshotStoreContract,
} from '../../src/store/index.js';
import { refusal } from '../hardening/hostile.js';

/*
 * A contract suite given the wrong name, test functions or store factory, or a factory that
 * resolves to something that is not a store under test: INVALID_INPUT naming it (a TypeError
 * before, at registration or in every case).
 */

describe('contract suites: what they are given', () => {
  const suites = {
    event: (make: unknown, test: unknown) =>
      describeEventStoreContract('x', make as never, test as never),
    snapshot: (make: unknown, test: unknown) =>
      describeSnapshotStoreContract('x', make as never, test as never),
  };
  for (const [kind, suite] of Object.entries(suites)) {
    it(`the ${kind} store suite refuses test functions that are not { describe, it, expect }`, async () => {
      const make = () => Promise.resolve({ store: createInMemoryEventStore() });
      for (const test of [{}, null, 5, { describe, it }])
        expect(await refusal(() => suite(make, test))).toEqual(['INVALID_INPUT', 'test']);
    });
    it(`the ${kind} store suite refuses a store factory that is not a function`, async () => {
      for (const make of [undefined, 5, { store: createInMemoryEventStore() }])
        expect(await refusal(() => suite(make, { describe, it, expect }))).toEqual([
          'INVALID_INPUT',
          'makeStore',
        ]);
    });
  }
});

const throwingGetter = (key: string): object =>
  Object.defineProperty({}, key, {
    enumerable: true,
    get(): never {
      throw new Error('a getter that throws');
    },
  });
const unprintable = {
  toString(): never {
    throw new Error('toString throws');
  },
};

/** Registers a suite with a runner that keeps its cases; runs the first one (assertions ignored). */
async function firstCase(
  suite: (name: unknown, make: unknown, test: unknown) => void,
  resolved: unknown,
): Promise<unknown> {
  const cases: (() => Promise<void>)[] = [];
  const assertion = {
    toBe() {},
    toEqual() {},
    toMatchObject() {},
    toBeGreaterThan() {},
    toHaveLength() {},
    not: { toBe() {} },
  };
  suite('x', () => Promise.resolve(resolved), {
    describe: (_title: string, body: () => void) => {
      body();
    },
    it: (_title: string, body: () => Promise<void>) => cases.push(body),
    expect: () => assertion,
  });
  return refusal(() => cases[0]?.());
}

describe('contract suites: their name, and what the store factory resolves to', () => {
  const suites = {
    event: {
      run: (name: unknown, make: unknown, test: unknown) =>
        describeEventStoreContract(name as never, make as never, test as never),
      store: () => createInMemoryEventStore(),
    },
    snapshot: {
      run: (name: unknown, make: unknown, test: unknown) =>
        describeSnapshotStoreContract(name as never, make as never, test as never),
      store: () => createInMemorySnapshotStore(),
    },
  };
  for (const [kind, { run, store }] of Object.entries(suites)) {
    it(`the ${kind} store suite refuses a name that is not a string (a Symbol, 5, an object whose toString throws)`, async () => {
      const make = () => Promise.resolve({ store: store() });
      for (const name of [Symbol('store'), 5, unprintable, null])
        expect(await refusal(() => run(name, make, { describe, it, expect }))).toEqual([
          'INVALID_INPUT',
          'name',
        ]);
    });

    it(`the ${kind} store suite's cases refuse a factory that resolves to no { store, close? }`, async () => {
      const refused: [unknown, string][] = [
        [null, 'makeStore()'],
        [5, 'makeStore()'],
        ['store', 'makeStore()'],
        [{}, 'makeStore().store'],
        [{ store: 5 }, 'makeStore().store'],
        [{ store: {} }, 'makeStore().store'],
        [throwingGetter('store'), 'makeStore().store'],
        [{ store: store(), close: 5 }, 'makeStore().close'],
        [Object.assign(throwingGetter('close'), { store: store() }), 'makeStore().close'],
      ];
      for (const [resolved, path] of refused)
        expect(await firstCase(run, resolved)).toEqual(['INVALID_INPUT', path]);
      expect(await firstCase(run, { store: store() })).toBe('accepted');
    });
  }

  it("the snapshot store suite's cases refuse a keep that is not a whole number ≥ 1 (Infinity: every one)", async () => {
    const { run } = suites.snapshot;
    for (const keep of [Number.NaN, -1, 0, 1.5, 1e300, '3', -Infinity, throwingGetter('x')])
      expect(await firstCase(run, { store: createInMemorySnapshotStore(), keep })).toEqual([
        'INVALID_INPUT',
        'makeStore().keep',
      ]);
    for (const keep of [1, 3, Number.POSITIVE_INFINITY, undefined])
      expect(await firstCase(run, { store: createInMemorySnapshotStore(), keep })).toBe('accepted');
  });

  it('close is called on what the factory resolved to, once a case is done', async () => {
    const closedOn: unknown[] = [];
    const under = {
      store: createInMemorySnapshotStore(),
      close(this: unknown) {
        closedOn.push(this);
        return Promise.resolve();
      },
    };
    expect(await firstCase(suites.snapshot.run, under)).toBe('accepted');
    expect(closedOn).toEqual([under]);
  });
});
