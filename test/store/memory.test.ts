import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createInMemoryEventStore, eventsInMemory } from '../../src/store/memory.js';
import { describeEventStoreContract } from '../../src/store/index.js';

describeEventStoreContract(
  'in-memory',
  () => Promise.resolve({ store: createInMemoryEventStore() }),
  {
    describe,
    it,
    expect,
  },
);

describe('in-memory store', () => {
  it('stamps recordedAt with its injected clock and ids with its injected generator', async () => {
    let n = 0;
    const store = createInMemoryEventStore({
      now: () => '2014-11-03T09:00:00.000Z',
      newEventId: () => `e${String(++n)}`,
    });
    await store.appendToStream(
      'job-1',
      [
        { type: 'A', data: {} },
        { type: 'B', data: {} },
      ],
      { expectedVersion: 'no-stream' },
    );
    const read = [];
    for await (const e of store.readStream('job-1')) read.push(e.metadata);
    expect(read).toMatchObject([
      { eventId: 'e1', recordedAt: '2014-11-03T09:00:00.000Z', globalPosition: 1 },
      { eventId: 'e2', recordedAt: '2014-11-03T09:00:00.000Z', globalPosition: 2 },
    ]);
  });

  it('hands the handler the same events synchronously as its read yields (eventsInMemory)', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 0, max: 12 }),
        fc.option(fc.integer({ min: 0, max: 14 }), { nil: undefined }),
        fc.option(fc.integer({ min: 0, max: 14 }), { nil: undefined }),
        async (length, after, to) => {
          const store = createInMemoryEventStore();
          if (length > 0)
            await store.appendToStream(
              's',
              Array.from({ length }, (_, i) => ({ type: 'T', data: { i } })),
              { expectedVersion: 'no-stream' },
            );
          const options = {
            ...(after === undefined ? {} : { after }),
            ...(to === undefined ? {} : { to }),
          };
          const yielded = [];
          for await (const e of store.readStream('s', options)) yielded.push(e);
          expect(eventsInMemory(store.readStream('s', options))).toEqual(yielded);
        },
      ),
    );
  });

  it("throws a bad read's error when the read is used, synchronously or not, never when it is made", async () => {
    const store = createInMemoryEventStore();
    const read = store.readStream('s', { after: -1 });
    expect(() => eventsInMemory(read)).toThrow(expect.objectContaining({ code: 'INVALID_INPUT' }));
    await expect(
      (async () => {
        const seen = [];
        for await (const e of read) seen.push(e);
        return seen;
      })(),
    ).rejects.toMatchObject({ code: 'INVALID_INPUT' });
  });

  it('reads a stream up to its length when the read was made: a later append is not seen', async () => {
    const store = createInMemoryEventStore();
    await store.appendToStream('s', [{ type: 'A', data: {} }], { expectedVersion: 'no-stream' });
    const read = store.readStream('s');
    await store.appendToStream('s', [{ type: 'B', data: {} }], { expectedVersion: 1 });
    expect(eventsInMemory(read)?.map((e) => e.type)).toEqual(['A']);
  });

  it("leaves any other store's read to be iterated", () => {
    const other: AsyncIterable<never> = {
      [Symbol.asyncIterator]: () => ({
        next: () => Promise.resolve({ done: true, value: undefined as never }),
      }),
    };
    expect(eventsInMemory(other)).toBeUndefined();
  });
});
