import * as fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  DomainError,
  createCommandHandler,
  createInMemoryEventStore,
  createInMemorySnapshotStore,
  isDomainError,
  loadJob,
  readNdjson,
  replay,
  type EventStore,
  type JobCommand,
} from '../../src/index.js';
import {
  createTimeline,
  ledgerProjection,
  milestoneTable,
  projectAll,
  renderMilestoneTable,
  schedule,
  scheduleProjection,
  timeline,
} from '../../src/projections/index.js';
import { concurrencyConflict, serializeState, snapshotData } from '../../src/store/index.js';
import {
  createJobSummaryTable,
  createNotificationDispatcher,
  createPostgresConsumer,
  createPostgresEventStore,
  createPostgresSnapshotStore,
  createTimerRunner,
} from '../../src/postgres/index.js';
import { assertInvariants, escrowArbitraries, given, logoDesign } from '../../src/testing/index.js';

/*
 * harden7b: an options object is read once. A factory (or a function taking options) reads each
 * option once into a copy it checks and uses: an options object whose every read throws (a proxy,
 * a revoked proxy) is INVALID_INPUT naming the option, where the proxy's own error (or a
 * TypeError) escaped; a getter that answers a good value first and something else afterwards is
 * never read again, where the factory checked one value and used the other.
 */

const { events, state, commands } = logoDesign;
const award = commands[0] as JobCommand;
const at = '2014-11-03T09:00:00Z';

/** A proxy whose every trap (get, has, ownKeys, getPrototypeOf, …) throws. */
const everyReadThrows = new Proxy(
  {},
  new Proxy(
    {},
    {
      get: (_handler, trap) => (): never => {
        throw new Error(`the ${String(trap)} trap throws`);
      },
    },
  ),
);
const revoked = Proxy.revocable({}, {});
revoked.revoke();

const storedEvents = events.map((e, i) => ({
  ...e,
  metadata: { streamId: 'job-logo', streamPosition: i + 1, globalPosition: i + 1 },
}));

async function filledStore(): Promise<EventStore> {
  const store = createInMemoryEventStore({ now: () => at, newEventId: () => 'e' });
  await store.appendToStream('job-logo', events, { expectedVersion: 'no-stream' });
  return store;
}

/** A store whose first append is a conflict, so that the handler retries (and waits). */
function conflictingOnce(inner: EventStore): EventStore {
  let first = true;
  return {
    readStream: (streamId, options) => inner.readStream(streamId, options),
    streamVersion: (streamId) => inner.streamVersion(streamId),
    readAll: (options) => inner.readAll(options),
    appendToStream: (streamId, toAppend, options) => {
      if (!first) return inner.appendToStream(streamId, toAppend, options);
      first = false;
      return Promise.reject(concurrencyConflict(streamId, options.expectedVersion, 0));
    },
  };
}

const fakePool = {
  connect: () => Promise.reject(new Error('no database in this test')),
  query: () => Promise.resolve({ rows: [{ version: 0 }] }),
};
const fakeStore = {
  readAll: () => [],
  readStream: () => [],
};
const noop = (): void => undefined;

/**
 * An entry point taking options: good options, and a call that creates and uses the thing and
 * answers plain data (the same for the same options).
 */
interface Entry {
  readonly name: string;
  readonly valid: () => Record<string, unknown>;
  readonly run: (options: unknown) => unknown;
}

