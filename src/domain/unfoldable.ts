import { parseEvent, type JobEvent } from './events.js';
import { DomainError, isDomainError } from './shared/errors.js';
import { excerpt, thrownText } from './shared/parse.js';
import { jobStateShape } from './state.js';

/*
 * A trusted fold (`fold`, `evolve`, a load that does not verify) takes events as the library
 * wrote them, unchecked, to stay fast. Given something else (an app's own store with a bug, a
 * record appended by hand, a state parsed from somewhere) it threw a TypeError, or a getter's
 * own error, at the user. These turn what was thrown into a DomainError naming what was wrong,
 * and only once something was thrown: nothing is checked on the way while every event folds.
 */

/** An error at a position: the library's own gets the position, anything else is described. */
export function atPosition(error: unknown, position: number): DomainError {
  if (!isDomainError(error))
    return new DomainError(
      'INVALID_INPUT',
      `event ${String(position)} cannot be read: ${excerpt(thrownText(error))}`,
      { position },
    );
  if (error.details['position'] !== undefined) return error;
  return new DomainError(error.code, `event ${String(position)}: ${error.message}`, {
    ...error.details,
    position,
  });
}

/**
 * The event at `position` checked now (`parseEvent`), once a trusted step threw on it: the
 * `INVALID_INPUT` a verifying read names when it is malformed, `undefined` when it is well-formed.
 */
export function malformedAt(event: unknown, position: number): DomainError | undefined {
  try {
    parseEvent(event);
  } catch (error) {
    return atPosition(error, position);
  }
  return undefined;
}

/** True when `state` is a job state at its top (a getter or proxy that throws: false). */
function looksLikeState(state: unknown): boolean {
  try {
    return jobStateShape.looksLike(state);
  } catch {
    return false;
  }
}

/**
 * What a trusted fold threw on `event` at `position`, folded onto `state`: a state that is not
 * one is `INVALID_INPUT` at `path`; otherwise the event is checked now (`parseEvent`), so that a
 * malformed one is the `INVALID_INPUT` a verifying load names; a well-formed one that cannot
 * follow the events before it is `INVALID_HISTORY` (a verifying load names its rule).
 */
export function unfoldable(
  error: unknown,
  position: number,
  event: unknown,
  state?: { readonly value: unknown; readonly path: string },
): DomainError {
  if (isDomainError(error)) return atPosition(error, position);
  if (state !== undefined && !looksLikeState(state.value)) return notAState(error, state.path);
  const malformed = malformedAt(event, position);
  if (malformed !== undefined) return malformed;
  const type = excerpt((event as JobEvent).type);
  return new DomainError(
    'INVALID_HISTORY',
    `event ${String(position)} (${type}) cannot follow the events before it (${excerpt(thrownText(error))}): the history is not one the library wrote; verify it (verify: true, verifyHistory) for the rule it breaks`,
    { position, eventType: type },
  );
}

/** A value given as a job state that made the library throw: `INVALID_INPUT` at `path`. */
export function notAState(error: unknown, path: string): DomainError {
  if (isDomainError(error)) return error;
  return new DomainError(
    'INVALID_INPUT',
    `${path} must be a job state (as fold, decide, a load or a snapshot gives it): ${excerpt(thrownText(error))}`,
    { path },
  );
}

/** A DomainError at a position gains the stream it was read from (`details.streamId`). */
export function inStream(error: unknown, streamId: string): unknown {
  if (!isDomainError(error) || error.details['position'] === undefined) return error;
  if (error.details['streamId'] !== undefined) return error;
  return new DomainError(error.code, `stream ${excerpt(streamId)}, ${error.message}`, {
    ...error.details,
    streamId,
  });
}

/**
 * What deciding on a loaded state threw, when it is not a DomainError: the state was folded
 * (trusted) from records the library did not write, which left it holding what no event
 * makes. `INVALID_HISTORY` naming the stream and the version it was at.
 */
export function undecidable(error: unknown, streamId: string, version: number): unknown {
  if (isDomainError(error)) return error;
  return new DomainError(
    'INVALID_HISTORY',
    `stream ${excerpt(streamId)} at version ${String(version)} cannot decide a command (${excerpt(thrownText(error))}): the store holds a history the library did not write; load it with verify: true for the event that breaks it`,
    { streamId, version },
  );
}
