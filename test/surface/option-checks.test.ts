import fc from 'fast-check';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import {
  createCommandHandler,
  createInMemoryEventStore,
  createInMemorySnapshotStore,
  createUpcasters,
  isDomainError,
  loadJob,
  readNdjson,
  replay,
  upcasterChain,
  type MilestoneFunded,
} from '../../src/index.js';
import {
  createJobSummaryTable,
  createPostgresConsumer,
  createPostgresEventStore,
  createPostgresSnapshotStore,
  exponentialBackoff,
  migrationSql,
} from '../../src/postgres/index.js';
import { createTimeline, milestoneTable } from '../../src/projections/index.js';
import { initialState } from '../../src/index.js';
import { MAX_WAIT_MS } from '../../src/shared/options.js';

/*
 * The options that threw a TypeError or a RangeError at creation, or later at first use (issue:
 * no TypeError or RangeError at a user): each bad kind of value is INVALID_INPUT naming the option
 * in details.path, with a message that says what is allowed and what was given.
 */

const pool = new pg.Pool({ connectionString: 'postgres://nobody@127.0.0.1:1/nothing' });
afterAll(async () => {
  await pool.end();
});
const store = createPostgresEventStore({ pool });
const memory = createInMemoryEventStore();

/** What `run` threw, or undefined. */
function thrown(run: () => unknown): unknown {
  try {
    run();
    return undefined;
  } catch (error) {
    return error;
  }
}

/** Asserts `run` threw INVALID_INPUT at `path`, with a message naming what was allowed and given. */
function expectInvalid(run: () => unknown, path: string): void {
  const error = thrown(run);
  expect(isDomainError(error), String(error)).toBe(true);
  if (!isDomainError(error)) return;
  expect(error.code).toBe('INVALID_INPUT');
  expect(error.details.path).toBe(path);
  expect(error.message).toMatch(/must be .+, not .+|give .+/);
}

const BAD_NUMBERS: readonly (readonly [string, unknown])[] = [
  ['a string', '3'],
  ['negative', -1],
  ['NaN', Number.NaN],
  ['Infinity', Number.POSITIVE_INFINITY],
  ['fractional', 1.5],
  ['past 2^53', 2 ** 53],
  ['an object', {}],
  ['a Symbol', Symbol('n')],
];

const BAD_NAMES: readonly (readonly [string, unknown])[] = [
  ['a number', 7],
  ['empty', ''],
  ['an object', {}],
  ['a Symbol', Symbol('s')],
  ['null', null],
];

describe('the command handler checks its options (was a RangeError, or a TypeError at the first command)', () => {
  const numeric: readonly (readonly [string, number])[] = [
    ['maxRetries', 0],
    ['snapshotEvery', 1],
    ['cacheSize', 0],
  ];
  const cases = numeric.flatMap(([option, lowest]) =>
    BAD_NUMBERS.filter(([, value]) => value !== -1 || lowest === 0)
      .concat(lowest === 1 ? [['zero', 0]] : [])
      .map(([kind, value]) => [option, kind, value] as const),
  );
  it.each(cases)('%s that is %s is INVALID_INPUT', (option, _, value) => {
    expectInvalid(() => createCommandHandler({ store: memory, [option]: value }), option);
  });

  const collaborators: readonly (readonly [string, unknown])[] = [
    ['store', {}],
    ['store', undefined],
    ['upcasters', 'v2'],
    ['snapshots', { save: () => undefined }],
    ['streamIdOf', 'job-'],
    ['newId', 42],
    ['now', '2014-11-03T09:00:00Z'],
    ['retryDelayMs', 10],
    ['onSnapshotError', true],
    ['snapshotVersion', ''],
    ['snapshotVersion', Symbol('v')],
    // PostgreSQL refused the NUL at every snapshot, and read the lone surrogate back as U+FFFD:
    // every snapshot it kept was then another version's, never used (hostile9).
    ['snapshotVersion', 'job-state@6\u0000'],
    ['snapshotVersion', 'job-state@\ud800'],
  ];
  it.each(collaborators)('%s of the wrong kind (%s) is INVALID_INPUT', (option, value) => {
    expectInvalid(() => createCommandHandler({ store: memory, [option]: value }), option);
  });

  it('options that are not an object are INVALID_INPUT', () => {
    for (const value of [null, 'store', 3])
      expect(thrown(() => createCommandHandler(value as never))).toMatchObject({
        code: 'INVALID_INPUT',
      });
  });

  it('property: maxRetries and cacheSize are taken exactly when safe integers ≥ 0, snapshotEvery when ≥ 1', () => {
    fc.assert(
      fc.property(
        fc.oneof(fc.integer({ min: -3, max: 3 }), fc.double(), fc.maxSafeInteger(), fc.string()),
        fc.constantFrom('maxRetries', 'cacheSize', 'snapshotEvery'),
        (value, option) => {
          const lowest = option === 'snapshotEvery' ? 1 : 0;
          const valid = Number.isSafeInteger(value) && (value as number) >= lowest;
          const error = thrown(() => createCommandHandler({ store: memory, [option]: value }));
          expect(error === undefined).toBe(valid);
          if (!valid)
            expect(error).toMatchObject({ code: 'INVALID_INPUT', details: { path: option } });
        },
      ),
    );
  });
});

