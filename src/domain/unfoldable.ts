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

// What a trusted recipe reads of an event only after it changed part of the state, and what each
// must be: an id that is not text went into a table, which threw on it later; a BigInt amount
// passed the money check, then threw where it met a number; an instant that is not text threw
// in a review clock. (Everything else a recipe reads, it reads before it writes.)
const FIELD_TYPES = [
  ['at', 'string'],
  ['milestoneId', 'string'],
  ['disputeId', 'string'],
  ['fundingId', 'string'],
  ['proposalId', 'string'],
  ['amount', 'number'],
  ['fee', 'number'],
  ['refund', 'number'],
  ['release', 'number'],
] as const;

/**
 * Whether a trusted recipe takes `event` whole or not at all: false for data that is not an
 * object, or a field of `FIELD_TYPES` of another type (`at` is required, the rest may be absent).
 * The acceptance of terms without data, for one, cleared the pending proposal and then threw.
 */
function foldsWhole(event: JobEvent): boolean {
  const data: unknown = event.data;
  if (typeof data !== 'object' || data === null) return false;
  const fields = data as Readonly<Record<string, unknown>>;
  if (typeof fields['at'] !== 'string') return false;
  for (const [key, type] of FIELD_TYPES) {
    const value = fields[key];
    if (value !== undefined && typeof value !== type) return false;
  }
  return true;
}

/**
 * Throws for an event a trusted recipe would throw on part-way (`parseEvent`'s `INVALID_INPUT`,
 * naming its path), so that a state that lives on after a throw (a timeline's, a projector's)
 * takes an event all or nothing. A few `typeof`s on the way of every other event: a batch fold,
 * which drops its state when it throws, does without.
 */
export function requireFoldsWhole(event: JobEvent): void {
  if (!foldsWhole(event)) parseEvent(event);
}
