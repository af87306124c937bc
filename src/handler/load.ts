import type { JobEvent } from '../domain/events.js';
import type { JobState } from '../domain/state.js';
import { checkUntil, createReplayer, type ReplayUntil } from '../replay/fold.js';
import { booleanOption, iterableOption, objectOption, readOptions } from '../shared/options.js';
import { eventsInMemory } from '../store/memory.js';
import type { EventStore, RecordedEvent } from '../store/port.js';
import {
  JOB_SNAPSHOT_VERSION,
  stateFromJson,
  type IdempotencyRecord,
  type Snapshot,
  type SnapshotStore,
} from '../store/snapshots.js';
import { checkSnapshotConservation, checkSnapshotIdempotency } from '../store/snapshot-check.js';
import type { Upcasters } from '../upcasting/upcasters.js';
import { atPosition, inStream } from '../domain/unfoldable.js';

/*
 * Loading a job from a store: the latest trustworthy snapshot, then only the events after it,
 * streamed and upcast one at a time. The idempotency keys recorded in the events' metadata are
 * gathered on the way, so that they survive a restart.
 */

/**
 * Options of {@link loadJob}.
 * @category Command handler
 */
export interface LoadJobOptions {
  readonly upcasters?: Upcasters;
  readonly snapshots?: SnapshotStore;
  /** The snapshot version this app trusts (default {@link JOB_SNAPSHOT_VERSION}). */
  readonly snapshotVersion?: string;
  /** Time travel: the state as of a stream position or an instant. */
  readonly until?: ReplayUntil;
  /** Check every event against the rules while folding (default false: the store is trusted). */
  readonly verify?: boolean;
}

/**
 * What a snapshot store offered: used, none, or one ignored because another evolve took it.
 * @category Command handler
 */
export type SnapshotUse = 'used' | 'none' | 'stale';

/**
 * A job as loaded from a store.
 * @category Command handler
 */
export interface LoadedJob {
  readonly streamId: string;
  readonly state: JobState;
  /** The stream version the state is at (the expected version of the next append). */
  readonly version: number;
  /** The idempotency keys recorded in the stream up to `version`. */
  readonly idempotency: ReadonlyMap<string, IdempotencyRecord>;
  readonly snapshot: SnapshotUse;
}

/** The metadata keys the command handler writes next to the store's own. */
export interface HandlerMetadata {
  readonly idempotencyKey?: string;
  readonly commandHash?: string;
}

/**
 * Hands each event of a store's read to `take`, in order, until it returns false; true when it
 * took them all. The in-memory store's events are handed over without a promise each (a cold load
 * folds ~50 of them).
 */
export async function eachEvent(
  read: AsyncIterable<RecordedEvent>,
  take: (event: RecordedEvent) => boolean,
): Promise<boolean> {
  const inMemory = eventsInMemory(read);
  if (inMemory !== undefined) return inMemory.every(take);
  for await (const event of readOf(read)) if (!take(event)) return false;
  return true;
}

/** What a store's `readStream` returned, checked: its events can be iterated. */
function readOf(read: AsyncIterable<RecordedEvent>): AsyncIterable<RecordedEvent> {
  return iterableOption(read, 'store.readStream', "store.readStream must return a stream's events");
}

/** Adds the idempotency key an event carries (if any) to the index. */
export function recordKey(
  index: Map<string, IdempotencyRecord>,
  event: RecordedEvent | { readonly metadata?: HandlerMetadata },
  position: number,
): void {
  const key = event.metadata?.idempotencyKey;
  const hash = (event.metadata as HandlerMetadata | undefined)?.commandHash;
  if (typeof key !== 'string' || typeof hash !== 'string') return;
  const seen = index.get(key);
  if (seen === undefined) index.set(key, { key, commandHash: hash, from: position, to: position });
  else if (seen.commandHash === hash && seen.to === position - 1)
    index.set(key, { ...seen, to: position });
}

async function trustedSnapshot(
  snapshots: SnapshotStore | undefined,
  streamId: string,
  version: string,
  until: ReplayUntil | undefined,
): Promise<{ snapshot: Snapshot | undefined; use: SnapshotUse }> {
  if (snapshots === undefined || (until !== undefined && 'at' in until))
    return { snapshot: undefined, use: 'none' };
  const snapshot = await snapshots.load(
    streamId,
    until === undefined ? {} : { atOrBefore: until.position },
  );
  if (snapshot === undefined) return { snapshot: undefined, use: 'none' };
  if (!isFor(snapshot, streamId, version, until)) return { snapshot: undefined, use: 'stale' };
  return { snapshot, use: 'used' };
}

