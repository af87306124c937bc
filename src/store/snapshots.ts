import { DomainError, fail } from '../domain/shared/errors.js';
import { deepFreeze } from '../domain/shared/freeze.js';
import { asError, describe, excerpt, isRecord, thrownText } from '../domain/shared/parse.js';
import { countOption, readOptions } from '../shared/options.js';
import { readSnapshot, snapshotLimit } from './snapshot-input.js';
import type { JobState } from '../domain/state.js';
import { freezeState, isLibraryState, markFrozenState } from '../domain/freeze-state.js';
import { jobStateShape } from '../domain/state.js';
import { shapeFingerprint, Trail } from '../domain/shared/shape.js';

/*
 * Snapshots: a job's state at a stream version, so that loading folds only the events after it.
 * A snapshot stores the state as plain data (`snapshotData`): every id table a list of
 * `[id, value]` pairs (or of ids, for a set), nothing of the in-memory layout (the tries of
 * shared/table.ts), so it survives any change of that layout. The data is derived from the
 * state's shape, declared once (`jobStateShape`), and read back through it, validated.
 *
 * A snapshot is trusted only if it was taken by the same evolve: each carries a
 * `snapshotVersion`, and one from another version is ignored and the stream folded from the
 * start. The data also names the fingerprint of the shape it was written in.
 */

/**
 * The version of the state's shape and of the evolve that builds it. Bump it whenever `evolve`
 * or `JobState` changes: every snapshot taken before is then ignored, not trusted. A test holds
 * it to `JOB_SNAPSHOT_SHAPE`.
 * @category Stores and snapshots
 */
export const JOB_SNAPSHOT_VERSION = 'job-state@6';

/**
 * The fingerprint of the state's shape (`jobStateShape`) that {@link JOB_SNAPSHOT_VERSION} was
 * given to. A test fails when the shape changes and this pin does not, and when the pin moves
 * without a new version: change both together.
 */
export const JOB_SNAPSHOT_SHAPE = 'd2952b32';

// The shape the running code writes and reads.
const SHAPE = shapeFingerprint(jobStateShape);

/**
 * An idempotency key the handler has seen, with the command it stood for and the events it wrote.
 * @category Stores and snapshots
 */
export interface IdempotencyRecord {
  readonly key: string;
  /** SHA-256 (hex) of the canonical JSON of the validated command (or of the fingerprint given instead). */
  readonly commandHash: string;
  /** The stream positions of the decision's first and last events. */
  readonly from: number;
  readonly to: number;
}

/**
 * A job's state at a stream version, as a snapshot store keeps it (JSON throughout).
 * @category Stores and snapshots
 */
export interface Snapshot {
  readonly streamId: string;
  /** The stream version the state is at (its number of events). */
  readonly version: number;
  /** The {@link JOB_SNAPSHOT_VERSION} of the evolve that took it. */
  readonly snapshotVersion: string;
  /**
   * The state: a {@link JobState} as the handler took it, its plain data ({@link snapshotData},
   * the form a store that persists snapshots writes), or that data as JSON text (a string: a
   * store that reads it from a database as text hands it over unparsed, and the handler parses it
   * once and reads it in place instead of copying a parsed value); {@link stateFromJson} reads
   * each back.
   */
  readonly state: unknown;
  /** The idempotency keys seen up to `version`, so that they survive without re-reading the stream. */
  readonly idempotency: readonly IdempotencyRecord[];
  /** When it was taken (the app's clock). */
  readonly takenAt: string;
}

/**
 * Where snapshots are kept: keyed by stream and version.
 * @category Stores and snapshots
 */
export interface SnapshotStore {
  /** Keeps a snapshot (a later one of the same stream and version replaces it). */
  save(snapshot: Snapshot): Promise<void>;
  /** The stream's latest snapshot, or its latest at or before `atOrBefore`; undefined if none. */
  load(streamId: string, options?: { readonly atOrBefore?: number }): Promise<Snapshot | undefined>;
}

/** A job's state as plain JSON data: the form snapshots store (see {@link snapshotData}). */
export interface JobStateData {
  /** The fingerprint of the state's shape the data was written in (`JOB_SNAPSHOT_SHAPE`). */
  readonly shape: string;
  /** The stream version the state is at. */
  readonly version: number;
  readonly job: unknown;
  readonly terms: unknown;
  readonly escrow: unknown;
}

/**
 * True for an object with every key of a state (a state as the library holds it, or its JSON);
 * false for a getter or proxy that throws while read (not a state, rather than its error).
 */
function hasStateKeys(value: unknown): value is Record<string, unknown> {
  try {
    return (
      isRecord(value) &&
      jobStateShape.keys.every((key) => isRecord(value[key]) || key === 'version')
    );
  } catch {
    return false;
  }
}

