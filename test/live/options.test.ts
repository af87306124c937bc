import fc from 'fast-check';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { isDomainError } from '../../src/domain/shared/errors.js';
import { createCommandHandler } from '../../src/handler/command-handler.js';
import { MAX_WAIT_MS } from '../../src/shared/options.js';
import {
  createJobSummaryTable,
  createNotificationDispatcher,
  createPostgresConsumer,
  createPostgresEventStore,
  createTimerRunner,
} from '../../src/postgres/index.js';
import { createFakeClock } from './fake-clock.js';

/*
 * The live runners' numeric options are checked where a runner is created: a `pollMs` of -1, 0,
 * NaN or '100' used to be taken as it was, and the idle loop never slept (it spun). Each bad value
 * is INVALID_INPUT naming the option. Nothing here connects: a runner only queries once it runs,
 * so the pool points nowhere.
 */

const pool = new pg.Pool({ connectionString: 'postgres://nobody@127.0.0.1:1/nothing' });
const store = createPostgresEventStore({ pool });
const clock = createFakeClock();
afterAll(async () => {
  await pool.end();
});

type Runner = 'consumer' | 'summary table' | 'dispatcher' | 'timer runner' | 'event store';

/** Creates `runner` with `option` set to `value` (and nothing else out of the ordinary). */
function create(runner: Runner, option: string, value: unknown): unknown {
  const extra = { [option]: value } as Record<string, never>;
  switch (runner) {
    case 'consumer':
      return createPostgresConsumer({
        name: 'c',
        store,
        pool,
        clock,
        handle: async () => {},
        ...extra,
      });
    case 'summary table':
      return createJobSummaryTable({ store, pool, clock, ...extra });
    case 'dispatcher':
      return createNotificationDispatcher({ store, pool, clock, send: async () => {}, ...extra });
    case 'timer runner':
      return createTimerRunner({
        store,
        pool,
        clock,
        handler: createCommandHandler({ store }),
        ...extra,
      });
    case 'event store':
      return createPostgresEventStore({ pool, ...extra });
  }
}

/** What `create` threw, or undefined. */
function thrown(runner: Runner, option: string, value: unknown): unknown {
  try {
    create(runner, option, value);
    return undefined;
  } catch (error) {
    return error;
  }
}

type Kind = 'wait' | 'count' | 'size' | 'function';

const OPTIONS: readonly (readonly [Runner, string, Kind])[] = [
  ['consumer', 'pollMs', 'wait'],
  ['consumer', 'lockRetryMs', 'wait'],
  ['consumer', 'handleTimeoutMs', 'wait'],
  ['consumer', 'batchSize', 'count'],
  ['consumer', 'backoff', 'function'],
  ['summary table', 'pollMs', 'wait'],
  ['summary table', 'lockRetryMs', 'wait'],
  ['summary table', 'batchSize', 'count'],
  ['summary table', 'cacheSize', 'size'],
  ['summary table', 'backoff', 'function'],
  ['dispatcher', 'pollMs', 'wait'],
  ['dispatcher', 'lockRetryMs', 'wait'],
  ['dispatcher', 'leaseMs', 'wait'],
  ['dispatcher', 'batchSize', 'count'],
  ['dispatcher', 'claimSize', 'count'],
  ['dispatcher', 'maxAttempts', 'count'],
  ['dispatcher', 'retryDelay', 'function'],
  ['timer runner', 'pollMs', 'wait'],
  ['timer runner', 'lockRetryMs', 'wait'],
  ['timer runner', 'batchSize', 'count'],
  ['timer runner', 'fireSize', 'count'],
  ['timer runner', 'handleTimeoutMs', 'wait'],
  ['event store', 'batchSize', 'count'],
];

