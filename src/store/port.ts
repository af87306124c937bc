/*
 * The event store port: what the command handler, the projections and the CLI need from a store.
 * Any store that passes the contract suite (src/store/contract/, `milestone-escrow/store`) is a store: the in-memory one
 * here, PostgreSQL in `milestone-escrow/postgres`, or the user's own.
 */

/** Facts the store records with each event; the domain never reads them. */
export interface RecordedMetadata {
  /** Unique per event. */
  readonly eventId: string;
  readonly streamId: string;
  /** 1-based position in its stream: the stream's version once this event is in it. */
  readonly streamPosition: number;
  /** 1-based position in the store's global order of all streams. */
  readonly globalPosition: number;
  /** The version of the event type's data shape when it was written (see upcasting). */
  readonly schemaVersion: number;
  /** When the store recorded it (the store's clock, not the domain's `at`). */
  readonly recordedAt: string;
  readonly correlationId?: string;
  readonly causationId?: string;
  /** The idempotency key of the command whose decision wrote this event. */
  readonly idempotencyKey?: string;
  /** Anything else the app attached. */
  readonly [key: string]: unknown;
}

/**
 * An event as a store holds it: its data may be an older shape until it is upcast.
 * @category Stores and snapshots
 */
export interface RecordedEvent {
  readonly type: string;
  readonly data: unknown;
  readonly metadata: RecordedMetadata;
}

/**
 * What a caller appends: the store fills in ids and positions.
 * @category Stores and snapshots
 */
export interface EventToAppend {
  readonly type: string;
  readonly data: unknown;
  readonly metadata?: {
    readonly schemaVersion?: number;
    readonly correlationId?: string;
    readonly causationId?: string;
    readonly idempotencyKey?: string;
    readonly [key: string]: unknown;
  };
}

/**
 * The version a writer expects the stream to be at: `'no-stream'` (it has no events), a number
 * (exactly that many events), or `'any'` (no check).
 * @category Stores and snapshots
 */
export type ExpectedVersion = 'no-stream' | 'any' | number;

/** What {@link EventStore.appendToStream} tells of an append. */
export interface AppendResult {
  /** The stream's version after the append (its number of events). */
  readonly nextExpectedVersion: number;
  /** The global position of the last event appended. */
  readonly lastGlobalPosition: number;
}

/** Which part of a stream {@link EventStore.readStream} reads. */
export interface ReadStreamOptions {
  /** Read events after this stream position (0, the default, reads from the start). */
  readonly after?: number;
  /** Read events up to and including this stream position (the default: to the end). */
  readonly to?: number;
}

/** Where {@link EventStore.readAll} starts in the store's global order. */
export interface ReadAllOptions {
  /** Read events after this global position (0, the default, reads from the start). */
  readonly after?: number;
}

/**
 * The event store port.
 * @category Stores and snapshots
 */
export interface EventStore {
  /**
   * Appends events to a stream, all or none, if the stream is at `expectedVersion`;
   * otherwise throws `DomainError('CONCURRENCY_CONFLICT')` (its `details` name `streamId`,
   * `expectedVersion` and, where the store knows it, `actualVersion`) and appends nothing.
   * `0` and `'no-stream'` mean the same: the stream has no events. An expected version that is
   * not one of the three forms (or past 2^31 - 1), a stream id that is empty, longer than 255
   * characters or not well-formed text without U+0000, an event without a type, data or
   * metadata that is not storable JSON (cycles, BigInt, lone surrogates, U+0000, nesting deeper
   * than 256), a metadata key `__proto__`, `constructor` or `prototype`, or a schema version
   * outside 1 to 2^31 - 1 is `INVALID_INPUT` (`prepareAppend` checks all of it).
   * Appending no events checks the expected version and changes nothing (`lastGlobalPosition` 0).
   * The store owns `eventId`, `streamId`, the positions and `recordedAt`: values the caller puts
   * in those metadata keys are replaced. `schemaVersion` defaults to 1.
   */
  appendToStream(
    streamId: string,
    events: readonly EventToAppend[],
    options: { readonly expectedVersion: ExpectedVersion },
  ): Promise<AppendResult>;
  /**
   * The stream's events in order, after `options.after`. An unknown stream yields nothing. A
   * stream id no store could keep, or a bound that is not a non-negative integer, is
   * `INVALID_INPUT` (`checkReadStream`).
   */
  readStream(streamId: string, options?: ReadStreamOptions): AsyncIterable<RecordedEvent>;
  /** The stream's version: its number of events (0 for an unknown stream; `INVALID_INPUT` for an id no store could keep). */
  streamVersion(streamId: string): Promise<number>;
  /**
   * Every stream's events in global order, after `options.after`. Global positions increase
   * strictly but need not be contiguous (a database sequence may skip numbers); each stream's
   * events appear in stream order. An `after` that is not a non-negative integer is
   * `INVALID_INPUT`.
   */
  readAll(options?: ReadAllOptions): AsyncIterable<RecordedEvent>;
}