const entries: readonly Entry[] = [
  {
    name: 'createCommandHandler',
    valid: () => ({
      store: conflictingOnce(createInMemoryEventStore()),
      snapshots: createInMemorySnapshotStore(),
      snapshotEvery: 1,
      maxRetries: 2,
      retryDelayMs: () => 0,
      streamIdOf: (jobId: string) => `job-${jobId}`,
      snapshotVersion: 'v1',
      cacheSize: 10,
      onSnapshotError: noop,
      now: () => at,
      newId: () => 'id-1',
    }),
    run: async (options) => {
      const handler = createCommandHandler(options as never);
      const { version, attempts, events: decided } = await handler.handle(logoDesign.jobId, award);
      return { version, attempts, metadata: decided[0]?.metadata };
    },
  },
  {
    name: 'createInMemoryEventStore',
    valid: () => ({ now: () => at, newEventId: () => 'event-1' }),
    run: async (options) => {
      const store = createInMemoryEventStore(options as never);
      await store.appendToStream('s', events.slice(0, 1), { expectedVersion: 'no-stream' });
      const read = [];
      for await (const e of store.readStream('s')) read.push(e.metadata);
      return read;
    },
  },
  {
    name: 'createInMemorySnapshotStore',
    valid: () => ({ keep: 1 }),
    run: async (options) => {
      const snapshots = createInMemorySnapshotStore(options as never);
      for (const version of [1, 2])
        await snapshots.save({
          streamId: 's',
          version,
          snapshotVersion: 'v1',
          state: null,
          idempotency: [],
          takenAt: at,
        });
      return [await snapshots.load('s', { atOrBefore: 1 }), (await snapshots.load('s'))?.version];
    },
  },
  {
    name: 'createTimeline',
    valid: () => ({ locale: 'de-DE' }),
    run: (options) => {
      const writer = createTimeline(options as never);
      return events.map((e) => writer.push(e));
    },
  },
  {
    name: 'timeline',
    valid: () => ({ locale: 'de-DE' }),
    run: (options) => timeline(events, options as never),
  },
  {
    name: 'scheduleProjection',
    valid: () => ({ asOf: '2015-01-01' }),
    run: (options) => projectAll(scheduleProjection(options as never), storedEvents),
  },
  {
    name: 'schedule',
    valid: () => ({ asOf: '2015-01-01' }),
    run: (options) => schedule(state, options as never),
  },
  {
    name: 'replay',
    valid: () => ({ verify: true, until: { position: 3 } }),
    run: async (options) => {
      const { position, stoppedEarly } = await replay(storedEvents, options as never);
      return { position, stoppedEarly };
    },
  },
  {
    name: 'milestoneTable',
    valid: () => ({ locale: 'de-DE', dates: 'iso' }),
    run: (options) => milestoneTable(state, options as never),
  },
  {
    name: 'renderMilestoneTable',
    valid: () => ({ locale: 'de-DE', dates: 'iso', format: 'markdown' }),
    run: (options) => renderMilestoneTable(state, options as never),
  },
  {
    name: 'loadJob',
    valid: () => ({ verify: true, until: { position: 3 }, snapshotVersion: 'v1' }),
    run: async (options) => {
      const { version, snapshot } = await loadJob(
        await filledStore(),
        'job-logo',
        options as never,
      );
      return { version, snapshot };
    },
  },
  {
    name: 'readNdjson',
    valid: () => ({ maxLineBytes: 10_000 }),
    run: async (options) => {
      const values = [];
      for await (const v of readNdjson(['{"a":1}\n{"b":2}\n'], options as never)) values.push(v);
      return values;
    },
  },
  {
    name: 'given',
    valid: () => ({ verify: false }),
    run: (options) =>
      given(events.slice(0, 3), options as never)
        .when(commands[3] as never)
        .then(events.slice(3, 4)).version,
  },
  {
    name: 'assertInvariants',
    valid: () => ({ where: 'after the seed' }),
    run: (options) => {
      assertInvariants(state, options as never);
      return 'held';
    },
  },
  {
    name: 'projectAll',
    valid: () => ({ decode: (e: unknown) => e }),
    run: (options) => projectAll(ledgerProjection, storedEvents, options as never).size,
  },
  {
    name: 'escrowArbitraries',
    valid: () => ({ clientId: 'carol', jobId: 'job-9' }),
    run: (options) =>
      fc.sample(escrowArbitraries(fc, options as never).history({ maxSteps: 1 }), {
        numRuns: 1,
        seed: 7,
      })[0]?.commands[0]?.data,
  },
  {
    name: 'createPostgresEventStore',
    valid: () => ({ pool: fakePool, schema: 'escrow', batchSize: 10 }),
    run: (options) => createPostgresEventStore(options as never).streamVersion('job-logo'),
  },
  {
    name: 'createPostgresSnapshotStore',
    valid: () => ({ pool: fakePool, schema: 'escrow', keep: 2 }),
    run: (options) => typeof createPostgresSnapshotStore(options as never).load,
  },
  {
    name: 'createPostgresConsumer',
    valid: () => ({
      name: 'audit',
      store: fakeStore,
      pool: fakePool,
      schema: 'escrow',
      handle: () => Promise.resolve(),
      batchSize: 10,
      pollMs: 10,
      lockRetryMs: 10,
      backoff: () => 10,
      onError: noop,
      onBatch: noop,
    }),
    run: (options) => createPostgresConsumer(options as never).status(),
  },
  {
    name: 'createJobSummaryTable',
    valid: () => ({
      store: fakeStore,
      pool: fakePool,
      schema: 'escrow',
      name: 'summaries',
      cacheSize: 10,
      batchSize: 10,
      pollMs: 10,
      lockRetryMs: 10,
      backoff: () => 10,
      onError: noop,
    }),
    run: (options) => typeof createJobSummaryTable(options as never).start,
  },
  {
    name: 'createNotificationDispatcher',
    valid: () => ({
      store: fakeStore,
      pool: fakePool,
      schema: 'escrow',
      send: () => Promise.resolve(),
      maxAttempts: 3,
      retryDelay: () => 10,
      leaseMs: 1000,
      claimSize: 5,
      batchSize: 10,
      pollMs: 10,
      lockRetryMs: 10,
      onError: noop,
    }),
    run: (options) => typeof createNotificationDispatcher(options as never).start,
  },
  {
    name: 'createTimerRunner',
    valid: () => ({
      store: fakeStore,
      pool: fakePool,
      schema: 'escrow',
      handler: { handle: () => Promise.resolve() },
      actorOf: () => 'system',
      jobIdOf: (id: string) => id,
      fireSize: 5,
      batchSize: 10,
      pollMs: 10,
      lockRetryMs: 10,
      onError: noop,
    }),
    run: (options) => typeof createTimerRunner(options as never).start,
  },
];

