import { describe, expect, it } from 'vitest';
import {
  createInMemoryEventStore,
  createUpcasters,
  loadJob,
  readNdjson,
  replay,
} from '../../src/index.js';
import { projectAllAsync, summaryProjection } from '../../src/projections/index.js';
import type { EventStore } from '../../src/store/port.js';
import { refusal, revoked } from './hostile.js';

/*
 * Session 14, item 1, the other `instanceof`s on a user's value: a revoked Proxy where an
 * iterable, an upcaster chain, a chunk of NDJSON or a store's read goes. `instanceof` runs its
 * getPrototypeOf trap, so each was a TypeError where any other value of the wrong kind is
 * INVALID_INPUT naming it.
 */

/** Reads `source` to its end. */
async function drain(source: AsyncIterable<unknown>): Promise<unknown[]> {
  const read: unknown[] = [];
  for await (const item of source) read.push(item);
  return read;
}

describe('a revoked Proxy where the library asks instanceof', () => {
  it('as the events of replay or projectAllAsync: INVALID_INPUT at events', async () => {
    expect(await refusal(() => replay(revoked() as never))).toEqual(['INVALID_INPUT', 'events']);
    expect(await refusal(() => projectAllAsync(summaryProjection, revoked() as never))).toEqual([
      'INVALID_INPUT',
      'events',
    ]);
  });

  it('as the source of readNdjson, or a chunk of it: INVALID_INPUT at source', async () => {
    expect(await refusal(() => drain(readNdjson(revoked() as never)))).toEqual([
      'INVALID_INPUT',
      'source',
    ]);
    // A hand-written iterator: `for await` adopts a generator's values (a revoked Proxy's `then`
    // throws there, in the app's code), not an iterator's.
    const chunks: AsyncIterable<unknown> = {
      [Symbol.asyncIterator]: () => ({
        next: () => Promise.resolve({ done: false, value: revoked() }),
      }),
    };
    expect(await refusal(() => drain(readNdjson(chunks as never)))).toEqual([
      'INVALID_INPUT',
      'source',
    ]);
  });

  it('as an upcaster chain: INVALID_INPUT at chains', async () => {
    expect(await refusal(() => createUpcasters(revoked() as never))).toEqual([
      'INVALID_INPUT',
      'chains',
    ]);
  });

  it("as what a store's readStream returns: INVALID_INPUT at store.readStream", async () => {
    const memory = createInMemoryEventStore();
    const store: EventStore = {
      appendToStream: memory.appendToStream.bind(memory),
      streamVersion: memory.streamVersion.bind(memory),
      readAll: memory.readAll.bind(memory),
      readStream: () => revoked() as never,
    };
    expect(await refusal(() => loadJob(store, 'job-1'))).toEqual([
      'INVALID_INPUT',
      'store.readStream',
    ]);
  });
});
