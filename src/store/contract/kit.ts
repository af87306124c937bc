import { fail, isDomainError } from '../../domain/shared/errors.js';
import { describe, thrownText } from '../../domain/shared/parse.js';
import { readFields } from '../../domain/shared/read-once.js';
import {
  countOption,
  functionOption,
  objectOption,
  optionalFunctionOption,
} from '../../shared/options.js';
import type { EventStore, EventToAppend, RecordedEvent } from '../port.js';

/*
 * What the contract's cases share: the test functions the caller injects (so that the suite runs
 * under vitest, jest or any runner with the same three functions, and the package depends on none
 * of them), the store of the case at hand, and a few small helpers.
 */

/** The assertions the contract suite makes: a subset of vitest's and jest's `expect`. */
export interface ContractAssertion {
  /** The value is `expected` (`Object.is`). */
  toBe(expected: unknown): void;
  /** The value equals `expected`, deeply. */
  toEqual(expected: unknown): void;
  /** The value has at least the keys of `expected`, with equal values. */
  toMatchObject(expected: Record<string, unknown> | readonly unknown[]): void;
  /** The value is a number greater than `expected`. */
  toBeGreaterThan(expected: number): void;
  /** The value has this `length`. */
  toHaveLength(expected: number): void;
  /** The negated assertions. */
  readonly not: {
    /** The value is not `expected` (`Object.is`). */
    toBe(expected: unknown): void;
  };
}

/**
 * The test functions the contract suite registers its cases with. vitest's and jest's
 * `{ describe, it, expect }` fit as they are.
 */
export interface ContractTestFunctions {
  /** Groups cases under a title. */
  readonly describe: (title: string, body: () => void) => void;
  /** Registers one asynchronous case. */
  readonly it: (title: string, body: () => Promise<void>) => void;
  /** Starts an assertion on a value (the message is shown when it fails). */
  readonly expect: (actual: unknown, message?: string) => ContractAssertion;
}

/**
 * Checks what a contract suite is given (both suites): a wrong `test` or `makeStore` was a
 * TypeError ("test.describe is not a function"), now `INVALID_INPUT` naming it; so was a `name`
 * that is not a string (a Symbol, an object whose `toString` throws), written into the title.
 */
export function checkSuiteArguments(
  name: unknown,
  makeStore: unknown,
  test: ContractTestFunctions,
): void {
  if (typeof name !== 'string')
    fail('INVALID_INPUT', `name must be a string (the suite's title), not ${describe(name)}`, {
      path: 'name',
    });
  functionOption(makeStore, 'makeStore');
  objectOption(test, 'test', "the runner's test functions", ['describe', 'it', 'expect']);
}

/** What a store factory returns: an EMPTY store, and how to close it after the case. */
export interface StoreUnderTest {
  /** An empty store. */
  readonly store: EventStore;
  /** Runs after the case: drop the schema, delete the files... */
  readonly close?: () => Promise<void>;
}

/** What each case gets: its own store, its reads collected into arrays, and the assertions. */
export interface ContractCase {
  readonly store: EventStore;
  readonly read: (
    streamId: string,
    options?: { after?: number; to?: number },
  ) => Promise<RecordedEvent[]>;
  readonly readAll: (after?: number) => Promise<RecordedEvent[]>;
  readonly expect: ContractTestFunctions['expect'];
  /** Awaits a rejection and checks that it is a `DomainError` with this code. */
  readonly expectCode: (promise: Promise<unknown>, code: string) => Promise<unknown>;
}

/** A titled group of the contract's cases; each case runs on a fresh, empty store. */
export interface ContractCases {
  readonly title: string;
  readonly cases: readonly {
    readonly title: string;
    readonly run: (c: ContractCase) => Promise<void>;
  }[];
}

async function collect(events: AsyncIterable<RecordedEvent>): Promise<RecordedEvent[]> {
  const out: RecordedEvent[] = [];
  for await (const e of events) out.push(e);
  return out;
}

