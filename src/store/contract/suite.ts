import {
  checkSuiteArguments,
  registerCases,
  type ContractTestFunctions,
  type StoreUnderTest,
} from './kit.js';
import { globalOrder, reading } from './reading.js';
import { limits } from './limits.js';
import { badInput, optimisticConcurrency } from './writing.js';

/**
 * Registers the event store contract suite for one store: any store that passes it is a store.
 * It uses only the port (`EventStore`), so it runs unchanged against the in-memory store,
 * PostgreSQL or your own. `makeStore` must return an EMPTY store for each case (a fresh schema,
 * truncated tables...); its `close`, if given, runs after the case. The suite registers its cases
 * with the test functions you pass: vitest's or jest's `{ describe, it, expect }` as they are.
 *
 * @example
 * ```ts compile-only
 * import { describe, expect, it } from 'vitest';
 * import { createInMemoryEventStore } from 'milestone-escrow';
 * import { describeEventStoreContract } from 'milestone-escrow/store';
 *
 * describeEventStoreContract('in-memory', async () => ({ store: createInMemoryEventStore() }), {
 *   describe,
 *   it,
 *   expect,
 * });
 * ```
 */
export function describeEventStoreContract(
  name: string,
  makeStore: () => Promise<StoreUnderTest>,
  test: ContractTestFunctions,
): void {
  checkSuiteArguments(name, makeStore, test);
  test.describe(`event store contract: ${name}`, () => {
    for (const group of [reading, globalOrder, optimisticConcurrency, badInput, limits])
      registerCases(test, makeStore, group);
  });
}
