import * as v from 'valibot';
import { fail } from './errors.js';

/**
 * Makes a parser of untrusted input from a schema (its options bound once, which is measurably
 * cheaper per call than `v.safeParse` with options); on failure the parser throws `INVALID_INPUT` naming the path of the
 * first problem (`data.milestones.0.amount`), so a person can find and fix it.
 */
export function parserFor<S extends v.GenericSchema>(
  schema: S,
  what: string,
): (input: unknown) => v.InferOutput<S> {
  const safeParse = v.safeParser(schema, { abortEarly: true });
  return (input) => {
    let result: ReturnType<typeof safeParse>;
    try {
      result = safeParse(input);
    } catch (error) {
      // A getter or a proxy that throws while the input is read is not data: bad input, as in
      // the stores, never the getter's own error escaping to the caller.
      return fail('INVALID_INPUT', `${what} cannot be read as data: ${thrownText(error)}`, {
        path: '',
      });
    }
    if (result.success) return result.output;
    return reject(result.issues[0], what);
  };
}

/** What was thrown, in words, even when printing it throws too (or its message is not text). */
export function thrownText(error: unknown): string {
  try {
    return String(error instanceof Error ? error.message : error);
  } catch {
    return 'a thrown value that cannot be printed';
  }
}

/**
 * `value instanceof type`, false where asking throws: `instanceof` runs a proxy's getPrototypeOf
 * trap, and a revoked proxy's throws a TypeError (a revoked proxy is an instance of nothing).
 */
export function isInstance<T>(
  value: unknown,
  type: abstract new (...args: never[]) => T,
): value is T {
  try {
    return value instanceof type;
  } catch {
    return false;
  }
}

/**
 * What was thrown, as an Error to reject with: itself when it is one, else an Error saying it in
 * words. Never throws: `String()` of an object with no prototype, or whose toString throws,
 * throws too.
 */
export function asError(error: unknown): Error {
  return isInstance(error, Error) ? error : new Error(thrownText(error));
}

function reject(issue: v.BaseIssue<unknown>, what: string): never {
  // Cut: an unknown key is the caller's text, of any length (the known paths are under 40).
  const path = excerpt(v.getDotPath(issue) ?? '');
  const { at, message } = plainWords(issue, path, what);
  fail('INVALID_INPUT', `${at === '' ? what : `${what} ${at}`}: ${message}`, { path });
}

/**
 * How many characters of the caller's text a message quotes: a 1 MB id, option or argument quoted
 * whole made a 1 MB error message (and log line); its start and its length say which it was.
 */
export const QUOTED_CHARACTERS = 60;

/** The start of a long text (never half a surrogate pair) and its length, for a message. */
function cut(text: string, show: (head: string) => string, limit = QUOTED_CHARACTERS): string {
  if (text.length <= limit) return show(text);
  const code = text.charCodeAt(limit - 1);
  const end = code >= 0xd800 && code <= 0xdbff ? limit - 1 : limit;
  return `${show(text.slice(0, end))}… (${String(text.length)} characters)`;
}

/**
 * A text as a message shows it as is (a path, an argument), cut after `limit` characters
 * ({@link QUOTED_CHARACTERS} unless the text is one a person needs whole, such as a file's path).
 */
export function excerpt(text: string, limit = QUOTED_CHARACTERS): string {
  return cut(text, (head) => head, limit);
}

/** `Array.isArray` that answers false where it throws (a revoked proxy is no list). */
export function isArraySafe(value: unknown): boolean {
  try {
    return Array.isArray(value);
  } catch {
    return false;
  }
}

/** An object that is not an array (nor null); false where asking throws (a revoked proxy). */
export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !isArraySafe(value);
}

/**
 * A value as a message names it: an array, null, a string quoted (its start only, when long), a
 * number or boolean as is.
 */
export function describe(value: unknown): string {
  if (isArraySafe(value)) return 'an array';
  if (typeof value === 'string') return cut(value, (head) => JSON.stringify(head));
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return value === null ? 'null' : typeof value;
}

/**
 * What valibot says it received (a string in quotes, as valibot writes it), cut when long; a
 * BigInt with its `n` (valibot wrote `5n` as `5`: "expected number, got 5").
 */
function received(issue: v.BaseIssue<unknown>): string {
  const { input } = issue;
  if (typeof input === 'string') return cut(input, (head) => `"${head}"`);
  return excerpt(typeof input === 'bigint' ? `${String(input)}n` : issue.received);
}

/** `"a" | "b"` or `("a" | "b")` as `a, b`. */
function listOf(expected: string): string {
  return expected
    .replace(/^\((.*)\)$/, '$1')
    .split(' | ')
    .map((option) => option.replace(/^"(.*)"$/, '$1'))
    .join(', ');
}

/**
 * The issue in a person's words, and where it is: valibot's own messages ("Invalid key: Expected
 * "at" but received undefined") speak of keys and schemas; a caller fixing a JSON body wants the
 * field that is missing or unknown, and the command types when the type is wrong. Messages the
 * schemas set themselves are already plain and kept.
 */
function plainWords(
  issue: v.BaseIssue<unknown>,
  path: string,
  what: string,
): { at: string; message: string } {
  const { type, expected } = issue;
  if (type === 'variant' && expected !== null) {
    const holder = issue.path?.at(-1)?.input ?? issue.input;
    if (path === '' || Array.isArray(holder))
      return { at: '', message: `expected a JSON object, got ${describe(holder)}` };
    const types = listOf(expected);
    if (issue.received === 'undefined')
      return { at: '', message: `missing field \`${path}\` (one of ${types})` };
    return {
      at: path,
      message: `unknown ${what} type ${received(issue)}; the ${what} types are ${types}`,
    };
  }
  if (type === 'strict_object' && issue.received === 'undefined')
    return { at: '', message: `missing field \`${path}\`` };
  if (type === 'strict_object' && expected === 'never')
    return { at: '', message: `unknown field \`${path}\`` };
  if (issue.message.startsWith('Invalid ') && expected !== null)
    return { at: path, message: `expected ${expected}, got ${received(issue)}` };
  return { at: path, message: issue.message };
}

/** True when `read` gives a function; a getter or a proxy that throws gives none. */
export function readsAsFunction(read: () => unknown): boolean {
  try {
    return typeof read() === 'function';
  } catch {
    return false;
  }
}

/** Events to fold are a list (any iterable): `null` or a number was a TypeError. */
export function requireEvents(events: unknown, path = 'events'): void {
  const iterable = readsAsFunction(
    () => (events as { [Symbol.iterator]?: unknown } | null | undefined)?.[Symbol.iterator],
  );
  if (typeof events === 'string' || !iterable)
    fail('INVALID_INPUT', `${path} must be a list, not ${describe(events)}`, { path });
}
