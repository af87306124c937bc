import fc from 'fast-check';
import { expect, vi } from 'vitest';
import { ERROR_CODES, isDomainError } from '../../src/index.js';

/*
 * The fuzz suite's tools (issue 16): structure-aware generators of hostile JSON and JavaScript
 * values, the budget of a target (a few seconds by default, longer with FUZZ_SECONDS or
 * FUZZ_RUNS), and the oracle: success or a DomainError with a code of ERROR_CODES; never another
 * exception, never a change to the caller's objects.
 */

const env = (name: string): number | undefined => {
  const value = process.env[name];
  return value === undefined || value === '' ? undefined : Number(value);
};

// The default run (npm test, CI) is the same every time: a fixed seed and a fixed number of
// cases, so that it passes or fails alike on any machine; FUZZ_SECONDS or FUZZ_RUNS make a long
// run with a new seed each time (FUZZ_SEED replays one).
const LONG = env('FUZZ_SECONDS') !== undefined || env('FUZZ_RUNS') !== undefined;
/** Cases per target: FUZZ_RUNS, or unbounded when only FUZZ_SECONDS is given; 100 by default. */
const RUNS = env('FUZZ_RUNS') ?? (LONG ? 1e9 : 100);
/** Seconds per target: FUZZ_SECONDS; by default 60, a guard against a hang, not a budget. */
const SECONDS = env('FUZZ_SECONDS') ?? 60;
const SEED = env('FUZZ_SEED') ?? (LONG ? undefined : 20_161_130);
// A target may take its whole budget, then shrink what it found: each test of these files gets
// that much time and more (vitest's default of 60 s timed out every FUZZ_SECONDS=60 run).
vi.setConfig({ testTimeout: SECONDS * 2_000 + 60_000 });
/** With FUZZ_SEED, replays the one case a failure's report names (fast-check's `path`). */
const PATH = process.env['FUZZ_PATH'] === '' ? undefined : process.env['FUZZ_PATH'];

/** How many cases each target ran in this process, printed at the end of its file. */
export const ran = new Map<string, number>();

/**
 * Runs a property within the target's budget and fails with fast-check's report (seed and
 * counterexample) if any case fails. Records how many cases ran.
 */
export async function fuzz<T>(
  target: string,
  arbitrary: fc.Arbitrary<T>,
  run: (value: T) => Promise<void> | void,
  share = 1,
): Promise<number> {
  const details = await fc.check(
    fc.asyncProperty(arbitrary, async (value) => {
      await run(value);
    }),
    {
      numRuns: Math.max(1, Math.floor(RUNS * share)),
      ...(SEED === undefined ? {} : { seed: SEED }),
      ...(PATH === undefined ? {} : { path: PATH }),
      // A long run stops when its time is up; the default run fails if it takes that long.
      plugins: [fc.interruptAfterTimeLimit(SECONDS * 1000 * share, { failOnInterrupt: !LONG })],
    },
  );
  if (details.failed) throw new Error(failureReport(details), { cause: details.errorInstance });
  ran.set(target, details.numRuns);
  return details.numRuns;
}

/**
 * The report of a failed run: fast-check's (seed, path, counterexample), the error that failed
 * the case, and how to replay it. Never throws: where fast-check cannot print the counterexample
 * (a getter that throws, 200,000 levels of nesting), it is described another way, so a failure
 * is never lost to its own report.
 */
export function failureReport<T>(details: fc.RunDetails<T>): string {
  const replay = `Replay: FUZZ_SEED=${String(details.seed)} FUZZ_PATH=${String(details.counterexamplePath)}`;
  let report: string;
  try {
    report = fc.defaultReportMessage(details) ?? 'Property failed';
  } catch (printing) {
    report = [
      `Property failed after ${String(details.numRuns)} tests`,
      `{ seed: ${String(details.seed)}, path: "${String(details.counterexamplePath)}" }`,
      `Counterexample (fast-check could not print it: ${textOf(printing, false)}):`,
      describeDeep(details.counterexample).slice(0, 8_000),
    ].join('\n');
  }
  return `${report}\n${replay}\nGot error: ${textOf(details.errorInstance, true)}`;
}

/** An error in words (its stack where it has one), whatever was thrown. */
function textOf(error: unknown, stack: boolean): string {
  try {
    if (error instanceof Error)
      return stack && error.stack !== undefined ? error.stack : `${error.name}: ${error.message}`;
    return String(error);
  } catch {
    return 'a thrown value that cannot be printed';
  }
}

