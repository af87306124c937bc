import { DomainError } from '../domain/shared/errors.js';
import { deepFreeze } from '../domain/shared/freeze.js';
import type { JobState } from '../domain/state.js';
import { isLibraryState, markFrozenState } from '../domain/freeze-state.js';

/*
 * Snapshots: a job's state at a stream version, so that loading folds only the events after it.
 * The state is plain JSON data (objects and arrays, no Maps, no Dates), so it serialises and
 * comes back losslessly. A snapshot is trusted only if it was taken by the same evolve: each
 * carries a `snapshotVersion`, and one from another version is ignored and the stream folded
 * from the start.
 */

/**
 * The version of the state's shape and of the evolve that builds it. Bump it whenever `evolve`
 * or `JobState` changes: every snapshot taken before is then ignored, not trusted.
 */
export const JOB_SNAPSHOT_VERSION = 'job-state@3';

/** An idempotency key the handler has seen, with the command it stood for and the events it wrote. */
export interface IdempotencyRecord {
  readonly key: string;
  /** SHA-256 (hex) of the canonical JSON of the validated command (or of the fingerprint given instead). */
  readonly commandHash: string;
  /** The stream positions of the decision's first and last events. */
  readonly from: number;
  readonly to: number;
}

/** A job's state at a stream version, as a snapshot store keeps it (JSON throughout). */
export interface Snapshot {
  readonly streamId: string;
  /** The stream version the state is at (its number of events). */
  readonly version: number;
  /** The {@link JOB_SNAPSHOT_VERSION} of the evolve that took it. */
  readonly snapshotVersion: string;
  /** The state, as JSON data ({@link deserializeState} reads it back from its text). */
  readonly state: unknown;
  /** The idempotency keys seen up to `version`, so that they survive without re-reading the stream. */
  readonly idempotency: readonly IdempotencyRecord[];
  /** When it was taken (the app's clock). */
  readonly takenAt: string;
}

/** Where snapshots are kept: keyed by stream and version. */
export interface SnapshotStore {
  /** Keeps a snapshot (a later one of the same stream and version replaces it). */
  save(snapshot: Snapshot): Promise<void>;
  /** The stream's latest snapshot, or its latest at or before `atOrBefore`; undefined if none. */
  load(streamId: string, options?: { readonly atOrBefore?: number }): Promise<Snapshot | undefined>;
}

/** The state as JSON text. */
export function serializeState(state: JobState): string {
  return JSON.stringify(state);
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function hasStateOutline(value: unknown): value is JobState {
  return (
    isRecord(value) &&
    Number.isSafeInteger(value['version']) &&
    isRecord(value['job']) &&
    isRecord(value['terms']) &&
    isRecord(value['escrow']) &&
    isRecord((value['escrow'] as Record<string, unknown>)['totals']) &&
    Array.isArray((value['escrow'] as Record<string, unknown>)['milestones'])
  );
}

function outlineOf(value: unknown): JobState {
  if (!hasStateOutline(value))
    throw new DomainError(
      'INVALID_INPUT',
      'a snapshot state must be a job state { version, job, terms, escrow }',
      { path: 'state' },
    );
  return value;
}

/**
 * Reads a state back from its JSON data, deeply frozen. Throws `INVALID_INPUT` when the value
 * does not have the state's outline; the snapshot version vouches for the rest. A state the
 * library handed out (frozen all the way down, kept as it is by the in-memory snapshot store) is
 * returned as it is; anything else is copied first, so the caller's data is never frozen.
 */
export function stateFromJson(value: unknown): JobState {
  if (value !== null && typeof value === 'object' && isLibraryState(value as JobState))
    return outlineOf(value);
  return deepFreeze(
    markFrozenState(outlineOf(JSON.parse(JSON.stringify(value ?? null)) as unknown)),
  );
}

/** Reads a state back from its JSON text. */
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
  // Freshly parsed: nobody else holds it, so it is frozen in place rather than copied again.
  return deepFreeze(markFrozenState(outlineOf(value)));
}

/** Options of {@link createInMemorySnapshotStore}. */
export interface InMemorySnapshotStoreOptions {
  /** How many snapshots to keep per stream, newest first (default 3). */
  readonly keep?: number;
}

/** Snapshots in this process's memory: the embedded default. */
export class InMemorySnapshotStore implements SnapshotStore {
  readonly #byStream = new Map<string, Snapshot[]>();
  readonly #keep: number;

  constructor(options: InMemorySnapshotStoreOptions = {}) {
    this.#keep = Math.max(1, options.keep ?? 3);
  }

  /**
   * Keeps the snapshot, and the newest `keep` of its stream. A state the library handed out is
   * kept as it is: it is frozen all the way down, so a copy would only cost time (a state of
   * 100,000 fundings is megabytes of JSON); anything else is kept as a deep-frozen copy.
   */
  save(snapshot: Snapshot): Promise<void> {
    const { state, ...rest } = snapshot;
    let kept: unknown = state;
    if (state === null || typeof state !== 'object' || !isLibraryState(state as JobState)) {
      // A detached copy, frozen all the way down below (the envelope's deepFreeze) and so marked.
      kept = JSON.parse(JSON.stringify(state ?? null)) as unknown;
      if (kept !== null && typeof kept === 'object') markFrozenState(kept);
    }
    const copy = deepFreeze({
      ...(JSON.parse(JSON.stringify(rest)) as Omit<Snapshot, 'state'>),
      state: kept,
    });
    const list = (this.#byStream.get(snapshot.streamId) ?? []).filter(
      (s) => s.version !== snapshot.version,
    );
    list.push(copy);
    list.sort((a, b) => b.version - a.version);
    this.#byStream.set(snapshot.streamId, list.slice(0, this.#keep));
    return Promise.resolve();
  }

  load(
    streamId: string,
    options: { readonly atOrBefore?: number } = {},
  ): Promise<Snapshot | undefined> {
    const limit = options.atOrBefore ?? Number.POSITIVE_INFINITY;
    return Promise.resolve(this.#byStream.get(streamId)?.find((s) => s.version <= limit));
  }
}

/** Creates the in-memory snapshot store. */
export function createInMemorySnapshotStore(options?: InMemorySnapshotStoreOptions): SnapshotStore {
  return new InMemorySnapshotStore(options);
}
