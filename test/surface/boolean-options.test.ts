import fc from 'fast-check';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import {
  createCommandHandler,
  createInMemoryEventStore,
  currentUpcasters,
  isDomainError,
  loadJob,
  replay,
  type UpcastOptions,
} from '../../src/index.js';
import { createJobSummaryTable, createPostgresEventStore } from '../../src/postgres/index.js';
import { given, logoDesign } from '../../src/testing/index.js';

/*
 * Every yes-or-no option of the public API (the handler's, loadJob's, replay's and given's
 * `verify`, upcast's `validate`, the summary table's `keepRetired`) takes true or false, or is
 * left out (undefined or null: the default). It was read as `=== true` (or `=== false`), so
 * `verify: 'yes'` silently did not verify, and `given`'s `verify: 'no'` silently did.
 */

const NOT_BOOLEANS: readonly (readonly [string, unknown])[] = [
  ["'yes'", 'yes'],
  ["'true'", 'true'],
  ["'false'", 'false'],
  ['1', 1],
  ['0', 0],
  ['an object', {}],
  ['a Boolean object', Object(false)],
  ['a Symbol', Symbol('yes')],
  ['a BigInt', 1n],
];

const memory = createInMemoryEventStore();
const pool = new pg.Pool({ connectionString: 'postgres://nobody@127.0.0.1:1/nothing' });
afterAll(async () => {
  await pool.end();
});

/** What `run` threw or rejected with, or undefined. */
async function failure(run: () => unknown): Promise<unknown> {
  try {
    await run();
    return undefined;
  } catch (error) {
    return error;
  }
}

/** `run` failed with INVALID_INPUT naming `path`, saying what is allowed. */
async function expectInvalid(run: () => unknown, path: string): Promise<void> {
  const error = await failure(run);
  expect(isDomainError(error), String(error)).toBe(true);
  expect(error).toMatchObject({ code: 'INVALID_INPUT', details: { path } });
  expect((error as Error).message).toMatch(new RegExp(`^${path} must be true or false, not .+`));
}

const stored = { type: 'JobClosed', data: { by: 'client', at: '2014-11-03T09:00:00Z' } };

const OPTIONS: readonly (readonly [string, string, (value: unknown) => unknown])[] = [
  [
    'createCommandHandler',
    'verify',
    (verify) => createCommandHandler({ store: memory, verify } as never),
  ],
  ['loadJob', 'verify', (verify) => loadJob(memory, 'job-x', { verify } as never)],
  ['replay', 'verify', (verify) => replay([], { verify } as never)],
  ['given', 'verify', (verify) => given([], { verify } as never)],
  ['upcast', 'validate', (validate) => currentUpcasters.upcast(stored, { validate } as never)],
  [
    'the summary table’s rebuild',
    'keepRetired',
    (keepRetired) =>
      createJobSummaryTable({ store: createPostgresEventStore({ pool }), pool }).rebuild({
        keepRetired,
      } as never),
  ],
];

describe('a yes-or-no option is true or false (anything else was read as one of them, silently)', () => {
  const cases = OPTIONS.flatMap(([name, option, run]) =>
    NOT_BOOLEANS.map(([kind, value]) => [name, option, kind, value, run] as const),
  );
  it.each(cases)(
    '%s: %s that is %s is INVALID_INPUT naming it',
    async (_, option, __, value, run) => {
      await expectInvalid(() => run(value), option);
    },
  );

  // The summary table's rebuild needs a database past its options: its valid values are checked
  // by the PostgreSQL tests.
  it.each(OPTIONS.slice(0, -1))('%s takes true, false, undefined and null', async (_, __, run) => {
    for (const value of [true, false, undefined, null])
      expect(await failure(() => run(value))).toBeUndefined();
  });

  it('property: the handler takes verify exactly when it is a boolean (or left out)', () => {
    fc.assert(
      fc.property(fc.anything({ withBigInt: true, withBoxedValues: true }), (verify) => {
        const valid = typeof verify === 'boolean' || verify === undefined || verify === null;
        let error: unknown;
        try {
          createCommandHandler({ store: memory, verify } as never);
        } catch (caught) {
          error = caught;
        }
        expect(error === undefined).toBe(valid);
        if (!valid)
          expect(error).toMatchObject({ code: 'INVALID_INPUT', details: { path: 'verify' } });
      }),
    );
  });
});

describe('what a yes-or-no option says is done', () => {
  // A history decide could not have written: the same funding id twice (R5).
  const funded = logoDesign.stages.accepted.events.find((e) => e.type === 'MilestoneFunded');
  const broken = [...logoDesign.stages.accepted.events, funded as NonNullable<typeof funded>];

  it("given verifies unless verify is false, and null is the default (verify: 'no' skipped it)", () => {
    expect(() => given(broken)).toThrow('the history is not one decide could have written');
    expect(() => given(broken, { verify: null } as never)).toThrow('not one decide could');
    expect(() => given(broken, { verify: true })).toThrow('not one decide could');
    expect(() => given(broken, { verify: false })).not.toThrow();
  });

  it('upcast validates a current event only with validate: true', () => {
    const bad = { type: 'JobClosed', data: { by: 'nobody', at: 'soon' } };
    expect(currentUpcasters.upcast(bad)).toEqual(bad);
    expect(currentUpcasters.upcast(bad, { validate: false })).toEqual(bad);
    expect(() => currentUpcasters.upcast(bad, { validate: true })).toThrow();
  });

  it("upcast's options that are not an object, or cannot be read, are INVALID_INPUT (null was a TypeError)", async () => {
    for (const options of [null, 'validate', 1, [true]])
      expect(await failure(() => currentUpcasters.upcast(stored, options as never))).toMatchObject({
        code: 'INVALID_INPUT',
        details: { path: 'options' },
      });
    const throwing = {
      get validate(): boolean {
        throw new Error('no access');
      },
    } satisfies UpcastOptions;
    expect(await failure(() => currentUpcasters.upcast(stored, throwing))).toMatchObject({
      code: 'INVALID_INPUT',
      details: { path: 'validate' },
    });
  });
});