/** Prints how many cases each target ran (the closing note records them). */
export function report(file: string): void {
  const lines = [...ran].map(([target, n]) => `  ${target}: ${String(n)} cases`);
  console.info(
    `fuzz (${file}, runs ${String(RUNS)}, ${String(SECONDS)} s, seed ${String(SEED)}):\n${lines.join('\n')}`,
  );
}

const CODES = new Set<string>(ERROR_CODES);

/** Runs a step: 'ok', or the code of the DomainError it threw; anything else fails the case. */
export function outcome(step: () => unknown): string {
  try {
    step();
    return 'ok';
  } catch (error) {
    return codeOf(error);
  }
}

/** Like {@link outcome}, for an asynchronous step. */
export async function outcomeOf(step: () => Promise<unknown>): Promise<string> {
  try {
    await step();
    return 'ok';
  } catch (error) {
    return codeOf(error);
  }
}

function codeOf(error: unknown): string {
  if (!isDomainError(error)) {
    const text = error instanceof Error ? (error.stack ?? error.message) : String(error);
    expect.fail(`not a DomainError: ${text}`);
  }
  expect(CODES.has(error.code), `unknown code ${error.code}`).toBe(true);
  expect(typeof error.message === 'string' && error.message.length > 0).toBe(true);
  return error.code;
}

/**
 * A description of a value that changes when anything reachable in it changes: values, keys,
 * getters (not called), prototypes, frozenness. Cycles are named by their first path.
 */
export function describeDeep(value: unknown): string {
  const seen = new Map<object, string>();
  const out: string[] = [];
  const walk = (v: unknown, path: string, depth: number): void => {
    if (typeof v === 'bigint') return void out.push(`${path}=${String(v)}n`);
    if (typeof v === 'symbol') return void out.push(`${path}=${v.toString()}`);
    if (typeof v === 'function') return void out.push(`${path}=function`);
    if (typeof v !== 'object' || v === null)
      return void out.push(`${path}=${String(v)}:${typeof v}`);
    const first = seen.get(v);
    if (first !== undefined) return void out.push(`${path}=@${first}`);
    seen.set(v, path);
    if (depth > 2000) return void out.push(`${path}=deep`);
    const proto = Object.getPrototypeOf(v) as unknown;
    out.push(
      `${path}:${Object.prototype.toString.call(v)}:${proto === null ? 'null' : ''}:${String(Object.isFrozen(v))}:${String(Object.isExtensible(v))}`,
    );
    if (v instanceof Map) for (const [k, item] of v) walk(item, `${path}<${String(k)}>`, depth + 1);
    for (const key of Reflect.ownKeys(v)) {
      const d = Object.getOwnPropertyDescriptor(v, key);
      const at = `${path}.${String(key)}`;
      if (d === undefined) continue;
      if ('value' in d) walk(d.value, at, depth + 1);
      else out.push(`${at}=accessor`);
    }
  };
  walk(value, '$', 0);
  return out.join('\n');
}

// ------------------------------------------------------------------ hostile values

const ODD_KEYS = [
  '__proto__',
  'constructor',
  'prototype',
  'toString',
  'valueOf',
  'hasOwnProperty',
  'type',
  'data',
  'metadata',
  'actor',
  'at',
  'amount',
  'milestoneId',
  'length',
  '0',
  '',
  ' ',
  '\ud800',
  'a\u0000b',
  '😀',
];

const ODD_STRINGS = [
  '',
  ' ',
  '\ud800',
  '\udc00',
  'a\ud83d',
  '\ude00b',
  '\u0000',
  '\uFEFF',
  '😀',
  '\u202e',
  'x'.repeat(201),
  'x'.repeat(5001),
  'x'.repeat(70_000),
  '2014-11-03T09:00:00Z',
  '0014-11-10',
  '0000-01-01',
  '2014-02-30',
  '9999-12-31',
  'm1',
  'p1',
  'f1',
  'clara',
  'felix',
  'client-1',
  'freelancer-1',
  'USD',
  'card:visa-4242',
  '__proto__',
  'NaN',
];

const ODD_NUMBERS = [
  0,
  -0,
  1,
  -1,
  1.5,
  Number.NaN,
  Number.POSITIVE_INFINITY,
  Number.NEGATIVE_INFINITY,
  2 ** 31,
  2 ** 31 - 1,
  2 ** 53,
  Number.MAX_SAFE_INTEGER,
  Number.MAX_VALUE,
  Number.MIN_VALUE,
  7500,
];

/** A key an attacker would try. */
export const oddKey = fc.oneof(fc.constantFrom(...ODD_KEYS), fc.string({ maxLength: 8 }));