/** True when a snapshot's header says it is this stream's, of this version, as of `until`. */
function isFor(
  snapshot: Snapshot,
  streamId: string,
  version: string,
  until: ReplayUntil | undefined,
): boolean {
  try {
    return (
      typeof snapshot === 'object' &&
      (snapshot as unknown) !== null &&
      snapshot.snapshotVersion === version &&
      snapshot.streamId === streamId &&
      // A store that answered with a later snapshot than asked for: not the state as of then.
      !(until !== undefined && 'position' in until && snapshot.version > until.position)
    );
  } catch {
    // A getter or a proxy that throws: not a snapshot to use, as one whose state throws is not.
    return false;
  }
}

/**
 * Loads a job's stream: from the latest snapshot taken by this evolve (if a snapshot store is
 * given), folding only the events after it, one at a time as the store yields them.
 * @category Command handler
 */
export async function loadJob(
  store: EventStore,
  streamId: string,
  given: LoadJobOptions = {},
): Promise<LoadedJob> {
  objectOption(store, 'store', 'an event store', ['readStream']);
  const options = readOptions(
    given,
    ['upcasters', 'snapshots', 'snapshotVersion', 'until', 'verify'],
    'upcasters, snapshots, snapshotVersion, until or verify, or none',
  );
  if (options.snapshots !== undefined)
    objectOption(options.snapshots, 'snapshots', 'a snapshot store', ['load', 'save']);
  const until = checkUntil(options.until);
  const verify = booleanOption(options.verify, 'verify', false);
  const { snapshot, use } = await trustedSnapshot(
    options.snapshots,
    streamId,
    options.snapshotVersion ?? JOB_SNAPSHOT_VERSION,
    until,
  );
  let from: JobState | undefined;
  // How the snapshot was used: `stale` as well when its state cannot be read back.
  let snapshotUse = use;
  const index = new Map<string, IdempotencyRecord>();
  if (snapshot !== undefined) {
    // Checked in full before use, as events are (D5): anything wrong and the stream is folded
    // from the start. Each field is read once: what was checked is what is used.
    try {
      const { state, version, idempotency } = snapshot;
      from = stateFromJson(state);
      if (from.version !== version) throw new Error('version mismatch');
      const records = checkSnapshotIdempotency(idempotency, version);
      checkSnapshotConservation(from);
      for (const r of records) index.set(r.key, r);
    } catch {
      from = undefined;
      snapshotUse = 'stale';
      index.clear();
    }
  }
  const replayer = createReplayer({
    ...(options.upcasters === undefined ? {} : { upcasters: options.upcasters }),
    ...(from === undefined ? {} : { from }),
    ...(until === undefined ? {} : { until }),
    verify,
  });
  const read = store.readStream(streamId, {
    after: replayer.position,
    ...(until !== undefined && 'position' in until ? { to: until.position } : {}),
  });
  try {
    const stoppedEarly = !(await eachEvent(read, (event) => {
      if (!replayer.push(event)) return false;
      keyOf(index, event, replayer.position);
      return true;
    }));
    const state = replayer.finish(stoppedEarly || until !== undefined);
    return {
      streamId,
      state,
      version: replayer.position,
      idempotency: index,
      snapshot: snapshotUse,
    };
  } catch (error) {
    // An event that cannot be folded names its position; the stream is named here.
    throw inStream(error, streamId);
  }
}

/** {@link recordKey} on a stored event, whose metadata may throw when read (not the library's). */
export function keyOf(
  index: Map<string, IdempotencyRecord>,
  event: RecordedEvent,
  position: number,
): void {
  try {
    recordKey(index, event, position);
  } catch (error) {
    throw atPosition(error, position);
  }
}

/** The domain events of a stream between two positions (inclusive), upcast: what one decision wrote. */
export async function readDecision(
  store: EventStore,
  streamId: string,
  from: number,
  to: number,
  upcasters: Upcasters,
): Promise<JobEvent[]> {
  const events: JobEvent[] = [];
  try {
    await eachEvent(store.readStream(streamId, { after: from - 1, to }), (event) => {
      try {
        events.push(upcasters.upcast(event));
      } catch (error) {
        throw atPosition(error, from + events.length);
      }
      return true;
    });
  } catch (error) {
    throw inStream(error, streamId);
  }
  return events;
}