/** Each kind of bad value, by name, and the kinds of option it is bad for. */
const BAD: readonly (readonly [string, unknown, readonly Kind[]])[] = [
  ['non-numeric', '100', ['wait', 'count', 'size', 'function']],
  ['negative', -1, ['wait', 'count', 'size', 'function']],
  ['zero', 0, ['wait', 'count', 'function']],
  ['NaN', Number.NaN, ['wait', 'count', 'size', 'function']],
  ['Infinity', Number.POSITIVE_INFINITY, ['wait', 'count', 'size', 'function']],
  ['fractional', 1.5, ['wait', 'count', 'size', 'function']],
  ['past 2^53', 2 ** 53, ['wait', 'count', 'size', 'function']],
  ['a wait setTimeout cuts to 1 ms', MAX_WAIT_MS + 1, ['wait']],
];

const cases = OPTIONS.flatMap(([runner, option, kind]) =>
  BAD.filter(([, , kinds]) => kinds.includes(kind)).map(
    ([name, value]) => [runner, option, name, value] as const,
  ),
);

describe('live runner options', () => {
  it.each(cases)('%s: a %s that is %s is INVALID_INPUT naming it', (runner, option, _, value) => {
    const error = thrown(runner, option, value);
    expect(isDomainError(error)).toBe(true);
    if (!isDomainError(error)) return;
    expect(error.code).toBe('INVALID_INPUT');
    expect(error.details.path).toBe(option);
    // What was given and what is allowed, for a person to act on.
    expect(error.message).toMatch(new RegExp(`^${option} must be a .+, not .+$`));
  });

  it.each(OPTIONS)('%s: a good %s is taken (%s)', (runner, option, kind) => {
    const good = { wait: 250, count: 7, size: 0, function: () => 10 }[kind];
    expect(thrown(runner, option, good)).toBeUndefined();
    if (kind === 'wait') expect(thrown(runner, option, MAX_WAIT_MS)).toBeUndefined();
    if (kind === 'count' || kind === 'size') expect(thrown(runner, option, 1)).toBeUndefined();
  });

  it('says what was given and what is allowed', () => {
    expect(thrown('consumer', 'pollMs', -5)).toMatchObject({
      message: `pollMs must be a whole number of milliseconds from 1 to ${String(MAX_WAIT_MS)} (about 24.8 days), not -5`,
    });
    expect(thrown('timer runner', 'fireSize', '50')).toMatchObject({
      message: 'fireSize must be a whole number ≥ 1, not "50"',
    });
  });

  const anything = fc.oneof(
    fc.double(),
    fc.integer({ min: -10, max: 10 }),
    fc.integer(),
    fc.maxSafeInteger(),
    fc.integer({ min: MAX_WAIT_MS - 3, max: MAX_WAIT_MS + 3 }),
    fc.constantFrom(Number.NaN, Infinity, -Infinity, -0, 2 ** 53, null, undefined, true),
    fc.string(),
  );

  it('property: a wait is taken exactly when it is an integer from 1 to MAX_WAIT_MS', () => {
    fc.assert(
      fc.property(
        anything,
        fc.constantFrom<Runner>('consumer', 'summary table', 'dispatcher', 'timer runner'),
        (value, runner) => {
          // undefined or null is the option left out (`??`): the default.
          const valid =
            value == null ||
            (typeof value === 'number' &&
              Number.isInteger(value) &&
              value >= 1 &&
              value <= MAX_WAIT_MS);
          const error = thrown(runner, 'pollMs', value);
          expect(error === undefined).toBe(valid);
          if (!valid)
            expect(error).toMatchObject({ code: 'INVALID_INPUT', details: { path: 'pollMs' } });
        },
      ),
    );
  });

  it('property: a size per step is taken exactly when it is a safe integer ≥ 1', () => {
    fc.assert(
      fc.property(
        anything,
        fc.constantFrom<readonly [Runner, string]>(
          ['timer runner', 'fireSize'],
          ['dispatcher', 'claimSize'],
          ['consumer', 'batchSize'],
        ),
        (value, [runner, option]) => {
          const valid = value == null || (Number.isSafeInteger(value) && (value as number) >= 1);
          const error = thrown(runner, option, value);
          expect(error === undefined).toBe(valid);
          if (!valid)
            expect(error).toMatchObject({ code: 'INVALID_INPUT', details: { path: option } });
        },
      ),
    );
  });
});
