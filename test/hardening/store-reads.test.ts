import { describe, expect, it } from 'vitest';
import { createInMemoryEventStore, isDomainError } from '../../src/index.js';

/* The in-memory store on hostile options and events (harden6); the contract holds every store to the codes. */

async function rejection(run: () => Promise<unknown>): Promise<{ code: string; message: string }> {
  try {
    await run();
  } catch (error) {
    if (!isDomainError(error)) throw error;
    return { code: error.code, message: error.message };
  }
  throw new Error('expected a DomainError');
}

const drain = async (read: AsyncIterable<{ metadata: { streamPosition: number } }>) => {
  const positions: number[] = [];
  for await (const e of read) positions.push(e.metadata.streamPosition);
  return positions;
};

describe('the in-memory store on hostile input', () => {
  it("an event whose getter throws is named by the getter's message (it said `{}`)", async () => {
    const store = createInMemoryEventStore();
    const event = Object.defineProperty({ type: 'A' }, 'data', {
      enumerable: true,
      get(): never {
        throw new Error('a getter that throws');
      },
    });
    expect(
      await rejection(() =>
        store.appendToStream('s', [event as never], { expectedVersion: 'any' }),
      ),
    ).toEqual({
      code: 'INVALID_INPUT',
      message: 'events cannot be read as data: a getter that throws',
    });
  });

  it('a read option whose getter throws a null-prototype object is INVALID_INPUT (a TypeError came out of readStream at once)', async () => {
    const store = createInMemoryEventStore();
    const options = Object.defineProperty({}, 'after', {
      get(): never {
        throw Object.create(null) as Error;
      },
    });
    const read = store.readStream('s', options);
    expect((await rejection(() => drain(read))).code).toBe('INVALID_INPUT');
  });

  it('read bounds and the expected version are read once: a getter cannot pass the check and then answer otherwise', async () => {
    const store = createInMemoryEventStore();
    await store.appendToStream(
      's',
      [
        { type: 'A', data: {} },
        { type: 'B', data: {} },
      ],
      {
        expectedVersion: 'no-stream',
      },
    );
    let reads = 0;
    const after = Object.defineProperty({}, 'after', {
      get: () => ((reads += 1) === 1 ? 1 : 'x'),
    });
    expect(await drain(store.readStream('s', after as never))).toEqual([2]);
    let versions = 0;
    const append = Object.defineProperty({}, 'expectedVersion', {
      get: () => ((versions += 1) === 1 ? 2 : 'any'),
    });
    await store.appendToStream('s', [{ type: 'C', data: {} }], append as never);
    expect(versions).toBe(1);
  });
});
