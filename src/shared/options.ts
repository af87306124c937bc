import { fail } from '../domain/shared/errors.js';
import { describe, isInstance, isRecord, readsAsFunction } from '../domain/shared/parse.js';
import { readFields } from '../domain/shared/read-once.js';
import { isNameText } from '../domain/shared/schema.js';

/*
 * The checks of the options a factory takes (the command handler, the stores, the live runners,
 * the upcasters), made where the thing is created. Unchecked, a wait that was not a positive
 * number (`-1`, `0`, `NaN`) never slept and a loop spun; a size of `NaN` or `1.5` read nothing or
 * everything; a name that was a Symbol threw a TypeError while its message was written. Each bad
 * option is `INVALID_INPUT` naming it in `details.path`, saying what is allowed and what was given.
 */

/**
 * The longest wait a loop can take: `setTimeout` runs a delay of 2^31 ms or more after 1 ms, so a
 * longer wait would spin too.
 */
export const MAX_WAIT_MS = 2 ** 31 - 1;

/** The smallest and largest value an integer option takes, and what it counts. */
interface IntegerRange {
  readonly min: number;
  readonly max: number;
  /** The allowed values in words, for the message. */
  readonly allowed: string;
}

const COUNT: IntegerRange = { min: 1, max: Number.MAX_SAFE_INTEGER, allowed: 'a whole number ≥ 1' };
const SIZE: IntegerRange = {
  min: 0,
  max: Number.MAX_SAFE_INTEGER,
  allowed: 'a whole number ≥ 0 (0 keeps nothing)',
};
const RETRIES: IntegerRange = {
  min: 0,
  max: Number.MAX_SAFE_INTEGER,
  allowed: 'a whole number ≥ 0 (0 never retries)',
};
const VERSION: IntegerRange = { min: 1, max: 2 ** 31 - 1, allowed: 'a whole number ≥ 1' };
const WAIT: IntegerRange = {
  min: 1,
  max: MAX_WAIT_MS,
  allowed: `a whole number of milliseconds from 1 to ${String(MAX_WAIT_MS)} (about 24.8 days)`,
};

/** What {@link nameOption} takes, for the messages that name it. */
export const NAME_RULE = 'a string of 1–200 characters of well-formed text without U+0000';

/**
 * A name a database keeps, given as an option (a consumer's, the handler's `snapshotVersion`):
 * `isNameText`, the rule the snapshot stores check a snapshot's `snapshotVersion` by. It was a
 * pattern of its own, counting UTF-16 units where the stores count code points.
 */
export function nameOption(value: unknown, path: string): string {
  if (typeof value === 'string' && isNameText(value)) return value;
  return fail('INVALID_INPUT', `${path} must be ${NAME_RULE}, not ${describe(value)}`, { path });
}

function integerOption(value: unknown, path: string, range: IntegerRange): number {
  if (
    typeof value === 'number' &&
    Number.isSafeInteger(value) &&
    value >= range.min &&
    value <= range.max
  )
    return value;
  return fail('INVALID_INPUT', `${path} must be ${range.allowed}, not ${describe(value)}`, {
    path,
  });
}

/** A count of things per step (`batchSize`, `fireSize`, `snapshotEvery`): an integer ≥ 1. */
export function countOption(value: unknown, path: string): number {
  return integerOption(value, path, COUNT);
}

/** How many things stay in memory (`cacheSize`): an integer ≥ 0. */
export function sizeOption(value: unknown, path: string): number {
  return integerOption(value, path, SIZE);
}

/** How many times a conflict is tried again (`maxRetries`): an integer ≥ 0. */
export function retriesOption(value: unknown, path: string): number {
  return integerOption(value, path, RETRIES);
}

/** A schema version (an upcaster chain's first): an integer from 1 to 2^31 − 1, as stores keep. */
export function versionOption(value: unknown, path: string): number {
  return integerOption(value, path, VERSION);
}

/** A wait or a lease (`pollMs`, `lockRetryMs`, `leaseMs`): 1 to {@link MAX_WAIT_MS} ms. */
export function waitOption(value: unknown, path: string): number {
  return integerOption(value, path, WAIT);
}

/**
 * A yes-or-no option (`verify`, `validate`, `keepRetired`): `true` or `false`, `fallback` when
 * left out. Read as `=== true`, a `'yes'` or a `1` silently switched a check off.
 */
export function booleanOption(value: unknown, path: string, fallback: boolean): boolean {
  const given = value ?? fallback;
  if (typeof given === 'boolean') return given;
  return fail('INVALID_INPUT', `${path} must be true or false, not ${describe(value)}`, { path });
}

/** A function option (`backoff`, `retryDelay`, `send`, `handle`). */
export function functionOption<F>(value: F, path: string): F {
  if (typeof value === 'function') return value;
  return fail('INVALID_INPUT', `${path} must be a function, not ${describe(value)}`, { path });
}

/** A function option that may be left out (`onError`, `now`, `retryDelayMs`). */
export function optionalFunctionOption<F>(value: F | undefined, path: string): F | undefined {
  return value === undefined ? undefined : functionOption(value, path);
}