/** A small event with nested JSON data, numbered `n`. */
export function ev(type: string, n: number, extra: Partial<EventToAppend> = {}): EventToAppend {
  return { type, data: { n, nested: { list: [n, String(n)], flag: n % 2 === 0 } }, ...extra };
}

async function rejection(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error('expected the promise to reject');
}

/** A titled group of cases of any contract, each run with what `caseOf` makes of a fresh store. */
export interface CaseGroup<C> {
  readonly title: string;
  readonly cases: readonly { readonly title: string; readonly run: (c: C) => Promise<void> }[];
}

/** Checks that a promise rejects with a `DomainError` of this code; returns the error. */
export type ExpectCode = (promise: Promise<unknown>, code: string) => Promise<unknown>;

/** What a store factory resolves to, as a case reads it. */
interface UnderTest {
  readonly store?: unknown;
  readonly keep?: unknown;
  readonly close?: () => Promise<void>;
}

/** The kind of store a suite tests: its name in messages and the methods it must have. */
export interface StoreKind {
  readonly what: string;
  readonly methods: readonly string[];
}

/** The snapshot store contract's kind of store. */
export const SNAPSHOTS: StoreKind = { what: 'a snapshot store', methods: ['save', 'load'] };

/** A snapshot store factory's `keep`: left out (or Infinity), every snapshot; else a count ≥ 1. */
export const keepOf = (keep: unknown): number =>
  keep === undefined || keep === Number.POSITIVE_INFINITY
    ? Number.POSITIVE_INFINITY
    : countOption(keep, 'makeStore().keep');

/**
 * What `makeStore()` resolved to, read once and checked: an object whose `store` has the kind's
 * methods and whose `close`, if any, is a function. Anything else (`null`, `{ store: 5 }`, a
 * throwing getter) failed every case with a TypeError; now `INVALID_INPUT` naming it.
 */
function underTest(under: unknown, kind: StoreKind): UnderTest {
  if (typeof under !== 'object' || under === null)
    fail('INVALID_INPUT', `makeStore must resolve to { store, close? }, not ${describe(under)}`, {
      path: 'makeStore()',
    });
  const read = readFields(under as UnderTest, ['store', 'keep', 'close'], 'makeStore()');
  objectOption(read.store, 'makeStore().store', kind.what, kind.methods);
  optionalFunctionOption(read.close, 'makeStore().close');
  return read;
}

/** Registers one group of cases: each runs on a store of its own, closed after it. */
export function registerGroup<U extends UnderTest, C>(
  t: ContractTestFunctions,
  makeStore: () => Promise<U>,
  kind: StoreKind,
  group: CaseGroup<C>,
  caseOf: (under: U, expectCode: ExpectCode) => C,
): void {
  const { expect } = t;
  const expectCode: ExpectCode = async (promise, code) => {
    const error = await rejection(promise);
    expect(isDomainError(error), `expected a DomainError, got ${thrownText(error)}`).toBe(true);
    expect((error as { code: string }).code).toBe(code);
    return error;
  };
  t.describe(group.title, () => {
    for (const { title, run } of group.cases) {
      t.it(title, async () => {
        const resolved = await makeStore();
        const under = underTest(resolved, kind) as U;
        try {
          await run(caseOf(under, expectCode));
        } finally {
          await under.close?.call(resolved);
        }
      });
    }
  });
}

/** Registers one group of the event store contract's cases. */
export function registerCases(
  t: ContractTestFunctions,
  makeStore: () => Promise<StoreUnderTest>,
  group: ContractCases,
): void {
  const kind = { what: 'an event store', methods: ['appendToStream', 'readStream', 'readAll'] };
  registerGroup(t, makeStore, kind, group, ({ store }, expectCode) => ({
    store,
    read: (streamId, options) => collect(store.readStream(streamId, options)),
    readAll: (after) => collect(store.readAll(after === undefined ? {} : { after })),
    expect: t.expect,
    expectCode,
  }));
}