/** What `run` did: its answer, or the DomainError's code and path, or any other error. */
async function outcome(run: () => unknown): Promise<unknown> {
  try {
    return { answer: await run() };
  } catch (error) {
    if (isDomainError(error)) return { code: error.code, path: error.details.path };
    return { escaped: error instanceof Error ? `${error.name}: ${error.message}` : String(error) };
  }
}

/** `valid`'s options as getters: each answers its value on the first read, a Symbol after it. */
function answersOnceThenSymbol(valid: Record<string, unknown>): {
  options: object;
  reads: Map<string, number>;
} {
  const reads = new Map<string, number>();
  const options = {};
  for (const [key, value] of Object.entries(valid))
    Object.defineProperty(options, key, {
      enumerable: true,
      get() {
        const count = (reads.get(key) ?? 0) + 1;
        reads.set(key, count);
        return count === 1 ? value : Symbol('a second read');
      },
    });
  return { options, reads };
}

describe('an options object is read once', () => {
  it('every entry point answers INVALID_INPUT naming an option when every read of its options throws', async () => {
    const found: string[] = [];
    for (const entry of entries) {
      for (const [what, hostile] of [
        ['a proxy whose every trap throws', everyReadThrows],
        ['a revoked proxy', revoked.proxy],
      ] as const) {
        const result = (await outcome(() => entry.run(hostile))) as {
          code?: string;
          path?: string;
        };
        if (
          result.code !== 'INVALID_INPUT' ||
          typeof result.path !== 'string' ||
          result.path === ''
        )
          found.push(`${entry.name}(${what}): ${JSON.stringify(result)}`);
      }
    }
    expect(found).toEqual([]);
  });

  it('every entry point reads each option once, and acts on the value it checked', async () => {
    const found: string[] = [];
    for (const entry of entries) {
      const expected = await outcome(() => entry.run(entry.valid()));
      expect(expected, entry.name).toHaveProperty('answer');
      const { options, reads } = answersOnceThenSymbol(entry.valid());
      const result = await outcome(() => entry.run(options));
      const twice = [...reads].filter(([, n]) => n > 1).map(([key]) => key);
      if (twice.length > 0) found.push(`${entry.name} read ${twice.join(', ')} more than once`);
      if (JSON.stringify(result) !== JSON.stringify(expected))
        found.push(`${entry.name}: ${JSON.stringify(result)}`);
    }
    expect(found).toEqual([]);
  });

  it("replay's and loadJob's until, and replay's from, are read once: a throwing one is INVALID_INPUT at until.position or from.version", async () => {
    const store = await filledStore();
    expect(await outcome(() => replay(storedEvents, { until: everyReadThrows as never }))).toEqual({
      code: 'INVALID_INPUT',
      path: 'until.position',
    });
    expect(
      await outcome(() => loadJob(store, 'job-logo', { until: revoked.proxy as never })),
    ).toEqual({ code: 'INVALID_INPUT', path: 'until.position' });
    expect(await outcome(() => replay(storedEvents, { from: everyReadThrows as never }))).toEqual({
      code: 'INVALID_INPUT',
      path: 'from.version',
    });
    // A position that reads 2 and then a Symbol stops at 2.
    const { options: until } = answersOnceThenSymbol({ position: 2 });
    expect(
      await outcome(async () => (await replay(storedEvents, { until: until as never })).position),
    ).toEqual({
      answer: 2,
    });
  });
});