describe('the PostgreSQL factories check schema, name, keep and the connection (were TypeErrors)', () => {
  // null is the option left out (`??`): the default, as for every option.
  it.each(
    BAD_NAMES.filter(([, value]) => value !== null).concat([
      ['upper case', 'Escrow'],
      ['SQL', 'x"; DROP TABLE y; --'],
    ]),
  )('a schema that is %s is INVALID_INPUT in every factory and migrationSql', (_, schema) => {
    expectInvalid(() => createPostgresEventStore({ pool, schema } as never), 'schema');
    expectInvalid(() => createPostgresSnapshotStore({ pool, schema } as never), 'schema');
    expectInvalid(() => createJobSummaryTable({ store, pool, schema } as never), 'schema');
    expectInvalid(() => migrationSql(schema as string), 'schema');
  });

  it.each([
    ...BAD_NAMES,
    ['201 characters', 'c'.repeat(201)] as const,
    ['201 emoji', '😀'.repeat(201)] as const,
    // PostgreSQL refused U+0000 at every step, and stored both names below as `a\ufffd`: two
    // consumers shared one checkpoint and one lock (hostile9).
    ['holding U+0000', 'a\u0000b'] as const,
    ['a lone high surrogate', 'a\ud800'] as const,
    ['a lone low surrogate', 'a\udc00'] as const,
  ])("a consumer's name that is %s is INVALID_INPUT", (_, name) => {
    expectInvalid(
      () => createPostgresConsumer({ name, store, pool, handle: async () => {} } as never),
      'name',
    );
  });

  it("a consumer's name may be any well-formed text of 1–200 characters (quotes, emoji: 200 of them were refused as 400 UTF-16 units)", () => {
    for (const name of ['x', `'"\\;--`, '😀'.repeat(100), '😀'.repeat(200), 'c'.repeat(200)])
      expect(createPostgresConsumer({ name, store, pool, handle: async () => {} }).name).toBe(name);
  });

  it.each([
    ...BAD_NAMES.filter(([, v]) => v !== null),
    ['upper case', 'Summary'] as const,
    ['42 characters', 's'.repeat(42)] as const,
  ])("the summary table's name that is %s is INVALID_INPUT", (_, name) => {
    expectInvalid(() => createJobSummaryTable({ store, pool, name } as never), 'name');
  });

  it('no pool and no connection string is INVALID_INPUT naming connectionString', () => {
    for (const options of [{}, { connectionString: '' }, { connectionString: 5 }]) {
      expectInvalid(() => createPostgresEventStore(options as never), 'connectionString');
      expectInvalid(() => createPostgresSnapshotStore(options as never), 'connectionString');
    }
    expectInvalid(() => createPostgresEventStore({ pool: {} as never }), 'pool');
  });

  it.each(BAD_NUMBERS.concat([['zero', 0]]))(
    "the snapshot stores' keep that is %s is INVALID_INPUT (was NaN or a fraction kept)",
    (_, keep) => {
      expectInvalid(() => createPostgresSnapshotStore({ pool, keep } as never), 'keep');
      expectInvalid(() => createInMemorySnapshotStore({ keep } as never), 'keep');
    },
  );

  it('property: a schema is taken exactly when it is a lower-case identifier of 1–63 characters', () => {
    fc.assert(
      fc.property(fc.oneof(fc.string(), fc.stringMatching(/^[a-z_][a-z0-9_]{0,70}$/)), (schema) => {
        const valid = /^[a-z_][a-z0-9_]{0,62}$/.test(schema);
        const error = thrown(() => createPostgresEventStore({ pool, schema }));
        expect(error === undefined).toBe(valid);
        if (!valid)
          expect(error).toMatchObject({ code: 'INVALID_INPUT', details: { path: 'schema' } });
      }),
    );
  });
});

