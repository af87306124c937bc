import { describe, expect, it } from 'vitest';
import { createInMemoryEventStore, isDomainError } from '../../src/index.js';
import {
  describeEventStoreContract,
  describeSnapshotStoreContract,
} from '../../src/store/index.js';

/* A contract suite given the wrong test functions or store factory: INVALID_INPUT naming it (a TypeError before). */

function codeOf(run: () => void): unknown {
  try {
    run();
    return 'accepted';
  } catch (error) {
    return isDomainError(error)
      ? [error.code, error.details.path]
      : `not a DomainError: ${String(error)}`;
  }
}

describe('contract suites: what they are given', () => {
  const suites = {
    event: (make: unknown, test: unknown) =>
      describeEventStoreContract('x', make as never, test as never),
    snapshot: (make: unknown, test: unknown) =>
      describeSnapshotStoreContract('x', make as never, test as never),
  };
  for (const [kind, suite] of Object.entries(suites)) {
    it(`the ${kind} store suite refuses test functions that are not { describe, it, expect }`, () => {
      const make = () => Promise.resolve({ store: createInMemoryEventStore() });
      for (const test of [{}, null, 5, { describe, it }])
        expect(codeOf(() => suite(make, test))).toEqual(['INVALID_INPUT', 'test']);
    });
    it(`the ${kind} store suite refuses a store factory that is not a function`, () => {
      for (const make of [undefined, 5, { store: createInMemoryEventStore() }])
        expect(codeOf(() => suite(make, { describe, it, expect }))).toEqual([
          'INVALID_INPUT',
          'makeStore',
        ]);
    });
  }
});