/** True for a state's plain data; false for a getter or proxy that throws while read. */
function isStateData(value: unknown): value is JobStateData {
  try {
    return isRecord(value) && typeof value['shape'] === 'string';
  } catch {
    return false;
  }
}

function notAState(path: string, why: string): never {
  throw new DomainError('INVALID_INPUT', `a snapshot state ${why}`, { path });
}

/**
 * The plain data of a state, as a snapshot stores it (JSON throughout, every id table a list of
 * `[id, value]` pairs); data given is returned as it is. Persist `JSON.stringify` of it.
 */
export function snapshotData(state: JobState | JobStateData): JobStateData {
  if (isStateData(state)) return state;
  if (!hasStateKeys(state))
    return notAState('state', 'must be a job state { version, job, terms, escrow }');
  try {
    return { shape: SHAPE, ...(jobStateShape.toData(state) as Omit<JobStateData, 'shape'>) };
  } catch {
    // Someone's object in place of a state (a slice that is not an object): not a state.
    return notAState('state', 'must be a job state { version, job, terms, escrow }');
  }
}

/**
 * What a store that persists snapshots writes for a snapshot's `state`: a state's plain data
 * ({@link snapshotData}); JSON text (as a store that reads states as text hands them out) is
 * what it reads as; a value that is not a state is written as it is (and ignored on load).
 */
export function persistedState(state: unknown): unknown {
  // PostgreSQL wrote a state's JSON text as a JSON string, never read back as a state.
  if (typeof state === 'string') state = jsonOrText(state);
  if (!hasStateKeys(state)) return state ?? null;
  try {
    return snapshotData(state as unknown as JobState);
  } catch {
    return state;
  }
}

/** The value JSON text reads as; text that is not JSON is itself. */
function jsonOrText(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}

/**
 * A snapshot's state as the JSON text a store keeps (`persistedState`'s): a value JSON cannot
 * write (a BigInt, a cycle) is `INVALID_INPUT` at `snapshot.state`, in every store, where it was
 * JSON's TypeError (thrown by the in-memory store's `save` rather than rejected).
 */
export function stateJson(state: unknown): string {
  const value = persistedState(state);
  let text: string | undefined;
  try {
    text = JSON.stringify(value);
  } catch (error) {
    return fail(
      'INVALID_INPUT',
      `a snapshot's state is JSON data, not ${describe(value)}: ${excerpt(thrownText(error))}`,
      { path: 'snapshot.state' },
    );
  }
  // eslint-disable-next-line @typescript-eslint/no-unnecessary-condition -- JSON writes nothing (undefined) for a function, whatever its type says: kept as null.
  return text ?? 'null';
}

/**
 * The state as JSON text: its plain data ({@link snapshotData}).
 * @category Stores and snapshots
 */
export function serializeState(state: JobState): string {
  const data = snapshotData(state);
  try {
    return JSON.stringify(data);
  } catch {
    // Data given with a getter or proxy that throws (or a BigInt, a cycle): not a state's data.
    return notAState('state', 'must be a job state or its data (JSON throughout)');
  }
}

/** A state from plain data that nobody else holds: validated, frozen in place, marked. */
function stateFromOwnData(data: unknown): JobState {
  if (!isStateData(data)) {
    // Not data but a state as the library holds it (its JSON, or a state kept as it was): read
    // through its tables.
    return stateFromOwnData(JSON.parse(JSON.stringify(snapshotData(data as JobState))));
  }
  const { shape, ...rest } = data;
  if (shape !== SHAPE)
    return notAState(
      'state.shape',
      `was written in another shape of the state (${describe(shape)}, this code reads ${SHAPE})`,
    );
  const working = jobStateShape.fromData(rest, new Trail('state'));
  return freezeState(markFrozenState(working));
}

/**
 * Reads a state back from its plain data, its JSON text, or a state, deeply frozen. Throws
 * `INVALID_INPUT` when the value is not a state's data of this shape. A state the library handed
 * out (frozen all the way down, kept as it is by the in-memory snapshot store) is returned as it
 * is; JSON text is parsed and read in place; plain data is copied first, so the caller's data is
 * never frozen.
 */
export function stateFromJson(value: unknown): JobState {
  if (isRecord(value) && isLibraryState(value as unknown as JobState))
    return value as unknown as JobState;
  // JSON text (a state is never a string): parsed here, so nobody else holds it.
  if (typeof value === 'string') return deserializeState(value);
  return stateFromOwnData(ownCopy(value));
}

/** A JSON copy of a value; one JSON cannot write (a cycle, a BigInt, 200,000 levels) is not a state. */
function ownCopy(value: unknown): unknown {
  try {
    return JSON.parse(JSON.stringify(value ?? null)) as unknown;
  } catch (error) {
    return notAState('state', `is not JSON data (${thrownText(error)})`);
  }
}

/**
 * Reads a state back from its JSON text.
 * @category Stores and snapshots
 */