describe('upcasterChain and createUpcasters check their arguments (were a RangeError and an Error)', () => {
  const parse = (raw: unknown) => raw as MilestoneFunded['data'];
  it.each(
    BAD_NUMBERS.concat([
      ['zero', 0],
      ['2^31', 2 ** 31],
    ]),
  )('a first version that is %s is INVALID_INPUT at since', (_, since) => {
    expectInvalid(() => upcasterChain('MilestoneFunded', since as number, parse), 'since');
  });

  it.each([['not an event type', 'MilestoneFundedd'] as const, ...BAD_NAMES])(
    'a type that is %s is INVALID_INPUT at type',
    (_, type) => {
      expectInvalid(() => upcasterChain(type as 'MilestoneFunded', 1, parse), 'type');
    },
  );

  it('a parse or a step that is not a function is INVALID_INPUT at parse or upcast', () => {
    expectInvalid(() => upcasterChain('MilestoneFunded', 1, 'parse' as never), 'parse');
    const chain = upcasterChain('MilestoneFunded', 1, parse);
    expectInvalid(() => chain.then(null as never), 'upcast');
    expectInvalid(() => chain.then((d) => d, 5 as never), 'parse');
  });

  it('two chains for one type, or a chain that is not one, are INVALID_INPUT at chains', () => {
    const chain = upcasterChain('MilestoneFunded', 1, parse);
    expectInvalid(() => createUpcasters(chain, chain), 'chains');
    expectInvalid(() => createUpcasters({} as never), 'chains');
  });

  it('property: since is taken exactly when it is an integer from 1 to 2^31 − 1', () => {
    fc.assert(
      fc.property(
        fc.oneof(fc.integer(), fc.double(), fc.integer({ min: 2 ** 31 - 3, max: 2 ** 31 + 3 })),
        (since) => {
          const valid = Number.isInteger(since) && since >= 1 && since <= 2 ** 31 - 1;
          const error = thrown(() => upcasterChain('MilestoneFunded', since, parse));
          expect(error === undefined).toBe(valid);
          if (!valid)
            expect(error).toMatchObject({ code: 'INVALID_INPUT', details: { path: 'since' } });
        },
      ),
    );
  });
});

describe('exponentialBackoff and the locale options', () => {
  it.each(
    BAD_NUMBERS.concat([
      ['zero', 0],
      ['past the longest wait', MAX_WAIT_MS + 1],
    ]),
  )('exponentialBackoff with a base or max that is %s is INVALID_INPUT', (_, value) => {
    expectInvalid(() => exponentialBackoff(value as number), 'base');
    expectInvalid(() => exponentialBackoff(100, value as number), 'max');
  });

  it.each([
    ['not a tag', 'not a locale'] as const,
    ...BAD_NAMES.filter(([, value]) => value !== null),
  ])(
    'a locale that is %s is INVALID_INPUT at creation (was a RangeError at the first amount)',
    (_, locale) => {
      expectInvalid(() => createTimeline({ locale } as never), 'locale');
      expectInvalid(() => milestoneTable(initialState(), { locale } as never), 'locale');
    },
  );
});

describe('replay, loadJob and readNdjson check their options (were TypeErrors, or no limit at all)', () => {
  /** What awaiting `run` rejected with, or undefined. */
  async function rejected(run: () => Promise<unknown>): Promise<unknown> {
    return run().then(
      () => undefined,
      (error: unknown) => error,
    );
  }
  const BAD_UNTIL: readonly (readonly [string, unknown])[] = [
    ['a number', 3],
    ['a string', '2014-11-03T09:00:00Z'],
    ['a negative position', { position: -1 }],
    ['a NaN position', { position: Number.NaN }],
    ['a fractional position', { position: 1.5 }],
    ['both', { position: 1, at: '2014-11-03T09:00:00Z' }],
    ['an at that is a number', { at: 5 }],
    ['neither', {}],
    ['a Symbol', Symbol('u')],
  ];
  it.each(BAD_UNTIL)('until that is %s is INVALID_INPUT at until', async (_, until) => {
    for (const run of [
      () => replay([], { until } as never),
      () => loadJob(memory, 'job-x', { until } as never),
    ])
      expect(await rejected(run)).toMatchObject({
        code: 'INVALID_INPUT',
        details: { path: 'until' },
      });
  });

  it('from that is not a job state, and upcasters or snapshots of the wrong kind, are INVALID_INPUT', async () => {
    expect(await rejected(() => replay([], { from: 5 } as never))).toMatchObject({
      details: { path: 'from' },
    });
    expect(await rejected(() => replay([], { upcasters: {} } as never))).toMatchObject({
      details: { path: 'upcasters' },
    });
    expect(
      await rejected(() => loadJob(memory, 'job-x', { snapshots: 'pg' } as never)),
    ).toMatchObject({ details: { path: 'snapshots' } });
  });

  it('property: maxLineBytes is taken exactly when it is a whole number from 1 to 2^29 − 24 (NaN or a string was no limit)', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(fc.integer({ min: -3, max: 40 }), fc.double(), fc.string(), fc.maxSafeInteger()),
        async (maxLineBytes) => {
          const valid =
            Number.isSafeInteger(maxLineBytes) &&
            (maxLineBytes as number) >= 1 &&
            (maxLineBytes as number) <= 2 ** 29 - 24;
          const error = await rejected(async () => {
            for await (const line of readNdjson(['{"a":1}\n'], { maxLineBytes } as never))
              expect(line).toBeDefined();
          });
          if (valid) {
            // A line of 7 bytes: read within a limit of 7 or more, too long below.
            if ((maxLineBytes as number) >= 7) expect(error).toBeUndefined();
            else expect(error).toMatchObject({ code: 'INVALID_INPUT', details: { line: 1 } });
          } else
            expect(error).toMatchObject({
              code: 'INVALID_INPUT',
              details: { path: 'maxLineBytes' },
            });
        },
      ),
    );
  });
});
