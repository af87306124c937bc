import { describe, expect, it } from 'vitest';
import {
  createCommandHandler,
  createInMemoryEventStore,
  createInMemorySnapshotStore,
  currentUpcasters,
  isDomainError,
  loadJob,
  replay,
  type EventStore,
  type RecordedEvent,
} from '../../src/index.js';
import { logoDesign } from '../../src/testing/fixtures.js';

/*
 * A store the app wrote itself (the `EventStore` port) is trusted as the library's own are: a
 * load that does not verify folds its events unchecked. When it yields something that is not an
 * event the library wrote (a record without data, a number where an id belongs, not an object,
 * a getter that throws), a TypeError (or the getter's own error) escaped `handle()`. It is a
 * `DomainError` naming the stream and the 1-based position, and nothing is appended.
 */

const JOB = 'logo-2014';
const STREAM = `job-${JOB}`;
const commands = logoDesign.commands;

type Corrupt = (event: RecordedEvent) => unknown;

/** The app's own store: the in-memory one behind an async generator, some records spoiled. */
function appStore(
  inner: EventStore,
  corrupt: (event: RecordedEvent, read: { after?: number; to?: number }) => unknown,
): EventStore {
  return {
    appendToStream: (streamId, events, options) => inner.appendToStream(streamId, events, options),
    streamVersion: (streamId) => inner.streamVersion(streamId),
    readAll: (options) => inner.readAll(options),
    async *readStream(streamId, options = {}) {
      for await (const event of inner.readStream(streamId, options))
        yield corrupt(event, options) as RecordedEvent;
    },
  };
}

async function storeWith(count: number): Promise<EventStore> {
  const store = createInMemoryEventStore();
  const handler = createCommandHandler({ store });
  for (const command of commands.slice(0, count)) await handler.handle(JOB, command);
  return store;
}

const spoiled: Record<string, Corrupt> = {
  'no data': (e) => ({ type: e.type, metadata: e.metadata }),
  'null data': (e) => ({ ...e, data: null }),
  'empty data': (e) => ({ ...e, data: {} }),
  'a number where an id belongs': (e) => ({
    ...e,
    data: { ...(e.data as object), milestoneId: 5, proposalId: 5, fundingId: 5 },
  }),
  'milestones that are not a list': (e) => ({
    ...e,
    data: { ...(e.data as object), milestones: 7 },
  }),
  'an unknown shape': () => ({ foo: 1 }),
  'not an object': () => 42,
  null: () => null,
  'a getter that throws on data': (e) => ({
    type: e.type,
    metadata: e.metadata,
    get data(): unknown {
      throw new Error('disk on fire');
    },
  }),
  'a getter that throws on metadata': (e) => ({
    type: e.type,
    data: e.data,
    get metadata(): unknown {
      throw new Error('disk on fire');
    },
  }),
  'a proxy that throws': (e) =>
    new Proxy(e, {
      get(_, key) {
        // An async generator's yield awaits its value: a `then` that throws is the store's own.
        if (key === 'then') return undefined;
        throw new Error('disk on fire');
      },
    }),
};

async function outcome(run: () => Promise<unknown>): Promise<string> {
  try {
    await run();
    return 'ok';
  } catch (error) {
    if (!isDomainError(error))
      return `not a DomainError: ${error instanceof Error ? error.name : typeof error}: ${String(error)}`;
    expect(typeof error.message).toBe('string');
    return `${error.code} ${String(error.details['streamId'])}@${String(error.details['position'])}`;
  }
}

/** Records no fold can take: named at their position, whatever the event they replace. */
const UNREADABLE = new Set([
  'no data',
  'null data',
  'an unknown shape',
  'not an object',
  'null',
  'a getter that throws on data',
  'a getter that throws on metadata',
  'a proxy that throws',
]);

/**
 * What the handler may answer: a record no fold can take is INVALID_INPUT or INVALID_HISTORY
 * naming the stream and its position; one the trusted fold takes as it is (an id of 5, empty
 * data) leaves a state that any DomainError may reject a command on. Never anything else.
 */
function unexpected(name: string, position: number, result: string): string[] {
  if (result.startsWith('not a DomainError')) return [`${name} at ${String(position)}: ${result}`];
  if (!UNREADABLE.has(name)) return [];
  return new RegExp(`^(INVALID_INPUT|INVALID_HISTORY) ${STREAM}@${String(position)}$`).test(result)
    ? []
    : [`${name} at ${String(position)}: ${result}`];
}