describe('serializeState and snapshotData given a hostile state', () => {
  it('answer INVALID_INPUT at state for a proxy whose every read throws or a revoked proxy; serializeState also for data that cannot be read', async () => {
    const unreadableData = Object.defineProperty({ shape: 'job-state' }, 'job', {
      enumerable: true,
      get(): never {
        throw new Error('a getter that throws');
      },
    });
    for (const hostile of [everyReadThrows, revoked.proxy])
      expect(await outcome(() => snapshotData(hostile as never))).toEqual({
        code: 'INVALID_INPUT',
        path: 'state',
      });
    // Data is handed back as it is by snapshotData; serializeState writes it, and cannot.
    for (const hostile of [everyReadThrows, revoked.proxy, unreadableData])
      expect(await outcome(() => serializeState(hostile as never))).toEqual({
        code: 'INVALID_INPUT',
        path: 'state',
      });
    expect(JSON.parse(serializeState(state))).toEqual(snapshotData(state));
  });
});

describe('DomainError given hostile arguments', () => {
  it('new DomainError answers INVALID_INPUT naming the code, the message or the details it cannot use', async () => {
    const make = (...args: unknown[]) =>
      outcome(() => new (DomainError as new (...a: unknown[]) => DomainError)(...args));
    expect(await make(everyReadThrows)).toEqual({ code: 'INVALID_INPUT', path: 'code' });
    expect(await make(5, 'm')).toEqual({ code: 'INVALID_INPUT', path: 'code' });
    // A newer copy of the package may know more codes: its errors are kept as they are.
    expect(await make('A_NEWER_CODE', 'm')).toEqual({ answer: expect.any(DomainError) as unknown });
    expect(await make('FORBIDDEN', everyReadThrows)).toEqual({
      code: 'INVALID_INPUT',
      path: 'message',
    });
    for (const details of [everyReadThrows, revoked.proxy, null, 5])
      expect(await make('FORBIDDEN', 'm', details)).toEqual({
        code: 'INVALID_INPUT',
        path: 'details',
      });
  });

  it('a DomainError keeps its details as read once: a getter that changes later changes nothing', () => {
    const { options: details, reads } = answersOnceThenSymbol({ path: 'data.amount', rule: 'R1' });
    const error = new DomainError(
      'INVALID_INPUT',
      'amount must be a whole number',
      details as never,
    );
    expect(JSON.parse(JSON.stringify(error))).toEqual({
      code: 'INVALID_INPUT',
      message: 'amount must be a whole number',
      details: { path: 'data.amount', rule: 'R1' },
    });
    expect(error.details.path).toBe('data.amount');
    expect([...reads.values()]).toEqual([1, 1]);
  });
});

describe("a snapshot store's load options", () => {
  it('are read once: options whose reads throw are INVALID_INPUT at atOrBefore, a Symbol finds nothing, in both stores', async () => {
    const memory = createInMemorySnapshotStore();
    await memory.save({
      streamId: 's',
      version: 1,
      snapshotVersion: 'v1',
      state: null,
      idempotency: [],
      takenAt: at,
    });
    const postgres = createPostgresSnapshotStore({ pool: fakePool });
    for (const store of [memory, postgres]) {
      for (const hostile of [everyReadThrows, revoked.proxy])
        expect(await outcome(() => store.load('s', hostile as never))).toEqual({
          code: 'INVALID_INPUT',
          path: 'atOrBefore',
        });
      expect(await outcome(() => store.load('s', null as never))).toEqual({
        code: 'INVALID_INPUT',
        path: '',
      });
      expect(
        await outcome(() => store.load('s', { atOrBefore: Symbol('limit') as never })),
      ).toEqual({ answer: undefined });
    }
    expect((await memory.load('s', { atOrBefore: 1 }))?.version).toBe(1);
  });
});
