/*
 * The entry points that take options (options-read-once.test.ts), each with good options and a
 * call that uses them, and the hostile options objects the tests hand them.
 */
import * as fc from 'fast-check';
import {
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
import { concurrencyConflict } from '../../src/store/index.js';
import {
  createJobSummaryTable,
  createNotificationDispatcher,
  createPostgresConsumer,
  createPostgresEventStore,
  createPostgresSnapshotStore,
  createTimerRunner,
} from '../../src/postgres/index.js';
import { assertInvariants, escrowArbitraries, given, logoDesign } from '../../src/testing/index.js';

export const { events, state, commands } = logoDesign;
export const award = commands[0] as JobCommand;
export const at = '2014-11-03T09:00:00Z';

/** A proxy whose every trap (get, has, ownKeys, getPrototypeOf, …) throws. */
export const everyReadThrows = new Proxy(
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
export const revoked = Proxy.revocable({}, {});
revoked.revoke();

export const storedEvents = events.map((e, i) => ({
  ...e,
  metadata: { streamId: 'job-logo', streamPosition: i + 1, globalPosition: i + 1 },
}));

export async function filledStore(): Promise<EventStore> {
  const store = createInMemoryEventStore({ now: () => at, newEventId: () => 'e' });
  await store.appendToStream('job-logo', events, { expectedVersion: 'no-stream' });
  return store;
}

/** A store whose first append is a conflict, so that the handler retries (and waits). */
export function conflictingOnce(inner: EventStore): EventStore {
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

export const fakePool = {
  connect: () => Promise.reject(new Error('no database in this test')),
  query: () => Promise.resolve({ rows: [{ version: 0 }] }),
};
export const fakeStore = {
  readAll: () => [],
  readStream: () => [],
};
export const noop = (): void => undefined;

/**
 * An entry point taking options: good options, and a call that creates and uses the thing and
 * answers plain data (the same for the same options).
 */
export interface Entry {
  readonly name: string;
  readonly valid: () => Record<string, unknown>;
  readonly run: (options: unknown) => unknown;
}

export const entries: readonly Entry[] = [
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
export async function outcome(run: () => unknown): Promise<unknown> {
  try {
    return { answer: await run() };
  } catch (error) {
    if (isDomainError(error)) return { code: error.code, path: error.details.path };
    return { escaped: error instanceof Error ? `${error.name}: ${error.message}` : String(error) };
  }
}

/** `valid`'s options as getters: each answers its value on the first read, a Symbol after it. */
export function answersOnceThenSymbol(valid: Record<string, unknown>): {
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
