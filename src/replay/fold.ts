import type { Draft } from 'immer';
import { freezeState } from '../domain/freeze-state.js';
import { applyEvent, fold } from '../domain/decider.js';
import type { JobEvent } from '../domain/events.js';
import { createTrustedChecker, type HistoryChecker } from '../domain/history.js';
import { DomainError, fail, isDomainError } from '../domain/shared/errors.js';
import { emptyState, type JobState } from '../domain/state.js';
import { currentUpcasters, type StoredEventLike, type Upcasters } from '../upcasting/upcasters.js';
import { describe, isArraySafe } from '../domain/shared/parse.js';
import { booleanOption, iterableOption, objectOption, readOptions } from '../shared/options.js';
import { readFields } from '../domain/shared/read-once.js';
import { atPosition, unfoldable } from '../domain/unfoldable.js';
import { isInstant } from '../domain/shared/schema.js';
import { instantMs } from '../domain/shared/time.js';

/*
 * Streaming replay: folds events one at a time as they arrive from an AsyncIterable (an NDJSON
 * file, a database cursor), so a history of any length is replayed in memory bounded by the
 * job's state, never by the history. Time travel stops the fold at a stream position or an
 * instant and closes the source.
 */

/**
 * Where a replay stops: after a stream position, or before the first event later than an instant.
 * @category Replay
 */
export type ReplayUntil =
  /** The state after the first `position` events. */
  | { readonly position: number }
  /** The state after every event whose `data.at` is at or before this ISO instant (the longest such prefix). */
  | { readonly at: string };

/**
 * Options of {@link replay}.
 * @category Replay
 */
export interface ReplayOptions {
  /** Upcasters for older stored shapes (default: none, every type at version 1). */
  readonly upcasters?: Upcasters;
  /**
   * Check every event against the rules as it is folded (`createHistoryChecker`: schema, every
   * R-rule, C4), for untrusted input such as a file. Default false: a trusted fold.
   */
  readonly verify?: boolean;
  /** Start from this state (a snapshot's) instead of the empty job; its `version` is the position. */
  readonly from?: JobState;
  /** Time travel: stop early. */
  readonly until?: ReplayUntil;
}

/**
 * The outcome of a replay.
 * @category Replay
 */
export interface ReplayResult {
  /** The job's state, frozen. */
  readonly state: JobState;
  /** The number of events folded in all (the stream position the state is at). */
  readonly position: number;
  /** True when `until` stopped the replay before the source ended. */
  readonly stoppedEarly: boolean;
}

/** A fold in progress, fed one stored event at a time. */
export interface Replayer {
  /**
   * Folds the next event (upcast first). Returns false, folding nothing, once `until` says to stop
   * (this event is past the limit); throws `INVALID_INPUT` / `INVALID_HISTORY` naming the event's
   * `details.position`.
   */
  push(event: unknown): boolean;
  /** The number of events folded so far. */
  readonly position: number;
  /** The domain event `push` folded last (already upcast), if any. */
  readonly last: JobEvent | undefined;
  /** Ends the replay: checks that no automatic refund is owed (when verifying and not stopped early) and freezes the state. */
  finish(stoppedEarly?: boolean): JobState;
}

/**
 * An instant's milliseconds as the domain reads them (spec §7: by value, to the millisecond, no
 * time zone database): `Date.parse` read a zoneless time in the machine's zone and took dates
 * that do not exist, so the same `until` stopped a replay elsewhere on another machine.
 */
function instantMsOf(at: unknown, what: string, path: string): number {
  if (typeof at !== 'string' || !isInstant(at))
    throw new DomainError('INVALID_INPUT', `${what} is not an ISO instant: ${describe(at)}`, {
      path,
    });
  return instantMs(at);
}

/**
 * Checks a `until` option: `{ position }` (a whole number ≥ 0) or `{ at }` (a string, read as an
 * instant when used). Anything else is `INVALID_INPUT` at `until` (it was a TypeError, or no limit
 * at all for a position of `NaN`).
 */
export function checkUntil(until: unknown): ReplayUntil | undefined {
  if (until === undefined || until === null) return undefined;
  if (typeof until === 'object' && !isArraySafe(until)) {
    const { position, at } = readFields(until as ReplayUntilFields, ['position', 'at'], 'until');
    if (Number.isSafeInteger(position) && (position as number) >= 0 && at === undefined)
      return { position: position as number };
    if (typeof at === 'string' && position === undefined) {
      instantMsOf(at, 'until.at', 'until.at');
      return { at };
    }
  }
  return fail(
    'INVALID_INPUT',
    `until must be { position } (a whole number ≥ 0) or { at } (an ISO instant), not ${describe(until)}`,
    { path: 'until' },
  );
}

/** The fields of an `until` as read, before they are checked. */
interface ReplayUntilFields {
  readonly position?: unknown;
  readonly at?: unknown;
}

/**
 * A `from` option: a job state (as `fold` or a snapshot gives it) and its version, read once; or
 * left out.
 */
function checkFrom(
  from: unknown,
): { readonly state: JobState; readonly version: number } | undefined {
  if (from === undefined || from === null) return undefined;
  const version =
    typeof from === 'object'
      ? readFields(from as { version?: unknown }, ['version'], 'from').version
      : undefined;
  if (typeof version === 'number' && Number.isSafeInteger(version))
    return { state: from as JobState, version };
  return fail('INVALID_INPUT', `from must be a job state, not ${describe(from)}`, {
    path: 'from',
  });
}

