import { ERROR_CODES, fail, isDomainError, type ErrorDetails } from '../domain/shared/errors.js';
import { describe, isArraySafe, thrownText } from '../domain/shared/parse.js';

/*
 * What a specification expects, read once and checked: `then`'s events and `thenThrows`' code and
 * details are the test's own values, and a `null` among the events, a revoked proxy or a getter
 * that throws was a TypeError (or the getter's error) from inside the comparison. Each is
 * `INVALID_INPUT` naming where it is.
 */

/** Runs `read` over the caller's values: what it throws (a getter's error) is `INVALID_INPUT`. */
export function readable<T>(read: () => T, what: string, path: string): T {
  try {
    return read();
  } catch (error) {
    if (isDomainError(error)) throw error;
    return fail('INVALID_INPUT', `${what} cannot be read: ${thrownText(error)}`, { path });
  }
}

/**
 * `then`'s expected events as `{ type, data }` (it is no thenable: `await`ing `when` called it with
 * two functions): a list of objects.
 */
export function expectedEvents(expected: unknown): { type: unknown; data: unknown }[] {
  if (!isArraySafe(expected))
    fail('INVALID_INPUT', `then takes the expected events (a list), not ${describe(expected)}`, {
      path: 'expected',
    });
  const list = expected as readonly unknown[];
  const n = readable(() => list.length, 'the expected events', 'expected');
  const events: { type: unknown; data: unknown }[] = [];
  for (let i = 0; i < n; i++) {
    const path = `expected.${String(i)}`;
    const read = (): { type: unknown; data: unknown } => {
      const e = list[i] as { type: unknown; data: unknown } | null;
      if (typeof e !== 'object' || e === null)
        fail('INVALID_INPUT', `an expected event is an object { type, data }, not ${describe(e)}`, {
          path,
        });
      return { type: e.type, data: e.data };
    };
    events.push(readable(read, 'an expected event', path));
  }
  return events;
}

/**
 * `thenThrows`' code: one of the library's `ERROR_CODES`. Any other string (a typo, a code of
 * the app's own) can never be what `decide` throws, so the specification would fail, or pass as
 * `not.toThrow`, for the wrong reason.
 */
export function expectedCode(code: unknown): void {
  if (typeof code !== 'string' || !(ERROR_CODES as readonly string[]).includes(code))
    fail(
      'INVALID_INPUT',
      `thenThrows takes one of the library's error codes (${ERROR_CODES.join(', ')}), not ${describe(code)}`,
      { path: 'code' },
    );
}

/** `thenThrows`' details, copied once: an object (or nothing). */
export function expectedDetails(details: unknown): ErrorDetails | undefined {
  if (details === undefined) return undefined;
  return readable(
    () => {
      if (typeof details !== 'object' || details === null || Array.isArray(details))
        fail('INVALID_INPUT', `thenThrows' details are an object, not ${describe(details)}`, {
          path: 'details',
        });
      return { ...(details as ErrorDetails) };
    },
    "thenThrows' details",
    'details',
  );
}
