import { parseEvent, type JobEvent } from '../domain/events.js';
import { fail, isDomainError } from '../domain/shared/errors.js';
import { describe, requireEvents } from '../domain/shared/parse.js';
import { atPosition, malformedAt, requireFoldsWhole } from '../domain/unfoldable.js';
import { functionOption, iterableOption, objectOption, readOptions } from '../shared/options.js';

/*
 * Read models are projections: pure folds of a job stream into a view. Each one accumulates into
 * a private mutable working value (as the domain's `fold` does) and hands out a frozen view, so
 * replaying a long stream costs about what a hand-written loop does. The runners here fold one
 * stream, or every stream of a global read (the store's `readAll`), grouped by `streamId`.
 */

/**
 * A read model over one job stream.
 * - `initial()` a fresh mutable accumulator for a stream with no events;
 * - `apply(acc, event)` folds one event into it, in place (it changes only what it is given,
 *   reads no clock and does no I/O);
 * - `view(acc)` the read model: new, deeply frozen data that shares nothing mutable with `acc`.
 *
 * The runners ({@link project}, {@link createProjector}, {@link projectAll}) give each stream its
 * own accumulator, so a projection never sees another stream's events.
 */
export interface Projection<Acc, View> {
  /** A short name, for error messages and logs. */
  readonly name: string;
  /** A fresh accumulator for one stream, before its first event. */
  initial(): Acc;
  /** Folds one event into the accumulator, in place. */
  apply(acc: Acc, event: JobEvent): void;
  /** The view of the accumulator so far (a frozen value: the accumulator goes on changing). */
  view(acc: Acc): View;
}

/** The projection's view type. */
export type ViewOf<P> = P extends Projection<unknown, infer V> ? V : never;

/** A projection with the same accumulator and another view of it (e.g. a ledger's closing statement). */
export function mapView<Acc, V, W>(
  projection: Projection<Acc, V>,
  name: string,
  f: (view: V) => W,
): Projection<Acc, W> {
  return {
    name,
    initial: () => projection.initial(),
    apply: (acc, event) => {
      projection.apply(acc, event);
    },
    view: (acc) => f(projection.view(acc)),
  };
}

/** Folds one stream's events (in stream order, from its first event) into the projection's view. */
export function project<Acc, V>(projection: Projection<Acc, V>, events: Iterable<JobEvent>): V {
  checkProjection(projection);
  requireEvents(events);
  const acc = projection.initial();
  let position = 0;
  for (const event of events) applyAt(projection, acc, event, ++position);
  return projection.view(acc);
}

/** A projection given to a runner: an object with `initial`, `apply` and `view`. */
function checkProjection(projection: unknown): void {
  objectOption(projection, 'projection', 'a projection', ['initial', 'apply', 'view']);
}

/**
 * Folds one trusted event into `acc`. What a projection throws on an event that is not one (a
 * number, `{ data: null }`: a TypeError) is `INVALID_INPUT` at its 1-based `position`, checked
 * only once it threw; anything thrown on a well-formed event is the projection's own, passed on.
 * `whole` for an accumulator that lives on after a throw (a projector's): an event the library's
 * recipes would throw on part-way is refused before the projection sees it.
 */
export function applyAt<Acc>(
  projection: Projection<Acc, unknown>,
  acc: Acc,
  event: JobEvent,
  position: number,
  whole = false,
): void {
  try {
    if (whole) requireFoldsWhole(event);
    projection.apply(acc, event);
  } catch (error) {
    if (isDomainError(error)) throw atPosition(error, position);
    throw malformedAt(event, position) ?? error;
  }
}

/** An incremental fold of one stream: push its events as they come, read the view at any time. */
export interface Projector<V> {
  /** Folds the stream's next event; one it throws on leaves the projector as it was. */
  push(event: JobEvent): void;
  /** The number of events pushed: the stream position of the last one. */
  readonly version: number;
  /** The view after the events pushed so far (a new frozen value on each call). */
  view(): V;
}