/**
 * A replay cannot go back past the state it starts from: an `until` before it (a position below
 * its version, an instant before its last event) is `INVALID_INPUT`, where it handed out that
 * later state as the state asked for.
 */
function requireReachable(
  start: { readonly state: JobState; readonly version: number },
  position: number | undefined,
  ms: number | undefined,
): void {
  if (position !== undefined && position < start.version)
    fail(
      'INVALID_INPUT',
      `until.position ${String(position)} is before the state the replay starts from (version ${String(start.version)})`,
      { path: 'until.position' },
    );
  if (ms === undefined) return;
  let lastAt: unknown;
  try {
    lastAt = start.state.job.lastAt;
  } catch {
    return; // not a state's fields: the fold names what is wrong with it
  }
  if (typeof lastAt === 'string' && isInstant(lastAt) && instantMs(lastAt) > ms)
    fail(
      'INVALID_INPUT',
      `until.at is before the last event of the state the replay starts from (${lastAt})`,
      { path: 'until.at' },
    );
}

/** Starts a streaming fold; {@link replay} drives one over an AsyncIterable. */
export function createReplayer(options: ReplayOptions = {}): Replayer {
  const read = readOptions(
    options,
    ['upcasters', 'verify', 'from', 'until'],
    'upcasters, verify, from or until, or none',
  );
  const upcasters = objectOption(read.upcasters ?? currentUpcasters, 'upcasters', 'upcasters', [
    'upcast',
  ]);
  const verify = booleanOption(read.verify, 'verify', false);
  const until = checkUntil(read.until);
  const start = checkFrom(read.from);
  const from = start?.state;
  const limitMs =
    until !== undefined && 'at' in until
      ? instantMsOf(until.at, 'until.at', 'until.at')
      : undefined;
  const limitPosition = until !== undefined && 'position' in until ? until.position : undefined;
  if (start !== undefined) requireReachable(start, limitPosition, limitMs);
  let checker: HistoryChecker | undefined;
  let draft: Draft<JobState> | undefined;
  // Going on from a state (a snapshot), the events are folded onto it in batches, sharing what
  // they leave alone: a copy of a large state would cost more than the few events after it.
  let loaded: JobState | undefined;
  let batch: JobEvent[] = [];
  // Verifying, `upcast` validates each event: the checker need not again.
  if (verify) checker = createTrustedChecker(from);
  else if (from !== undefined && (start?.version ?? 0) > 0) loaded = from;
  else draft = emptyState() as Draft<JobState>;
  let position = start?.version ?? 0;
  let last: JobEvent | undefined;

  return {
    get position() {
      return position;
    },
    get last() {
      return last;
    },
    push(stored: unknown): boolean {
      if (limitPosition !== undefined && position >= limitPosition) return false;
      let event: JobEvent;
      try {
        event = upcasters.upcast(stored as StoredEventLike, { validate: verify });
      } catch (error) {
        throw atPosition(error, position + 1);
      }
      // A trusted event is folded unchecked: what it throws is named only if it throws.
      try {
        if (
          limitMs !== undefined &&
          instantMsOf(event.data.at, `event ${String(position + 1)} data.at`, 'data.at') > limitMs
        )
          return false;
        if (checker !== undefined) checker.push(event);
        else if (loaded !== undefined) {
          batch.push(event);
          if (batch.length >= BATCH) {
            loaded = fold(batch, loaded);
            batch = [];
          }
        } else applyEvent(draft as Draft<JobState>, event);
      } catch (error) {
        throw isDomainError(error) ? error : unfoldable(error, position + 1, event);
      }
      position += 1;
      last = event;
      return true;
    },
    finish(stoppedEarly = false): JobState {
      if (checker !== undefined) {
        // A history cut short by `until` may stop inside a decision: its state is still the fold.
        return stoppedEarly ? checker.current : checker.finish();
      }
      // Even with no events: `fold` hands out a state of the library's own (a caller's plain
      // `from` is copied and frozen, never returned as it is).
      if (loaded !== undefined) return fold(batch, loaded);
      return freezeState(draft as JobState);
    },
  };
}

// Events folded onto a loaded state at a time (memory stays bounded while replaying).
const BATCH = 1024;

/**
 * Folds a stream of stored events (any `{ type, data, metadata? }`: a store's read, parsed NDJSON)
 * into a job's state without holding the history: memory stays bounded by the state. Stops at
 * `options.until` and closes the source (its iterator's `return`).
 *
 * @example
 * ```ts
 * import { createReadStream } from 'node:fs';
 * import { readNdjson, replay } from 'milestone-escrow';
 *
 * // job.ndjson: one stored event a line, checked against every rule as it is read.
 * const { state, position } = await replay(readNdjson(createReadStream('job.ndjson')), { verify: true });
 * console.log(position, state.escrow.totals);
 * ```
 * @category Replay
 */
export async function replay(
  events: AsyncIterable<unknown> | Iterable<unknown>,
  options: ReplayOptions = {},
): Promise<ReplayResult> {
  const replayer = createReplayer(options);
  let stoppedEarly = false;
  for await (const event of iterableOption(events, 'events', 'events must be stored events')) {
    if (!replayer.push(event)) {
      stoppedEarly = true;
      break;
    }
  }
  return { state: replayer.finish(stoppedEarly), position: replayer.position, stoppedEarly };
}