describe("a custom store's malformed records reach the command handler", () => {
  it('a load (the handler, cold, with and without its cache) answers a DomainError naming the stream and position, and appends nothing', async () => {
    const found: string[] = [];
    for (const position of [1, 2, 3, 4, 5])
      for (const [name, corrupt] of Object.entries(spoiled)) {
        const inner = await storeWith(5);
        const store = appStore(inner, (e) =>
          e.metadata.streamPosition === position ? corrupt(e) : e,
        );
        for (const cacheSize of [0, 100]) {
          const handler = createCommandHandler({ store, cacheSize });
          const before = await inner.streamVersion(STREAM);
          const result = await outcome(() => handler.handle(JOB, commands[5] as never));
          if (result === 'ok') continue; // a record the trusted fold takes as it is
          found.push(...unexpected(name, position, result));
          expect(await inner.streamVersion(STREAM)).toBe(before);
        }
      }
    expect(found).toEqual([]);
  });

  it("the handler's cache catching up on spoiled records answers a DomainError and appends nothing", async () => {
    const found: string[] = [];
    for (const [name, corrupt] of Object.entries(spoiled)) {
      const inner = await storeWith(4);
      let spoil = false;
      const store = appStore(inner, (e) =>
        spoil && e.metadata.streamPosition === 5 ? corrupt(e) : e,
      );
      const handler = createCommandHandler({ store });
      await handler.load(JOB); // kept at version 4
      await createCommandHandler({ store: inner }).handle(JOB, commands[4] as never);
      spoil = true;
      const result = await outcome(() => handler.handle(JOB, commands[5] as never));
      if (result === 'ok') continue; // a record the trusted fold takes as it is
      found.push(...unexpected(name, 5, result));
      expect(await inner.streamVersion(STREAM)).toBe(5);
    }
    expect(found).toEqual([]);
  });

  it('an idempotent retry reading back a spoiled decision answers a DomainError', async () => {
    const found: string[] = [];
    for (const [name, corrupt] of Object.entries(spoiled)) {
      const inner = await storeWith(2);
      // Only the read of the first decision's events (from 3 to 3) is spoiled.
      const store = appStore(inner, (e, read) =>
        read.after === 2 && read.to === 3 ? corrupt(e) : e,
      );
      const handler = createCommandHandler({ store });
      await handler.handle(JOB, commands[2] as never, { idempotencyKey: 'request-3' });
      const result = await outcome(() =>
        handler.handle(JOB, commands[2] as never, { idempotencyKey: 'request-3' }),
      );
      if (result !== 'ok') found.push(...unexpected(name, 3, result));
    }
    expect(found).toEqual([]);
  });

  it('loadJob from a snapshot, folding spoiled records after it, answers a DomainError', async () => {
    const found: string[] = [];
    for (const [name, corrupt] of Object.entries(spoiled)) {
      const inner = createInMemoryEventStore();
      const snapshots = createInMemorySnapshotStore();
      const writer = createCommandHandler({ store: inner, snapshots, snapshotEvery: 2 });
      for (const command of commands.slice(0, 5)) await writer.handle(JOB, command);
      const store = appStore(inner, (e) => (e.metadata.streamPosition === 5 ? corrupt(e) : e));
      const result = await outcome(() => loadJob(store, STREAM, { snapshots }));
      if (result !== 'ok') found.push(...unexpected(name, 5, result));
    }
    expect(found).toEqual([]);
  });

  it("the library's own store holding records an app appended by hand: a DomainError, not a TypeError", async () => {
    const store = await storeWith(3);
    await store.appendToStream(STREAM, [{ type: 'MilestoneFunded', data: null }], {
      expectedVersion: 3,
    });
    const result = await outcome(() =>
      createCommandHandler({ store }).handle(JOB, commands[3] as never),
    );
    expect(result).toBe('INVALID_INPUT job-logo-2014@4');
    expect(await store.streamVersion(STREAM)).toBe(4);
  });

  it('upcast reads a stored event once: a getter or a proxy that throws is INVALID_INPUT, not its error', () => {
    const getter = {
      type: 'JobAwarded',
      get data(): unknown {
        throw new Error('disk on fire');
      },
    };
    const proxy = new Proxy(
      {},
      {
        get() {
          throw new Error('disk on fire');
        },
      },
    );
    for (const event of [getter, proxy])
      expect(() => currentUpcasters.upcast(event as never)).toThrow(
        expect.objectContaining({ code: 'INVALID_INPUT' }),
      );
  });

  it('replay (not verifying) of records that are not events answers a DomainError at the position', async () => {
    const events = [...logoDesign.events.slice(0, 2), { type: 'MilestoneFunded', data: null }];
    await expect(replay(events)).rejects.toMatchObject({
      code: 'INVALID_INPUT',
      details: { position: 3 },
    });
  });
});
