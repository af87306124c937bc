import { describe, expect, it } from 'vitest';
import {
  createCommandHandler,
  createInMemoryEventStore,
  createInMemorySnapshotStore,
  fold,
  isDomainError,
  type EventStore,
  type JobEvent,
} from '../../src/index.js';
import { logoDesign } from '../../src/testing/fixtures.js';

/*
 * The stores and the command handler after a call that fails: a rejected save keeps nothing, a
 * failure after the append does not report the written command as failed, and a store that wrote
 * part of a batch is read back before the next decision.
 */

describe('the stores after a call they reject, or a batch of any size', () => {
  it('the in-memory store appends a batch of 200,000 events whole (spread into push, a RangeError)', async () => {
    const store = createInMemoryEventStore();
    const event = { type: 'Noted', data: { n: 1 } };
    const events = Array.from({ length: 200_000 }, () => event);
    const result = await store.appendToStream('s', events, { expectedVersion: 'no-stream' });
    expect(result).toEqual({ nextExpectedVersion: 200_000, lastGlobalPosition: 200_000 });
    expect(await store.streamVersion('s')).toBe(200_000);
  }, 30_000);

  it.each([
    ['a BigInt', 10n],
    ['a cycle', cyclic()],
  ])(
    "the in-memory snapshot store's save rejects a state of %s with INVALID_INPUT and keeps nothing",
    async (_, state) => {
      const snapshots = createInMemorySnapshotStore();
      let result: unknown;
      try {
        result = await snapshots
          .save({
            streamId: 's',
            version: 1,
            snapshotVersion: 'v',
            state,
            idempotency: [],
            takenAt: '2026-01-02T03:04:05Z',
          })
          .then(
            () => 'saved',
            (error: unknown) => error,
          );
      } catch (error) {
        result = `thrown, not rejected: ${String(error)}`;
      }
      expect(isDomainError(result) && result.code).toBe('INVALID_INPUT');
      expect(isDomainError(result) && result.details.path).toBe('snapshot.state');
      expect(await snapshots.load('s')).toBeUndefined();
    },
  );
});

function cyclic(): unknown {
  const o: Record<string, unknown> = {};
  o['self'] = o;
  return o;
}

describe('the command handler after its append', () => {
  it('does not report a written command as failed when the snapshot and the read-back both fail', async () => {
    const inner = createInMemoryEventStore();
    let readable = true;
    const store: EventStore = {
      appendToStream: async (streamId, events, options) => {
        const result = await inner.appendToStream(streamId, events, options);
        readable = false; // the connection drops right after the commit
        return result;
      },
      streamVersion: (streamId) => inner.streamVersion(streamId),
      readAll: (options) => inner.readAll(options),
      readStream: (streamId, options) => {
        if (!readable) throw new Error('connection lost');
        return inner.readStream(streamId, options);
      },
    };
    const snapshots = createInMemorySnapshotStore();
    const handler = createCommandHandler({
      store,
      snapshots: {
        save: () => Promise.reject(new Error('disk full')),
        load: snapshots.load.bind(snapshots),
      },
      snapshotEvery: 1,
      onSnapshotError: (error) => {
        throw error;
      },
    });
    const award = logoDesign.commands[0];
    if (award === undefined) throw new Error('no award');
    const result = await handler.handle('logo-2014', award);
    expect(result.version).toBe(1);
    expect(await inner.streamVersion('job-logo-2014')).toBe(1);
    // Readable again: the handler catches up from the store and goes on.
    readable = true;
    const next = logoDesign.commands[1];
    if (next === undefined) throw new Error('no second command');
    expect((await handler.handle('logo-2014', next)).version).toBe(2);
  });
});

describe('the command handler over a store that writes part of a batch, then throws', () => {
  it('passes the error on, and decides the next command on what the store holds', async () => {
    const inner = createInMemoryEventStore();
    const store: EventStore = {
      // An app's store that is not atomic: the first event of a batch lands, then it fails.
      appendToStream: async (streamId, events, options) => {
        if (events.length < 2) return inner.appendToStream(streamId, events, options);
        await inner.appendToStream(streamId, events.slice(0, 1), options);
        throw new Error('connection lost mid-batch');
      },
      streamVersion: (streamId) => inner.streamVersion(streamId),
      readAll: (options) => inner.readAll(options),
      readStream: (streamId, options) => inner.readStream(streamId, options),
    };
    const handler = createCommandHandler({ store });
    const commands = logoDesign.commands;
    for (const command of commands.slice(0, 18)) await handler.handle('logo-2014', command);
    // The decline owes a refund: two events, of which only the decline is written.
    await expect(handler.handle('logo-2014', commands[18] as never)).rejects.toThrow(
      'connection lost mid-batch',
    );
    const stored: JobEvent[] = [];
    for await (const e of inner.readStream('job-logo-2014'))
      stored.push({ type: e.type, data: e.data } as JobEvent);
    const result = await handler.handle('logo-2014', commands[19] as never);
    expect(result.version).toBe(stored.length + result.events.length);
    expect(result.state).toEqual(fold([...stored, ...result.events]));
  });
});
