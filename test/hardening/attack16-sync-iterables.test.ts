import { describe, expect, it } from 'vitest';
import {
  createCommandHandler,
  createInMemoryEventStore,
  decide,
  initialState,
  loadJob,
  readNdjson,
  replay,
} from '../../src/index.js';
import { projectAllAsync, summaryProjection } from '../../src/projections/index.js';
import type { EventStore } from '../../src/store/port.js';
import { award, refusal, revoked } from './hostile.js';

/*
 * Session 16's attack on what the library reads with `for await`: replay's events,
 * projectAllAsync's, readNdjson's source and a store's readStream. Given a sync iterable (an
 * array), `for await` awaits each item, so a revoked proxy in it was a TypeError (its `then` is
 * read), a thenable item was replaced by what it resolved to (a bad event became a good one, an
 * object became a chunk of text), and one that never settles was waited on for ever.
 * iterableOption (src/shared/options.ts) now hands a sync iterable's items over as they are.
 */

const [awarded] = decide(award, initialState());

/** A thenable that resolves to `value` at once: awaited, it is `value`. */
const becomes = (value: unknown): object => ({
  type: 'NotAnEvent',
  then(resolve: (value: unknown) => void) {
    resolve(value);
  },
});

/** Reads `source` to its end. */
async function drain(source: AsyncIterable<unknown>): Promise<unknown[]> {
  const read: unknown[] = [];
  for await (const item of source) read.push(item);
  return read;
}

/** The in-memory store, but its readStream answers `events`. */
function storeReading(events: readonly unknown[]): EventStore {
  const memory = createInMemoryEventStore();
  return {
    appendToStream: memory.appendToStream.bind(memory),
    streamVersion: memory.streamVersion.bind(memory),
    readAll: memory.readAll.bind(memory),
    readStream: () => events as never,
  };
}

describe('a sync iterable read with for await, its items as given', () => {
  it("a revoked proxy among replay's or projectAllAsync's events is INVALID_INPUT", async () => {
    expect(await refusal(() => replay([revoked()]))).toEqual(['INVALID_INPUT', '']);
    expect(await refusal(() => projectAllAsync(summaryProjection, [revoked()] as never))).toEqual([
      'INVALID_INPUT',
      'metadata.streamId',
    ]);
  });

  it('a revoked proxy among the events a store reads is INVALID_INPUT', async () => {
    const store = storeReading([revoked()]);
    expect(await refusal(() => loadJob(store, 'j1'))).toEqual(['INVALID_INPUT', '']);
    expect(await refusal(() => createCommandHandler({ store }).handle('j1', award))).toEqual([
      'INVALID_INPUT',
      '',
    ]);
  });

  it('a revoked proxy or a thenable among readNdjson chunks is INVALID_INPUT at source', async () => {
    expect(await refusal(() => drain(readNdjson([revoked()] as never)))).toEqual([
      'INVALID_INPUT',
      'source',
    ]);
    expect(await refusal(() => drain(readNdjson([becomes('{"a":1}\n')] as never)))).toEqual([
      'INVALID_INPUT',
      'source',
    ]);
  });

  it('a thenable event is checked as itself, not as what it resolves to', async () => {
    expect(await refusal(() => replay([becomes(awarded)], { verify: true }))).toEqual([
      'INVALID_INPUT',
      'type',
    ]);
  });
});