/**
 * A text option that becomes part of SQL or a lock key (`schema`, `name`): a string matching
 * `pattern`, whose rule `allowed` says in words.
 */
export function textOption(value: unknown, path: string, pattern: RegExp, allowed: string): string {
  if (typeof value === 'string' && pattern.test(value)) return value;
  return fail('INVALID_INPUT', `${path} must be ${allowed}, not ${describe(value)}`, { path });
}

/**
 * A collaborator given as an option (`store`, `pool`, `handler`, `clock`): an object with the
 * named methods. Checked at creation, so that a missing one is not a TypeError at the first call.
 */
export function objectOption<T>(
  value: T,
  path: string,
  what: string,
  methods: readonly string[],
): T {
  const holder: unknown = value;
  if (
    (typeof holder === 'object' || typeof holder === 'function') &&
    holder !== null &&
    methods.every((method) => readsAsFunction(() => (holder as Record<string, unknown>)[method]))
  )
    return value;
  const list = methods.join(', ');
  return fail(
    'INVALID_INPUT',
    `${path} must be ${what} (an object with ${list}), not ${describe(value)}`,
    { path },
  );
}

/**
 * What a loop waits after `failures` failed steps, from the app's `backoff` (or `retryDelay`):
 * a wait past {@link MAX_WAIT_MS} (`Infinity` included) is that limit, a fraction is rounded up;
 * anything else that is not a number ≥ `least` (`NaN`, `0`, `-1`, a string) is `INVALID_INPUT`,
 * which the runner reports to `onError` and stops on: such a wait would make it retry without
 * pause. `least` is 0 where not waiting is allowed (the command handler's retries are counted).
 */
export function delayFrom(
  backoff: (failures: number) => number,
  failures: number,
  path: string,
  least: 0 | 1 = 1,
): number {
  const delay: unknown = backoff(failures);
  if (typeof delay === 'number' && delay >= least) return Math.min(MAX_WAIT_MS, Math.ceil(delay));
  return fail(
    'INVALID_INPUT',
    `${path}(${String(failures)}) must return a number of milliseconds ≥ ${String(least)}, not ${describe(delay)}`,
    { path, failures },
  );
}

/**
 * A sequence read with `for await` (`replay`'s events, `readNdjson`'s source, what a store's
 * `readStream` returns): an async or a sync iterable, returned as an async one. Anything else (a
 * Promise of an array, from a `readStream` written `async`; `null`; a number) is `INVALID_INPUT`
 * here, where `for await` threw a TypeError.
 */
export function iterableOption<T>(
  value: AsyncIterable<T> | Iterable<T>,
  path: string,
  rule: string,
): AsyncIterable<T> {
  const given = value as Partial<AsyncIterable<T> & Iterable<T>> | null;
  if (typeof given === 'object' && given !== null) {
    if (readsAsFunction(() => given[Symbol.asyncIterator])) return value as AsyncIterable<T>;
    if (readsAsFunction(() => given[Symbol.iterator])) return itemsAsGiven(value as Iterable<T>);
  }
  const promise = isInstance(given, Promise)
    ? ' (a Promise: the iterable is returned, not awaited)'
    : '';
  return fail(
    'INVALID_INPUT',
    `${rule} (an AsyncIterable or an Iterable), not ${describe(value)}${promise}`,
    { path },
  );
}

/**
 * A sync iterable read by `for await` without awaiting its items: `for await` of a sync iterable
 * awaits each one, so a thenable item was waited on (for ever, or replaced by what it resolved
 * to) and a revoked proxy's `then` was a TypeError.
 */
function itemsAsGiven<T>(items: Iterable<T>): AsyncIterable<T> {
  return {
    [Symbol.asyncIterator]() {
      const iterator = items[Symbol.iterator]();
      return {
        next: async () => iterator.next(),
        return: async (value?: unknown) => iterator.return?.(value) ?? { done: true, value },
      };
    },
  };
}

/**
 * The options argument itself: an object (a factory's options read as `options.x`, which throws a
 * TypeError on `null`). `required` says which option the message names when none was given.
 */
export function optionsObject<T>(value: T, required: string): T {
  const given: unknown = value;
  if (isRecord(given)) return value;
  return fail(
    'INVALID_INPUT',
    `the options must be an object (with ${required}), not ${describe(value)}`,
    { path: '' },
  );
}

/**
 * A factory's options, read once: the object checked ({@link optionsObject}), then each of `keys`
 * read once into a plain copy ({@link readFields}), which the factory checks and uses. A getter or
 * proxy that throws is `INVALID_INPUT` naming the option; one that answers otherwise on a second
 * read is never read again.
 */
export function readOptions<T, K extends keyof T & string>(
  value: T,
  keys: readonly K[],
  required: string,
): Readonly<Pick<T, K>> {
  optionsObject(value, required);
  return readFields(value, keys, '');
}

/** The collaborators every live runner takes, checked (`clock` defaults to `fallback`). */
export function clockOption<C>(value: C | undefined, fallback: C): C {
  return objectOption(value ?? fallback, 'clock', 'a clock', ['now', 'sleep']);
}
