import type { JobEvent } from '../domain/events.js';
import type { EventStore } from '../store/port.js';
import type { IdempotencyRecord } from '../store/snapshots.js';
import type { Upcasters } from '../upcasting/upcasters.js';
import { fold } from '../domain/decider.js';
import { createReplayer, type Replayer } from '../replay/fold.js';
import { atPosition, inStream } from '../domain/unfoldable.js';
import { eachEvent, keyOf, type LoadedJob } from './load.js';

/*
 * The handler's cache: the latest loaded state of the most recently used jobs. A kept job is
 * brought up to date by folding only what was appended since (by anyone), so a command on a long
 * job neither replays nor deserialises its history.
 */

/** The cache of loaded jobs: `latest` is what the next decision needs, `remember` keeps a result. */
export interface JobCache {
  /** The job as the next decision needs it: the kept state brought up to date, or a fresh load. */
  latest(streamId: string): Promise<LoadedJob>;
  /** Keeps a job's state (least recently used out); a size of 0 keeps nothing. */
  remember(loaded: LoadedJob): void;
}

/** A cache of `size` jobs (checked by the handler) over `store`, loading a job it does not hold with `load`. */
export function createJobCache(options: {
  readonly store: EventStore;
  readonly upcasters: Upcasters;
  readonly size: number;
  readonly load: (streamId: string) => Promise<LoadedJob>;
  /** Check what was appended since against the rules (the handler's `verify`). */
  readonly verify: boolean;
}): JobCache {
  const { store, upcasters, size, load, verify } = options;
  // Latest loaded job per stream, in least-recently-used order (a Map keeps insertion order).
  const kept = new Map<string, LoadedJob>();

  function remember(loaded: LoadedJob): void {
    if (size === 0) return;
    kept.delete(loaded.streamId);
    kept.set(loaded.streamId, loaded);
    if (kept.size > size) kept.delete(kept.keys().next().value as string);
  }

  /**
   * {@link caughtUp}, checking each event against the rules on the way (`verify`): the checker
   * starts from the kept state only when something was appended since.
   */
  async function caughtUpVerified(cached: LoadedJob): Promise<LoadedJob> {
    let replayer: Replayer | undefined;
    let index: Map<string, IdempotencyRecord> | undefined;
    try {
      await eachEvent(store.readStream(cached.streamId, { after: cached.version }), (event) => {
        replayer ??= createReplayer({ upcasters, from: cached.state, verify: true });
        replayer.push(event);
        index ??= new Map(cached.idempotency);
        keyOf(index, event, replayer.position);
        return true;
      });
      if (replayer === undefined) return cached;
      return {
        ...cached,
        state: replayer.finish(),
        version: replayer.position,
        idempotency: index ?? cached.idempotency,
      };
    } catch (error) {
      throw inStream(error, cached.streamId);
    }
  }

  async function caughtUp(cached: LoadedJob): Promise<LoadedJob> {
    // Streams only grow: what was appended since the kept version is all there is to fold.
    const fresh: JobEvent[] = [];
    let index: Map<string, IdempotencyRecord> | undefined;
    try {
      await eachEvent(store.readStream(cached.streamId, { after: cached.version }), (event) => {
        const position = cached.version + fresh.length + 1;
        try {
          fresh.push(upcasters.upcast(event));
        } catch (error) {
          throw atPosition(error, position);
        }
        index ??= new Map(cached.idempotency);
        keyOf(index, event, position);
        return true;
      });
      if (fresh.length === 0) return cached;
      return {
        ...cached,
        state: fold(fresh, cached.state),
        version: cached.version + fresh.length,
        idempotency: index ?? cached.idempotency,
      };
    } catch (error) {
      throw inStream(error, cached.streamId);
    }
  }

  return {
    async latest(streamId) {
      const cached = kept.get(streamId);
      const loaded =
        cached === undefined
          ? await load(streamId)
          : await (verify ? caughtUpVerified(cached) : caughtUp(cached));
      remember(loaded);
      return loaded;
    },
    remember,
  };
}
