/*
 * Example: writing your own event store. This one keeps every event in one append-only NDJSON
 * file (the global log) and an index in memory, rebuilt when the file is opened. It is a store
 * because it passes the contract suite: test/examples/file-event-store.test.ts runs
 * describeEventStoreContract against it, as any store should.
 *
 * One process at a time: appends are serialised by a promise chain inside this process, and
 * the file is the only record. (A database store gets the same guarantees from a unique
 * constraint on (stream_id, stream_position) or a row lock, not from a chain.)
 */
// #region store
import { appendFile, readFile } from 'node:fs/promises';
import {
  checkReadAll,
  checkReadStream,
  checkStreamId,
  concurrencyConflict,
  expectedVersionOf,
  prepareAppend,
  versionMatches,
  type AppendResult,
  type EventStore,
  type EventToAppend,
  type ExpectedVersion,
  type ReadAllOptions,
  type ReadStreamOptions,
  type RecordedEvent,
} from 'milestone-escrow/store';

export class FileEventStore implements EventStore {
  private readonly all: RecordedEvent[] = [];
  private readonly streams = new Map<string, RecordedEvent[]>();
  private tail: Promise<unknown> = Promise.resolve();

  private constructor(private readonly file: string) {}

  /** Opens (or creates) the store in `file`, reading its log into the index. */
  static async open(file: string): Promise<FileEventStore> {
    const store = new FileEventStore(file);
    let text = '';
    try {
      text = await readFile(file, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    }
    for (const line of text.split('\n'))
      if (line !== '') store.index(JSON.parse(line) as RecordedEvent);
    return store;
  }

  private index(event: RecordedEvent): void {
    this.all.push(event);
    const stream = this.streams.get(event.metadata.streamId) ?? [];
    stream.push(event);
    this.streams.set(event.metadata.streamId, stream);
  }

  appendToStream(
    streamId: string,
    events: readonly EventToAppend[],
    options: { readonly expectedVersion: ExpectedVersion },
  ): Promise<AppendResult> {
    // Check, write and index one append at a time: the next waits for this one. The expected
    // version is read once (`expectedVersionOf`: options that are not an object are INVALID_INPUT).
    const result = this.tail.then(() => this.append(streamId, events, expectedVersionOf(options)));
    this.tail = result.catch(() => undefined);
    return result;
  }

  private async append(
    streamId: string,
    events: readonly EventToAppend[],
    given: unknown,
  ): Promise<AppendResult> {
    // The shared rules (INVALID_INPUT as every store has it), and the JSON every store keeps.
    const storable = prepareAppend(streamId, events, given);
    const expectedVersion = given as ExpectedVersion;
    const actual = this.streams.get(streamId)?.length ?? 0;
    if (!versionMatches(expectedVersion, actual))
      throw concurrencyConflict(streamId, expectedVersion, actual);
    if (storable.length === 0) return { nextExpectedVersion: actual, lastGlobalPosition: 0 };
    const recordedAt = new Date().toISOString();
    const records: RecordedEvent[] = storable.map((e, i) => ({
      type: e.type,
      data: JSON.parse(e.data) as unknown,
      metadata: {
        ...(JSON.parse(e.metadata) as Record<string, unknown>),
        schemaVersion: e.schemaVersion,
        eventId: globalThis.crypto.randomUUID(),
        streamId,
        streamPosition: actual + i + 1,
        globalPosition: this.all.length + i + 1,
        recordedAt,
      },
    }));
    // One write for the whole batch: all or none reach the file.
    await appendFile(this.file, records.map((r) => JSON.stringify(r) + '\n').join(''));
    for (const r of records) this.index(r);
    return { nextExpectedVersion: actual + records.length, lastGlobalPosition: this.all.length };
  }

  async *readStream(
    streamId: string,
    options: ReadStreamOptions = {},
  ): AsyncIterable<RecordedEvent> {
    // The bounds as checked, read once.
    const { after, to } = checkReadStream(streamId, options);
    const stream = this.streams.get(streamId) ?? [];
    const end = Math.min(stream.length, to ?? Infinity);
    for (let i = after; i < end; i++) yield structuredClone(stream[i] as RecordedEvent);
  }

  async streamVersion(streamId: string): Promise<number> {
    checkStreamId(streamId);
    return Promise.resolve(this.streams.get(streamId)?.length ?? 0);
  }

  async *readAll(options: ReadAllOptions = {}): AsyncIterable<RecordedEvent> {
    const { after } = checkReadAll(options);
    const end = this.all.length;
    for (let i = after; i < end; i++) yield structuredClone(this.all[i] as RecordedEvent);
  }
}
// #endregion store
