import { fold } from '../domain/decider.js';
import { parseEvent, type JobEvent } from '../domain/events.js';
import { DomainError, isDomainError } from '../domain/shared/errors.js';
import { excerpt, thrownText } from '../domain/shared/parse.js';
import type { JobState } from '../domain/state.js';

/*
 * A trusted fold (a load that does not verify) takes a store's events as the library wrote
 * them, unchecked, to stay fast. A store that yields something else (an app's own store with a
 * bug, a record appended by hand) made the fold throw a TypeError, or a getter's own error, at
 * the user. These turn what was thrown into a DomainError naming the 1-based position, and only
 * once something was thrown: nothing is checked on the way while every event folds.
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
 * What a trusted fold threw on `event` at `position`: the event checked now (`parseEvent`), so
 * that a malformed one is the `INVALID_INPUT` a verifying load names; a well-formed one that
 * cannot follow the events before it is `INVALID_HISTORY` (a verifying load names its rule).
 */
export function unfoldable(error: unknown, position: number, event: unknown): DomainError {
  if (isDomainError(error)) return atPosition(error, position);
  try {
    parseEvent(event);
  } catch (malformed) {
    return atPosition(malformed, position);
  }
  const type = excerpt((event as JobEvent).type);
  return new DomainError(
    'INVALID_HISTORY',
    `event ${String(position)} (${type}) cannot follow the events before it (${excerpt(thrownText(error))}): the store holds a history the library did not write; load it with verify: true for the rule it breaks`,
    { position, eventType: type },
  );
}

/**
 * `fold(events, state)`, the events' first at `first`: when it throws, the events are folded
 * again one at a time to name the one that cannot be.
 */
export function foldAt(events: readonly JobEvent[], state: JobState, first: number): JobState {
  try {
    return fold(events, state);
  } catch (error) {
    let at = state;
    events.forEach((event, i) => {
      try {
        at = fold([event], at);
      } catch (thrown) {
        throw unfoldable(thrown, first + i, event);
      }
    });
    throw unfoldable(error, first + events.length - 1, events.at(-1));
  }
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
