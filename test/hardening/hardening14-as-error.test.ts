import { describe, expect, it } from 'vitest';
import { createCommandHandler, createInMemoryEventStore, isDomainError } from '../../src/index.js';
import { stateFromJson } from '../../src/store/index.js';
import { award } from '../app/histories.js';
import { revoked } from './hostile.js';

/*
 * Session 14, item 1: what a user's function or a proxy's trap throws, where the library turns it
 * into an Error or a message. `instanceof` runs a revoked proxy's getPrototypeOf trap (a
 * TypeError), `String()` of an object with no prototype is a TypeError, and an object whose
 * toString throws threw its own error: the in-memory store's append threw these synchronously
 * (a function that returns a promise), the others were TypeErrors in place of INVALID_INPUT.
 */

const unprintable: Record<string, () => unknown> = {
  'a revoked proxy': revoked,
  'an object with no prototype': () => Object.create(null) as unknown,
  'an object whose toString throws': () => ({
    toString(): never {
      throw new Error('toString');
    },
  }),
};

/** A proxy each of whose traps throws `value`. */
function throwing(value: unknown): object {
  const trap = (): never => {
    throw value;
  };
  return new Proxy({}, { get: trap, has: trap, ownKeys: trap, getOwnPropertyDescriptor: trap });
}

/** How a call that returns a promise ended: thrown synchronously, or the rejection's kind. */
async function ending(run: () => Promise<unknown>): Promise<string> {
  let promise: Promise<unknown>;
  try {
    promise = run();
  } catch {
    return 'threw synchronously';
  }
  try {
    await promise;
    return 'resolved';
  } catch (error) {
    if (isDomainError(error)) return `${error.code} at ${String(error.details.path)}`;
    if (error instanceof TypeError) return `TypeError: ${error.message}`;
    return error instanceof Error ? 'an Error' : 'not an Error';
  }
}

const noted = [{ type: 'Noted', data: {} }];

describe('an unprintable thrown value, where the library reads what was thrown', () => {
  for (const [what, make] of Object.entries(unprintable)) {
    it(`${what} thrown by newEventId or now: append rejects with an Error, and appends nothing`, async () => {
      for (const option of ['newEventId', 'now'] as const) {
        const store = createInMemoryEventStore({
          [option]: (): never => {
            throw make();
          },
        });
        const append = () => store.appendToStream('job-1', noted, { expectedVersion: 'any' });
        expect(await ending(append)).toBe('an Error');
        expect(await store.streamVersion('job-1')).toBe(0);
      }
    });

    it(`${what} thrown by an event's trap: INVALID_INPUT at events`, async () => {
      const store = createInMemoryEventStore();
      const append = () =>
        store.appendToStream('job-1', [throwing(make()) as never], { expectedVersion: 'any' });
      expect(await ending(append)).toBe('INVALID_INPUT at events');
    });

    it(`${what} thrown by a state's toJSON: stateFromJson is INVALID_INPUT at state`, async () => {
      const state = {
        toJSON: (): never => {
          throw make();
        },
      };
      expect(await ending(async () => stateFromJson(state))).toBe('INVALID_INPUT at state');
    });

    it(`${what} thrown by an idempotency fingerprint's trap: INVALID_INPUT there`, async () => {
      const handler = createCommandHandler({ store: createInMemoryEventStore() });
      const handled = () =>
        handler.handle('job-1', award(), {
          idempotencyKey: 'k',
          idempotencyFingerprint: throwing(make()),
        });
      expect(await ending(handled)).toBe('INVALID_INPUT at idempotencyFingerprint');
    });
  }

  it('an Error thrown by newEventId is the rejection itself, not a copy', async () => {
    const thrown = new Error('no ids today');
    const store = createInMemoryEventStore({
      newEventId: (): never => {
        throw thrown;
      },
    });
    await expect(store.appendToStream('job-1', noted, { expectedVersion: 'any' })).rejects.toBe(
      thrown,
    );
  });
});
