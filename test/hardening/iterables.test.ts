import { describe, expect, it } from 'vitest';
import {
  createCommandHandler,
  createInMemoryEventStore,
  isDomainError,
  loadJob,
  readNdjsonLines,
  replay,
  type EventStore,
} from '../../src/index.js';
import { logoDesign } from '../../src/testing/fixtures.js';

/*
 * What is read with `for await` is checked first: a sequence that is not one (a Promise of an
 * array, from a store's `readStream` written `async`; null; a number) was a TypeError.
 */

async function rejection(run: () => Promise<unknown>): Promise<{ code: string; path: unknown }> {
  try {
    await run();
  } catch (error) {
    if (!isDomainError(error)) throw error;
    return { code: error.code, path: error.details.path };
  }
  throw new Error('expected a DomainError');
}

const notSequences: unknown[] = [5, null, undefined, {}, Promise.resolve([])];

describe('sequences read with for await', () => {
  it('replay: events that are not an iterable are INVALID_INPUT at events', async () => {
    for (const events of notSequences)
      expect(await rejection(() => replay(events as never))).toEqual({
        code: 'INVALID_INPUT',
        path: 'events',
      });
    // An array (a sync iterable) is one.
    expect((await replay(logoDesign.events)).position).toBe(logoDesign.events.length);
  });

  it('readNdjsonLines: a source that is not an iterable, or a chunk that is neither text nor bytes, is INVALID_INPUT at source', async () => {
    const lines = async (source: unknown) => {
      const out: unknown[] = [];
      for await (const line of readNdjsonLines(source as never)) out.push(line.value);
      return out;
    };
    for (const source of notSequences)
      expect(await rejection(() => lines(source))).toEqual({
        code: 'INVALID_INPUT',
        path: 'source',
      });
    // A number or null was a TypeError; an array or a Uint16Array was read as bytes.
    for (const chunk of [5, null, {}, ['{}'], new Uint16Array([123, 125])])
      expect(await rejection(() => lines([chunk]))).toEqual({
        code: 'INVALID_INPUT',
        path: 'source',
      });
    expect(await lines(['{"a":', Buffer.from('1}\n')])).toEqual([{ a: 1 }]);
  });

  it('a store whose readStream returns no iterable (written async, so a Promise) is INVALID_INPUT at store.readStream, in loadJob and in the handler, and nothing is appended', async () => {
    const inner = createInMemoryEventStore();
    const store: EventStore = {
      ...inner,
      appendToStream: (...args) => inner.appendToStream(...args),
      streamVersion: (id) => inner.streamVersion(id),
      readAll: (options) => inner.readAll(options),
      // The mistake: an async method returns a Promise of the events, not an AsyncIterable.
      readStream: (async () => Promise.resolve([])) as never,
    };
    expect(await rejection(() => loadJob(store, 'job-logo-2014'))).toEqual({
      code: 'INVALID_INPUT',
      path: 'store.readStream',
    });
    const handler = createCommandHandler({ store });
    expect(
      await rejection(() => handler.handle('logo-2014', logoDesign.commands[0] as never)),
    ).toEqual({ code: 'INVALID_INPUT', path: 'store.readStream' });
    expect(await inner.streamVersion('job-logo-2014')).toBe(0);
  });
});
