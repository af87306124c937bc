import { DomainError, fail } from '../domain/shared/errors.js';
import type { EventToAppend, ExpectedVersion } from './port.js';

/*
 * The checks every store makes before an append, shared so that the in-memory store and any
 * other (PostgreSQL, the user's own) reject the same inputs with the same errors.
 */

/** Throws `INVALID_INPUT` unless `expected` is `'no-stream'`, `'any'` or a non-negative safe integer. */
export function checkExpectedVersion(expected: unknown): asserts expected is ExpectedVersion {
  if (expected === 'no-stream' || expected === 'any') return;
  if (typeof expected === 'number' && Number.isSafeInteger(expected) && expected >= 0) return;
  fail(
    'INVALID_INPUT',
    `expectedVersion must be 'no-stream', 'any' or a non-negative integer, not ${(JSON.stringify(expected) as string | undefined) ?? String(expected)}`,
    {
      path: 'expectedVersion',
    },
  );
}

/** True when a stream at `actual` satisfies `expected`. */
export function versionMatches(expected: ExpectedVersion, actual: number): boolean {
  if (expected === 'any') return true;
  if (expected === 'no-stream') return actual === 0;
  return expected === actual;
}

/** The error a store throws when a stream is not at the expected version. */
export function concurrencyConflict(
  streamId: string,
  expectedVersion: ExpectedVersion,
  actualVersion?: number,
): DomainError {
  const actual = actualVersion === undefined ? '' : `, it is at ${String(actualVersion)}`;
  return new DomainError(
    'CONCURRENCY_CONFLICT',
    `stream ${streamId} was expected at version ${String(expectedVersion)}${actual}`,
    {
      streamId,
      expectedVersion,
      ...(actualVersion === undefined ? {} : { actualVersion }),
    },
  );
}

/** Throws `INVALID_INPUT` for an empty stream id or a malformed event to append. */
export function checkAppend(streamId: unknown, events: readonly EventToAppend[]): void {
  if (typeof streamId !== 'string' || streamId === '')
    fail('INVALID_INPUT', 'streamId must be a non-empty string', { path: 'streamId' });
  const list: readonly unknown[] = events;
  if (!Array.isArray(list)) fail('INVALID_INPUT', 'events must be an array', { path: 'events' });
  list.forEach((value, i) => {
    // Appends come from outside the type system: check what the type promises.
    const e = value as Partial<EventToAppend> | null | undefined;
    if (typeof e !== 'object' || e === null || typeof e.type !== 'string' || e.type === '') {
      fail('INVALID_INPUT', `events.${String(i)}.type must be a non-empty string`, {
        path: `events.${String(i)}.type`,
      });
    }
    const sv = e.metadata?.schemaVersion;
    if (sv !== undefined && !(Number.isSafeInteger(sv) && sv >= 1)) {
      fail(
        'INVALID_INPUT',
        `events.${String(i)}.metadata.schemaVersion must be a positive integer`,
        { path: `events.${String(i)}.metadata.schemaVersion` },
      );
    }
  });
}
