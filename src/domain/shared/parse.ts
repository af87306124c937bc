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

/** What was thrown, in words, even when printing it throws too. */
function thrownText(error: unknown): string {
  try {
    return error instanceof Error ? error.message : String(error);
  } catch {
    return 'a thrown value that cannot be printed';
  }
}

function reject(issue: v.BaseIssue<unknown>, what: string): never {
  const path = v.getDotPath(issue) ?? '';
  const { at, message } = plainWords(issue, path, what);
  fail('INVALID_INPUT', `${at === '' ? what : `${what} ${at}`}: ${message}`, { path });
}

/** A value as a message names it: an array, null, a string quoted, a number or boolean as is. */
export function describe(value: unknown): string {
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return value === null ? 'null' : typeof value;
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
  const { type, expected, received } = issue;
  if (type === 'variant' && expected !== null) {
    const holder = issue.path?.at(-1)?.input ?? issue.input;
    if (path === '' || Array.isArray(holder))
      return { at: '', message: `expected a JSON object, got ${describe(holder)}` };
    const types = listOf(expected);
    if (received === 'undefined')
      return { at: '', message: `missing field \`${path}\` (one of ${types})` };
    return {
      at: path,
      message: `unknown ${what} type ${received}; the ${what} types are ${types}`,
    };
  }
  if (type === 'strict_object' && received === 'undefined')
    return { at: '', message: `missing field \`${path}\`` };
  if (type === 'strict_object' && expected === 'never')
    return { at: '', message: `unknown field \`${path}\`` };
  if (issue.message.startsWith('Invalid ') && expected !== null)
    return { at: path, message: `expected ${expected}, got ${received}` };
  return { at: path, message: issue.message };
}