/** Starts an incremental fold of one stream from its beginning. */
export function createProjector<Acc, V>(projection: Projection<Acc, V>): Projector<V> {
  checkProjection(projection);
  const acc = projection.initial();
  let version = 0;
  return {
    push(event) {
      applyAt(projection, acc, event, version + 1, true);
      version += 1;
    },
    get version() {
      return version;
    },
    view: () => projection.view(acc),
  };
}

/**
 * An event of a global read: what the store's `readAll` yields (`RecordedEvent` fits). Only
 * `metadata.streamId` is required; `streamPosition` (1-based), when present, lets the runners skip
 * a redelivered event and refuse a gap.
 */
export interface StreamEvent {
  readonly type: string;
  readonly data: unknown;
  readonly metadata: {
    readonly streamId: string;
    readonly streamPosition?: number;
    readonly globalPosition?: number;
  };
}

/** Options of the global runners. */
export interface ProjectAllOptions<E extends StreamEvent> {
  /**
   * Turns a stored event into a job event. The default validates it with `parseEvent` (a stored
   * event is untrusted input: `INVALID_INPUT` names the path) and refuses a `metadata.schemaVersion`
   * newer than today's (1), as `replay` does. Pass your own to upcast older
   * shapes, or `(e) => e as unknown as JobEvent` for events you already trust.
   */
  readonly decode?: (event: E) => JobEvent;
}

function validate(event: StreamEvent): JobEvent {
  return parseEvent({ type: event.type, data: event.data });
}

/**
 * The default decode's check of `metadata.schemaVersion`, as `currentUpcasters.upcast` makes it
 * (every type is at version 1; none or `null` is current): a newer app's event is refused, not
 * folded as today's shape. Written out here: the upcasters would cost this entry 0.9 kB.
 */
function checkSchemaVersion(type: string, version: unknown): void {
  if (version === undefined || version === null || version === 1) return;
  const newer = typeof version === 'number' && Number.isSafeInteger(version) && version > 1;
  fail(
    'INVALID_INPUT',
    newer
      ? `${type} v${String(version)} was written by a newer app: this one reads up to v1`
      : `${type}: metadata.schemaVersion must be a positive integer, not ${describe(version)}`,
    { path: 'metadata.schemaVersion', eventType: type },
  );
}

/**
 * Groups a global read by `metadata.streamId`: each stream's events in the order they came, the
 * streams in the order of their first event.
 */
export function byStream<E extends StreamEvent>(events: Iterable<E>): Map<string, E[]> {
  requireEvents(events);
  const streams = new Map<string, E[]>();
  for (const event of events) {
    const id = storedPlace(event).streamId;
    let list = streams.get(id);
    if (list === undefined) {
      list = [];
      streams.set(id, list);
    }
    list.push(event);
  }
  return streams;
}

/** An incremental fold of every stream of a global read (a catch-up subscription's view). */
export interface GlobalProjector<V, E extends StreamEvent = StreamEvent> {
  /**
   * Folds one event into its stream's view. An event whose `streamPosition` the stream already
   * has is a redelivery and is skipped (returns `false`); one past the next position is a gap and
   * throws `INVALID_HISTORY` (nothing is folded).
   */
  push(event: E): boolean;
  /** The view of one stream, `undefined` for a stream with no events yet. */
  view(streamId: string): V | undefined;
  /** Every stream's view, in the order of each stream's first event. */
  views(): ReadonlyMap<string, V>;
  /** The stream ids seen, in the order of their first event. */
  streamIds(): readonly string[];
  /** The number of events folded into a stream (its version as far as this projector knows). */
  version(streamId: string): number;
  /** The `globalPosition` of the last event pushed that carried one (0 before any). */
  readonly lastGlobalPosition: number;
}

interface StoredPlace {
  readonly streamId: string;
  readonly schemaVersion: unknown;
  readonly streamPosition: number | undefined;
  readonly globalPosition: number | undefined;
}

