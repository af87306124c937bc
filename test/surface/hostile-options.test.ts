import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import {
  createCommandHandler,
  createInMemoryEventStore,
  createInMemorySnapshotStore,
  DomainError,
  initialState,
  loadJob,
  readNdjson,
  replay,
  upcasterChain,
} from '../../src/index.js';
import {
  createJobSummaryTable,
  createNotificationDispatcher,
  createPostgresConsumer,
  createPostgresEventStore,
  createPostgresSnapshotStore,
  createTimerRunner,
  exponentialBackoff,
} from '../../src/postgres/index.js';
import {
  createGlobalProjector,
  createTimeline,
  milestoneTable,
  projectAll,
  renderMilestoneTable,
  schedule,
  scheduleProjection,
  summaryProjection,
  timeline,
} from '../../src/projections/index.js';
import { given } from '../../src/testing/index.js';
import { createFakeClock } from '../live/fake-clock.js';

/*
 * The public factories that take an options object, each given a hostile value for one option at
 * a time (the others as a user would give them): creating the thing either works or throws a
 * DomainError, never a TypeError, a RangeError or anything else. A factory added to an entry
 * point belongs here. Nothing connects: a factory only queries once it runs.
 */

const pool = new pg.Pool({ connectionString: 'postgres://nobody@127.0.0.1:1/nothing' });
afterAll(async () => {
  await pool.end();
});
const store = createPostgresEventStore({ pool });
const clock = createFakeClock();

/** A factory, the options a user would give it, and the names of every option it takes. */
interface Factory {
  readonly name: string;
  readonly create: (options: Record<string, unknown>) => unknown;
  readonly base: Record<string, unknown>;
  readonly options: readonly string[];
}

/** Calls a factory typed for its own options with any object, as JavaScript callers do. */
const loose =
  (factory: (options: never) => unknown) =>
  (options: Record<string, unknown>): unknown =>
    factory(options as never);

const LIVE = [
  'schema',
  'batchSize',
  'pollMs',
  'lockRetryMs',
  'onError',
  'decode',
  'accepts',
  'clock',
];

const FACTORIES: readonly Factory[] = [
  {
    name: 'createInMemoryEventStore',
    create: loose(createInMemoryEventStore),
    base: {},
    options: ['now', 'newEventId'],
  },
  {
    name: 'createInMemorySnapshotStore',
    create: loose(createInMemorySnapshotStore),
    base: {},
    options: ['keep'],
  },
  {
    name: 'createCommandHandler',
    create: loose(createCommandHandler),
    base: { store: createInMemoryEventStore() },
    options: [
      'store',
      'maxRetries',
      'retryDelayMs',
      'streamIdOf',
      'upcasters',
      'snapshots',
      'snapshotEvery',
      'snapshotVersion',
      'cacheSize',
      'onSnapshotError',
      'now',
      'newId',
    ],
  },
  {
    name: 'createPostgresEventStore',
    create: loose(createPostgresEventStore),
    base: { pool },
    options: ['pool', 'connectionString', 'schema', 'batchSize'],
  },
  {
    name: 'createPostgresEventStore (connection string)',
    create: loose(createPostgresEventStore),
    base: { connectionString: 'postgres://nobody@127.0.0.1:1/nothing' },
    options: ['pool', 'connectionString', 'schema', 'batchSize'],
  },
  {
    name: 'createPostgresSnapshotStore',
    create: loose(createPostgresSnapshotStore),
    base: { pool },
    options: ['pool', 'connectionString', 'schema', 'keep'],
  },
  {
    name: 'createPostgresConsumer',
    create: loose(createPostgresConsumer),
    base: { name: 'scan', store, pool, clock, handle: async () => {} },
    options: ['name', 'store', 'pool', 'handle', 'handleTimeoutMs', 'backoff', 'onBatch', ...LIVE],
  },
  {
    name: 'createJobSummaryTable',
    create: loose(createJobSummaryTable),
    base: { store, pool, clock },
    options: ['store', 'pool', 'name', 'cacheSize', 'backoff', ...LIVE],
  },
  {
    name: 'createNotificationDispatcher',
    create: loose(createNotificationDispatcher),
    base: { store, pool, clock, send: async () => {} },
    options: [
      'store',
      'pool',
      'send',
      'maxAttempts',
      'retryDelay',
      'leaseMs',
      'claimSize',
      ...LIVE,
    ],
  },
  {
    name: 'createTimerRunner',
    create: loose(createTimerRunner),
    base: { store, pool, clock, handler: createCommandHandler({ store }) },
    options: [
      'store',
      'pool',
      'handler',
      'deadlines',
      'actorOf',
      'jobIdOf',
      'fireSize',
      'handleTimeoutMs',
      ...LIVE,
    ],
  },
  {
    name: 'createTimeline',
    create: loose(createTimeline),
    base: {},
    options: ['locale'],
  },
  {
    name: 'createGlobalProjector',
    create: (options) => createGlobalProjector(summaryProjection, options),
    base: {},
    options: ['decode'],
  },
];

/** The hostile values, by name: wrong types, out-of-range numbers, empty objects, nothing. */
const HOSTILE: readonly (readonly [string, unknown])[] = [
  ['a string', 'x'],
  ['an empty string', ''],
  ['-1', -1],
  ['NaN', Number.NaN],
  ['Infinity', Number.POSITIVE_INFINITY],
  ['{}', {}],
  ['[]', []],
  ['null', null],
  ['a Symbol', Symbol('hostile')],
  ['a BigInt', 10n],
  ['a function', () => 'x'],
];

