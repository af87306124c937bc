import { describe, expect, it } from 'vitest';
import { createInMemoryEventStore } from '../../src/store/memory.js';
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
});