export function deserializeState(json: string): JobState {
  let value: unknown;
  try {
    value = JSON.parse(json) as unknown;
  } catch (error) {
    throw new DomainError(
      'INVALID_INPUT',
      `a snapshot state is not JSON: ${(error as Error).message}`,
      { path: 'state' },
    );
  }
  // Freshly parsed: nobody else holds it, so it is read in place rather than copied again.
  return stateFromOwnData(value);
}

/**
 * Options of {@link createInMemorySnapshotStore}.
 * @category Stores and snapshots
 */
export interface InMemorySnapshotStoreOptions {
  /** How many snapshots to keep per stream, newest first (default 3). */
  readonly keep?: number;
}

/**
 * What a snapshot store keeps of a snapshot (see {@link prepareSnapshot}): its fields checked, its
 * state and idempotency records as JSON text.
 * @category Stores and snapshots
 */
export interface PreparedSnapshot {
  readonly streamId: string;
  readonly version: number;
  readonly snapshotVersion: string;
  readonly takenAt: string;
  /** A state's plain data as JSON text ({@link serializeState}'s); anything else as JSON. */
  readonly state: string;
  /** The idempotency records as JSON text. */
  readonly idempotency: string;
}

/**
 * Reads a snapshot once and checks it as every snapshot store does (`INVALID_INPUT` naming the
 * field: a stream id the event stores take, a version from 0 to 2^31 − 1, a `snapshotVersion`
 * and a `takenAt` of well-formed text without U+0000, a state and idempotency records JSON can
 * write); returns what to keep. Keep it, and hand `state` back as it is (JSON text).
 * @category Stores and snapshots
 */
export function prepareSnapshot(snapshot: Snapshot): PreparedSnapshot {
  const { fields, idempotency } = readSnapshot(snapshot);
  const { streamId, version, snapshotVersion, takenAt } = fields;
  return {
    streamId,
    version,
    snapshotVersion,
    takenAt,
    state: stateJson(fields.state),
    idempotency,
  };
}

/** Snapshots in this process's memory: the embedded default. */
export class InMemorySnapshotStore implements SnapshotStore {
  readonly #byStream = new Map<string, Snapshot[]>();
  readonly #keep: number;

  constructor(options: InMemorySnapshotStoreOptions = {}) {
    const { keep } = readOptions(options, ['keep'], 'keep, or none');
    this.#keep = countOption(keep ?? 3, 'keep');
  }

  /**
   * Keeps the snapshot, and the newest `keep` of its stream. A state the library handed out is
   * kept as it is: it is frozen all the way down, so a copy would only cost time (a state of
   * 100,000 fundings is megabytes of JSON); a state's data (or a state someone else froze) is
   * read back into one now, once; anything else is kept as a deep-frozen copy, ignored on load.
   */
  save(snapshot: Snapshot): Promise<void> {
    // Read once and checked as every store keeps it: what is kept is what was read (null or a
    // getter that throws: INVALID_INPUT, where it was a TypeError or the getter's error).
    let state: unknown;
    let rest: Omit<Snapshot, 'state'>;
    try {
      const read = readSnapshot(snapshot);
      const { state: given, ...others } = read.fields;
      state = given;
      rest = { ...others, idempotency: JSON.parse(read.idempotency) as IdempotencyRecord[] };
    } catch (error) {
      return Promise.reject(asError(error));
    }
    let kept: unknown = state;
    if (!isRecord(state) || !isLibraryState(state as unknown as JobState)) {
      try {
        // Read back now, once, rather than at every load: a frozen state of its own.
        kept = stateFromJson(state);
      } catch {
        // Not a state: kept as a detached copy, and ignored when loaded.
        try {
          kept = JSON.parse(stateJson(state)) as unknown;
        } catch (error) {
          return Promise.reject(asError(error));
        }
      }
    }
    const copy = deepFreeze({ ...rest, state: kept });
    const list = (this.#byStream.get(rest.streamId) ?? []).filter(
      (s) => s.version !== rest.version,
    );
    list.push(copy);
    list.sort((a, b) => b.version - a.version);
    this.#byStream.set(rest.streamId, list.slice(0, this.#keep));
    return Promise.resolve();
  }

  load(
    streamId: string,
    options: { readonly atOrBefore?: number } = {},
  ): Promise<Snapshot | undefined> {
    let limit: number;
    try {
      limit = snapshotLimit(options) ?? Number.POSITIVE_INFINITY;
    } catch (error) {
      return Promise.reject(asError(error));
    }
    return Promise.resolve(this.#byStream.get(streamId)?.find((s) => s.version <= limit));
  }
}

/**
 * Creates the in-memory snapshot store.
 * @category Stores and snapshots
 */
export function createInMemorySnapshotStore(options?: InMemorySnapshotStoreOptions): SnapshotStore {
  return new InMemorySnapshotStore(options);
}
