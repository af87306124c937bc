import type { JobEvent } from '../domain/events.js';
import { fail, isDomainError } from '../domain/shared/errors.js';
import { excerpt, readsAsFunction, thrownText } from '../domain/shared/parse.js';
import type { Projection } from '../projections/projection.js';
import type { EventStore, RecordedEvent } from '../store/port.js';
import { currentUpcasters } from '../upcasting/upcasters.js';

/*
 * The per-job accumulators a PostgreSQL read model needs to apply a batch: a batch holds a job's
 * new events only, and a projection folds from the job's first event. The most recently used jobs'
 * accumulators stay in memory (a bounded number); any other is folded again from its stream. Each
 * kept accumulator remembers how many events it holds, so one left ahead by a batch that rolled
 * back is never reused: it is folded again.
 */

/** Turns a stored event into a job event (default: upcast to today's shape and validate). */
export type DecodeEvent = (event: RecordedEvent) => JobEvent;

/** Today's shape of a stored event, validated: stored events are untrusted input. */
export const decodeStored: DecodeEvent = (event) =>
  currentUpcasters.upcast(event, { validate: true });

/** A job's accumulator after a batch's events, and its version then. */
export interface StreamWork<Acc> {
  readonly streamId: string;
  /** The accumulator with every event of the stream up to `version` applied. */
  readonly acc: Acc;
  /** The stream's version after the batch. */
  readonly version: number;
}

/** The bounded cache of accumulators (see {@link createStreamCache}). */
export interface StreamCache<Acc> {
  /**
   * Groups a batch by stream (skipping streams that are not jobs'), brings each stream's
   * accumulator to just before its first event of the batch, calls `before(acc)` (to drop what an
   * earlier fold collected), applies the batch's events and returns each stream's accumulator.
   */
  apply(events: readonly RecordedEvent[], before?: (acc: Acc) => void): Promise<StreamWork<Acc>[]>;
}

/** Options of {@link createStreamCache}. */
export interface StreamCacheOptions {
  /** Where a job's earlier events are read from when its accumulator is not in memory. */
  readonly store: EventStore;
  /** Turns a stored event into a job event (default {@link decodeStored}). */
  readonly decode?: DecodeEvent;
  /** How many jobs' accumulators stay in memory (default 1000). */
  readonly size?: number;
  /** Which streams hold jobs (default {@link isJobStream}). */
  readonly accepts?: (streamId: string) => boolean;
}

/** The command handler's default stream ids: `job-${jobId}`. */
export const isJobStream = (streamId: string): boolean =>
  // Anything but a string names no job stream (a number was a TypeError).
  typeof streamId === 'string' && streamId.startsWith('job-');

/** Creates a cache of `projection`'s accumulators, one per job stream. */
export function createStreamCache<Acc>(
  projection: Projection<Acc, unknown>,
  options: StreamCacheOptions,
): StreamCache<Acc> {
  const { store } = options;
  const decode = options.decode ?? decodeStored;
  const size = options.size ?? 1000;
  const accepts = options.accepts ?? isJobStream;
  const kept = new Map<string, { acc: Acc; version: number }>();

  /**
   * Folds one stored event. What the projection cannot take of `decode`'s answer (an app's decode
   * that returned a Promise, null, an unknown type: a plain Error or a TypeError) is
   * `INVALID_HISTORY` naming the stream and the position.
   */
  function applyOne(acc: Acc, event: RecordedEvent): void {
    const decoded = decode(event);
    try {
      projection.apply(acc, decoded);
    } catch (error) {
      if (isDomainError(error)) throw error;
      const { streamId, streamPosition: position } = event.metadata;
      fail(
        'INVALID_HISTORY',
        `${projection.name} cannot fold event ${String(position)} of stream ${streamId}: ${excerpt(thrownText(error))}`,
        { streamId, position },
      );
    }
  }

  async function accAfter(streamId: string, version: number): Promise<Acc> {
    const hit = kept.get(streamId);
    // Taken out while in use: a batch that fails leaves nothing half-applied behind.
    kept.delete(streamId);
    if (hit !== undefined && hit.version === version) return hit.acc;
    const acc = projection.initial();
    let folded = 0;
    if (version > 0) {
      for await (const event of store.readStream(streamId, { to: version })) {
        applyOne(acc, event);
        folded += 1;
      }
    }
    if (folded !== version) {
      fail(
        'INVALID_HISTORY',
        `${projection.name}: stream ${streamId} has ${String(folded)} events before position ${String(version + 1)}.`,
        { streamId, position: version + 1, expected: folded + 1 },
      );
    }
    return acc;
  }

  function keep(streamId: string, acc: Acc, version: number): void {
    kept.set(streamId, { acc, version });
    for (const oldest of kept.keys()) {
      if (kept.size <= size) break;
      kept.delete(oldest);
    }
  }

  return {
    async apply(events, before) {
      const streams = new Map<string, RecordedEvent[]>();
      for (const event of events) {
        const id = event.metadata.streamId;
        const accepted: unknown = accepts(id);
        // A Promise is truthy: an async accepts took every stream.
        if (readsAsFunction(() => (accepted as { then?: unknown } | null)?.then))
          fail('INVALID_INPUT', 'accepts(streamId) must return true or false, not a Promise', {
            path: 'accepts',
          });
        if (!accepted) continue;
        const list = streams.get(id);
        if (list === undefined) streams.set(id, [event]);
        else list.push(event);
      }
      const work: StreamWork<Acc>[] = [];
      for (const [streamId, list] of streams) {
        const first = list[0]?.metadata.streamPosition ?? 1;
        const acc = await accAfter(streamId, first - 1);
        before?.(acc);
        for (const event of list) applyOne(acc, event);
        const version = first - 1 + list.length;
        keep(streamId, acc, version);
        work.push({ streamId, acc, version });
      }
      return work;
    },
  };
}
