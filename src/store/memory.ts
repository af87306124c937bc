import { DomainError } from '../domain/shared/errors.js';
import { deepFreeze } from '../domain/shared/freeze.js';
import { asError, isInstance } from '../domain/shared/parse.js';
import { functionOption, readOptions } from '../shared/options.js';
import {
  checkReadAll,
  checkReadStream,
  checkStreamId,
  concurrencyConflict,
  expectedVersionOf,
  MAX_STREAM_VERSION,
  prepareAppend,
  versionMatches,
  type ReadBounds,
} from './append-rules.js';
import type {
  AppendResult,
  EventStore,
  EventToAppend,
  ExpectedVersion,
  ReadAllOptions,
  ReadStreamOptions,
  RecordedEvent,
  RecordedMetadata,
} from './port.js';

/*
 * The embedded default store: every stream in memory, one global log. An append is checked and
 * applied in one synchronous step, so it is atomic with respect to every other call. Events are
 * stored as JSON copies, deeply frozen, so that what a caller holds can never change the store
 * and the store behaves as a database would (what is not JSON does not survive).
 */

/**
 * Options of {@link createInMemoryEventStore}.
 * @category Stores and snapshots
 */
export interface InMemoryEventStoreOptions {
  /** The store's clock for `recordedAt` (ISO instants); the system clock by default. */
  readonly now?: () => string;
  /** Makes event ids; `crypto.randomUUID` by default. */
  readonly newEventId?: () => string;
}

/** The embedded event store: every stream in this process's memory. */
export class InMemoryEventStore implements EventStore {
  readonly #streams = new Map<string, RecordedEvent[]>();
  readonly #all: RecordedEvent[] = [];
  readonly #now: () => string;
  readonly #newEventId: () => string;

  constructor(options: InMemoryEventStoreOptions = {}) {
    const { now, newEventId } = readOptions(
      options,
      ['now', 'newEventId'],
      'now or newEventId, or none',
    );
    this.#now = functionOption(now ?? (() => new Date().toISOString()), 'now');
    this.#newEventId = functionOption(
      newEventId ?? (() => globalThis.crypto.randomUUID()),
      'newEventId',
    );
  }

  appendToStream(
    streamId: string,
    events: readonly EventToAppend[],
    options: { readonly expectedVersion: ExpectedVersion },
  ): Promise<AppendResult> {
    try {
      return Promise.resolve(this.#append(streamId, events, expectedVersionOf(options)));
    } catch (error) {
      return Promise.reject(asError(error));
    }
  }

  #append(streamId: string, events: readonly EventToAppend[], given: unknown): AppendResult {
    // Checked and written as JSON, as every store does: what is not JSON does not survive.
    const storable = prepareAppend(streamId, events, given);
    const expectedVersion = given as ExpectedVersion;
    const stream = this.#streams.get(streamId);
    const actual = stream?.length ?? 0;
    if (!versionMatches(expectedVersion, actual))
      throw concurrencyConflict(streamId, expectedVersion, actual);
    // What was checked, not `events` again (a proxy's length may answer otherwise).
    if (storable.length === 0) return { nextExpectedVersion: actual, lastGlobalPosition: 0 };
    if (actual + storable.length > MAX_STREAM_VERSION)
      throw new DomainError(
        'INVALID_INPUT',
        `a stream holds at most ${String(MAX_STREAM_VERSION)} events`,
        { path: 'events' },
      );
    // Build every record first (a throw here appends nothing), then commit them in one step.
    const recordedAt = this.#now();
    const records = storable.map((event, i): RecordedEvent => {
      const extra = JSON.parse(event.metadata) as Record<string, unknown>;
      const metadata: RecordedMetadata = {
        ...extra,
        schemaVersion: event.schemaVersion,
        eventId: this.#newEventId(),
        streamId,
        streamPosition: actual + i + 1,
        globalPosition: this.#all.length + i + 1,
        recordedAt,
      };
      return deepFreeze({ type: event.type, data: JSON.parse(event.data) as unknown, metadata });
    });
    const target = stream ?? [];
    if (stream === undefined) this.#streams.set(streamId, target);
    // One at a time: spread into push, a batch of 200,000 was a RangeError (too many arguments).
    for (const record of records) {
      target.push(record);
      this.#all.push(record);
    }
    return { nextExpectedVersion: target.length, lastGlobalPosition: this.#all.length };
  }

  readStream(streamId: string, options: ReadStreamOptions = {}): AsyncIterable<RecordedEvent> {
    let bounds: ReadBounds;
    try {
      bounds = checkReadStream(streamId, options);
    } catch (error) {
      return new StreamRead([], 0, 0, error as Error);
    }
    const stream = this.#streams.get(streamId) ?? [];
    // Up to the stream's length at the time of the call: a concurrent append is not seen.
    const end = Math.min(stream.length, bounds.to ?? Number.POSITIVE_INFINITY);
    return new StreamRead(stream, bounds.after, end, undefined);
  }

  async streamVersion(streamId: string): Promise<number> {
    checkStreamId(streamId);
    return Promise.resolve(this.#streams.get(streamId)?.length ?? 0);
  }

  async *readAll(options: ReadAllOptions = {}): AsyncIterable<RecordedEvent> {
    const { after } = checkReadAll(options);
    const end = this.#all.length;
    for (let i = after; i < end; i++) yield this.#all[i] as RecordedEvent;
  }
}

/**
 * What the in-memory store's `readStream` returns: the port's async iterable, whose events are
 * in memory already, so that the handler can also read them synchronously (`eventsInMemory`)
 * and fold a job without a promise per event. A bad read's error is thrown when it is iterated,
 * as an async generator's would be.
 */
class StreamRead implements AsyncIterable<RecordedEvent> {
  constructor(
    private readonly stream: readonly RecordedEvent[],
    private readonly from: number,
    private readonly end: number,
    private readonly failure: Error | undefined,
  ) {}

  events(): readonly RecordedEvent[] {
    if (this.failure !== undefined) throw this.failure;
    return this.stream.slice(this.from, this.end);
  }

  async *[Symbol.asyncIterator](): AsyncIterator<RecordedEvent> {
    yield* this.events();
  }
}

/**
 * The events of a read, as an array, when the in-memory store made it (they are in memory
 * already); `undefined` for any other store's read, to be iterated asynchronously. Throws the
 * read's error, as iterating it would.
 */
export function eventsInMemory(
  read: AsyncIterable<RecordedEvent>,
): readonly RecordedEvent[] | undefined {
  return isInstance(read, StreamRead) ? read.events() : undefined;
}

/**
 * Creates the embedded in-memory event store: for tests, demos and single-process apps.
 *
 * @example
 * ```ts
 * import { createInMemoryEventStore } from 'milestone-escrow';
 *
 * const store = createInMemoryEventStore();
 * const awarded = { type: 'JobAwarded', data: { jobId: 'logo', title: 'Logo design', clientId: 'clara', freelancerId: 'felix', currency: 'USD', at: '2014-11-03T09:00:00Z' } };
 * await store.appendToStream('job-logo', [awarded], { expectedVersion: 'no-stream' }); // CONCURRENCY_CONFLICT if the stream exists
 * for await (const event of store.readStream('job-logo')) console.log(event.type, event.metadata.streamPosition); // JobAwarded 1
 * ```
 * @category Stores and snapshots
 */
export function createInMemoryEventStore(options?: InMemoryEventStoreOptions): EventStore {
  return new InMemoryEventStore(options);
}