const leaf: fc.Arbitrary<unknown> = fc.oneof(
  fc.constant(null),
  fc.constant(undefined),
  fc.boolean(),
  fc.constantFrom(...ODD_NUMBERS),
  fc.double(),
  fc.integer(),
  fc.constantFrom(...ODD_STRINGS),
  fc.string({ unit: 'binary', maxLength: 12 }),
  fc.bigInt(),
  fc.constant(Symbol('hostile')),
  fc.date({ noInvalidDate: false }),
  fc.constant(() => 1),
);

function nested(levels: number, asObject: boolean): unknown {
  let value: unknown = 'bottom';
  for (let i = 0; i < levels; i++) value = asObject ? { a: value } : [value];
  return value;
}

function withGetter(value: unknown, throws: boolean): object {
  // fast-check prints a counterexample through this, never through the getter.
  const printed = { [fc.toStringMethod]: () => `getter(${throws ? 'throws' : 'value'})` };
  return Object.defineProperty(printed, 'amount', {
    enumerable: true,
    get() {
      if (throws) throw new Error('a getter that throws');
      return value;
    },
  });
}

/** Values no JSON holds, or that need care: cycles, getters, deep nesting, exotic objects. */
const special: fc.Arbitrary<unknown> = fc.oneof(
  fc.constant(null).map(() => {
    const cyclic: Record<string, unknown> = { type: 'JobAwarded' };
    cyclic['data'] = cyclic;
    return cyclic;
  }),
  fc.tuple(leaf, fc.boolean()).map(([v, throws]) => withGetter(v, throws)),
  fc
    .constantFrom(3, 300, 20_000, 200_000)
    .chain((levels) => fc.boolean().map((asObject) => nested(levels, asObject))),
  fc.constant(null).map(() => new Map([['a', 1]])),
  fc.constant(null).map(() => Object.create(null) as object),
  fc.constant(null).map(() => Object.freeze({ a: 1 })),
  fc.constant(null).map(() => [1, , 3]), // eslint-disable-line no-sparse-arrays
  fc.constant(null).map(() => new Array(10_000).fill('m1') as unknown[]),
  fc.constant(null).map(
    () =>
      new (class Point {
        x = 1;
      })(),
  ),
);

/** A hostile value: odd leaves, exotic objects, and objects and arrays of them with odd keys. */
export const hostile: fc.Arbitrary<unknown> = fc.letrec<{ value: unknown }>((tie) => ({
  value: fc.oneof(
    { maxDepth: 3, depthIdentifier: 'hostile' },
    leaf,
    special,
    fc.array(tie('value'), { maxLength: 4 }),
    fc.array(fc.tuple(oddKey, tie('value')), { maxLength: 4 }).map((pairs) => {
      const object: Record<string, unknown> = {};
      // defineProperty: `__proto__` becomes an own key, as JSON.parse makes it.
      for (const [k, v] of pairs)
        Object.defineProperty(object, k, {
          value: v,
          enumerable: true,
          writable: true,
          configurable: true,
        });
      return object;
    }),
  ),
})).value;

/** One mutation of a valid value: where (a path of choices), what, and how. */
export interface Mutation {
  readonly path: readonly number[];
  readonly op: 'replace' | 'delete' | 'add';
  readonly key: string;
  readonly value: unknown;
}

export const mutation: fc.Arbitrary<Mutation> = fc.record({
  path: fc.array(fc.nat(), { maxLength: 6 }),
  op: fc.constantFrom('replace', 'replace', 'delete', 'add'),
  key: oddKey,
  value: hostile,
});

function plainCopy(value: unknown): unknown {
  return JSON.parse(JSON.stringify(value)) as unknown;
}

/** A copy of a valid (JSON) value with one mutation applied: structure kept, one place hostile. */
export function mutate(valid: unknown, m: Mutation): unknown {
  const holder: Record<string, unknown> = { root: plainCopy(valid) };
  let parent: Record<string, unknown> = holder;
  let key = 'root';
  for (const step of m.path) {
    const current = parent[key];
    if (typeof current !== 'object' || current === null) break;
    const keys = Object.keys(current);
    if (keys.length === 0) break;
    parent = current as Record<string, unknown>;
    key = keys[step % keys.length] ?? '';
  }
  const target = parent[key];
  if (m.op === 'delete') Reflect.deleteProperty(parent, key);
  else if (m.op === 'add' && typeof target === 'object' && target !== null) {
    try {
      Object.defineProperty(target, m.key, {
        value: m.value,
        enumerable: true,
        writable: true,
        configurable: true,
      });
    } catch {
      // An array's `length` cannot be any value: replace the array instead.
      parent[key] = m.value;
    }
  } else parent[key] = m.value;
  return holder['root'];
}
