import { describe, expect, it } from 'vitest';
import {
  createCommandHandler,
  createInMemoryEventStore,
  currentUpcasters,
  isDomainError,
  loadJob,
} from '../../src/index.js';
import { assertNever } from '../../src/domain/shared/never.js';
import { logoDesign } from '../../src/testing/fixtures.js';

/*
 * A stored event of a type this library does not know (written by a newer app, in a rolling
 * deploy) is trusted by a load that does not verify: it reached the fold, which threw a plain
 * Error quoting the whole event (or a TypeError on reading a time limit from it).
 */

function rejection(run: () => unknown): Promise<{ code: string; details: unknown }> {
  return Promise.resolve()
    .then(run)
    .then(
      () => {
        throw new Error('expected a DomainError');
      },
      (error: unknown) => {
        if (!isDomainError(error)) throw error;
        return { code: error.code, details: error.details };
      },
    );
}

describe('events of a type the library does not know', () => {
  it('upcast (not validating) answers INVALID_INPUT at type, naming it', async () => {
    const bogus = { type: 'FundsEscheated', data: { at: '2014-11-03T09:00:00Z' } };
    expect(await rejection(() => currentUpcasters.upcast(bogus))).toEqual({
      code: 'INVALID_INPUT',
      details: { path: 'type', eventType: 'FundsEscheated' },
    });
    // An Object method's name is no event type either.
    expect(
      (await rejection(() => currentUpcasters.upcast({ type: 'toString', data: {} }))).code,
    ).toBe('INVALID_INPUT');
  });

  it('loadJob and the handler answer INVALID_INPUT at the event position, with until.at too', async () => {
    const store = createInMemoryEventStore();
    const handler = createCommandHandler({ store });
    for (const command of logoDesign.commands.slice(0, 3))
      await handler.handle('logo-2014', command);
    const streamId = handler.streamIdOf('logo-2014');
    await store.appendToStream(
      streamId,
      [{ type: 'FundsEscheated', data: { at: '2014-11-04T09:00:00Z' } }],
      {
        expectedVersion: 3,
      },
    );
    for (const options of [{}, { until: { at: '2030-01-01T00:00:00Z' } }])
      expect(await rejection(() => loadJob(store, streamId, options))).toEqual({
        code: 'INVALID_INPUT',
        details: { path: 'type', eventType: 'FundsEscheated', position: 4, streamId },
      });
    const fresh = createCommandHandler({ store });
    expect(
      (await rejection(() => fresh.handle('logo-2014', logoDesign.commands[3] as never))).code,
    ).toBe('INVALID_INPUT');
  });

  it('assertNever names a value JSON cannot write, and cuts a long one', () => {
    expect(() => assertNever(1n as never, 'thing')).toThrow('Unhandled thing: bigint');
    expect(() => assertNever({ type: 'x'.repeat(1_000_000) } as never, 'event')).toThrow(
      /^Unhandled event: \{"type":"x+… \(1000011 characters\)$/,
    );
  });
});