/** What calling `create` threw (undefined when it worked). */
function thrown(create: () => unknown): unknown {
  try {
    create();
    return undefined;
  } catch (error) {
    return error;
  }
}

const cases = FACTORIES.flatMap((factory) =>
  factory.options.flatMap((option) =>
    HOSTILE.map(([valueName, value]) => [factory.name, option, valueName, factory, value] as const),
  ),
);

describe('hostile options: every public factory works or throws a DomainError', () => {
  it.each(FACTORIES)('$name: the options a user gives work', (factory) => {
    expect(thrown(() => factory.create(factory.base))).toBeUndefined();
  });

  it.each(cases)('%s: %s as %s', (_, option, __, factory, value) => {
    const error = thrown(() => factory.create({ ...factory.base, [option]: value }));
    if (error === undefined) return;
    expect(error).toBeInstanceOf(DomainError);
    expect(error).toMatchObject({ code: 'INVALID_INPUT' });
  });

  it.each(FACTORIES)('$name: options that are not an object', (factory) => {
    for (const [, value] of HOSTILE) {
      if (typeof value === 'object' && value !== null && !Array.isArray(value)) continue;
      const error = thrown(() => factory.create(value as Record<string, unknown>));
      if (error !== undefined) expect(error).toBeInstanceOf(DomainError);
    }
  });

  it.each(HOSTILE)('upcasterChain and exponentialBackoff: each argument as %s', (_, value) => {
    const parse = (raw: unknown) => raw;
    const calls: readonly (() => unknown)[] = [
      () => upcasterChain(value as 'MilestoneFunded', 1, parse),
      () => upcasterChain('MilestoneFunded', value as number, parse),
      () => upcasterChain('MilestoneFunded', 1, value as typeof parse),
      () => upcasterChain('MilestoneFunded', 1, parse).then(value as typeof parse),
      () => exponentialBackoff(value as number),
      () => exponentialBackoff(100, value as number),
    ];
    for (const call of calls) {
      const error = thrown(call);
      if (error !== undefined) expect(error).toBeInstanceOf(DomainError);
    }
  });
});

/** The functions that take an options object beside their input, run to the end (awaited). */
const FUNCTIONS: readonly {
  readonly name: string;
  readonly run: (options: Record<string, unknown>) => unknown;
  readonly base: Record<string, unknown>;
  readonly options: readonly string[];
}[] = [
  {
    name: 'replay',
    run: (o) => replay([], o),
    base: {},
    options: ['upcasters', 'verify', 'from', 'until'],
  },
  {
    name: 'readNdjson',
    run: async (o) => {
      for await (const line of readNdjson(['{"type":"x"}\n'], o)) expect(line).toBeDefined();
    },
    base: {},
    options: ['maxLineBytes'],
  },
  {
    name: 'loadJob',
    run: (o) => loadJob(createInMemoryEventStore(), 'job-x', o),
    base: {},
    options: ['upcasters', 'snapshots', 'snapshotVersion', 'until', 'verify'],
  },
  {
    name: 'schedule',
    run: (o) => schedule(initialState(), o as never),
    base: { asOf: '2014-11-03' },
    options: ['asOf'],
  },
  {
    name: 'scheduleProjection',
    run: (o) => scheduleProjection(o as never),
    base: { asOf: '2014-11-03' },
    options: ['asOf'],
  },
  {
    name: 'projectAll',
    run: (o) => projectAll(summaryProjection, [], o as never),
    base: {},
    options: ['decode'],
  },
  {
    name: 'milestoneTable',
    run: (o) => milestoneTable(initialState(), o),
    base: {},
    options: ['locale', 'dates'],
  },
  {
    name: 'renderMilestoneTable',
    run: (o) => renderMilestoneTable(initialState(), o),
    base: {},
    options: ['locale', 'dates', 'format'],
  },
  { name: 'timeline', run: (o) => timeline([], o), base: {}, options: ['locale'] },
  { name: 'given', run: (o) => given([], o), base: {}, options: ['verify'] },
];

/** What running `run` to the end threw or rejected with (undefined when it worked). */
async function failure(run: () => unknown): Promise<unknown> {
  try {
    await run();
    return undefined;
  } catch (error) {
    return error;
  }
}

describe('hostile options: every public function taking options works or throws a DomainError', () => {
  const runs = FUNCTIONS.flatMap((f) =>
    [...f.options, '(the options themselves)'].flatMap((option) =>
      HOSTILE.map(([valueName, value]) => [f.name, option, valueName, f, value] as const),
    ),
  );

  it.each(FUNCTIONS)('$name: the options a user gives work', async (f) => {
    expect(await failure(() => f.run(f.base))).toBeUndefined();
  });

  it.each(runs)('%s: %s as %s', async (_, option, __, f, value) => {
    const options =
      option === '(the options themselves)'
        ? (value as Record<string, unknown>)
        : { ...f.base, [option]: value };
    const error = await failure(() => f.run(options));
    if (error === undefined) return;
    expect(error).toBeInstanceOf(DomainError);
  });
});