/**
 * Where a stored event of a global read sits (`metadata`'s stream id and positions): an event
 * without a string `streamId`, or whose reading throws, is `INVALID_INPUT` (a TypeError was).
 */
function storedPlace(event: StreamEvent): StoredPlace {
  let place: StoredPlace | undefined;
  try {
    const { streamId, streamPosition, globalPosition, schemaVersion } =
      event.metadata as StreamEvent['metadata'] & { readonly schemaVersion?: unknown };
    if (typeof streamId === 'string')
      place = { streamId, streamPosition, globalPosition, schemaVersion };
  } catch {
    // Described below, as a value that is not a stored event.
  }
  if (place === undefined)
    fail('INVALID_INPUT', 'a stored event has metadata.streamId (a string): this one has none', {
      path: 'metadata.streamId',
    });
  return place;
}

/** Starts an incremental fold of a global read: one accumulator per stream. */
export function createGlobalProjector<Acc, V, E extends StreamEvent = StreamEvent>(
  projection: Projection<Acc, V>,
  options: ProjectAllOptions<E> = {},
): GlobalProjector<V, E> {
  checkProjection(projection);
  const { decode: given } = readOptions(options, ['decode'], 'decode, or none');
  const decode = functionOption(given ?? validate, 'decode');
  const streams = new Map<string, { acc: Acc; version: number }>();
  let lastGlobalPosition = 0;
  return {
    push(event) {
      const { streamId, streamPosition, globalPosition, schemaVersion } = storedPlace(event);
      const stream = streams.get(streamId);
      const version = stream?.version ?? 0;
      if (streamPosition !== undefined) {
        if (streamPosition <= version) return false;
        if (streamPosition !== version + 1) {
          fail(
            'INVALID_HISTORY',
            `${projection.name}: stream ${streamId} skips from position ${String(version)} to ${String(streamPosition)}.`,
            {
              streamId,
              position: streamPosition,
              expected: version + 1,
            },
          );
        }
      }
      const decoded = decode(event);
      if (decode === validate) checkSchemaVersion(decoded.type, schemaVersion);
      // A stream is known from its first event that folded: one rejected leaves none behind.
      const acc = stream === undefined ? projection.initial() : stream.acc;
      applyAt(projection, acc, decoded, version + 1, true);
      if (stream === undefined) streams.set(streamId, { acc, version: 1 });
      else stream.version += 1;
      if (globalPosition !== undefined) lastGlobalPosition = globalPosition;
      return true;
    },
    view(streamId) {
      const stream = streams.get(streamId);
      return stream === undefined ? undefined : projection.view(stream.acc);
    },
    views() {
      const out = new Map<string, V>();
      for (const [id, stream] of streams) out.set(id, projection.view(stream.acc));
      return out;
    },
    streamIds: () => Object.freeze([...streams.keys()]),
    version: (streamId) => streams.get(streamId)?.version ?? 0,
    get lastGlobalPosition() {
      return lastGlobalPosition;
    },
  };
}

/**
 * Projects every stream of a global read at once: a map from stream id to that stream's view,
 * equal to projecting each stream alone. Events of one stream must come in stream order (a
 * store's global order keeps it); streams may interleave freely.
 */
export function projectAll<Acc, V, E extends StreamEvent>(
  projection: Projection<Acc, V>,
  events: Iterable<E>,
  options: ProjectAllOptions<E> = {},
): ReadonlyMap<string, V> {
  const projector = createGlobalProjector(projection, options);
  requireEvents(events);
  for (const event of events) projector.push(event);
  return projector.views();
}

/** {@link projectAll} over an async read, such as `store.readAll()`. */
export async function projectAllAsync<Acc, V, E extends StreamEvent>(
  projection: Projection<Acc, V>,
  events: AsyncIterable<E>,
  options: ProjectAllOptions<E> = {},
): Promise<ReadonlyMap<string, V>> {
  const projector = createGlobalProjector(projection, options);
  const read = iterableOption(events, 'events', 'events must be a read of stored events');
  for await (const event of read) projector.push(event);
  return projector.views();
}
