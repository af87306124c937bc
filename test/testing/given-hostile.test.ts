import { describe, expect, it } from 'vitest';
import { ERROR_CODES, isDomainError, type DomainError } from '../../src/index.js';
import { EscrowAssertionError, given, logoDesign } from '../../src/testing/index.js';
import { revoked } from '../hardening/hostile.js';

/*
 * What a specification expects is the test's own value: `then`'s events, `thenThrows`' code and
 * details. Odd ones (null among the events, a BigInt, a value that holds itself, a getter that
 * throws, a revoked proxy, a Symbol as the code) were TypeErrors from inside the comparison or
 * its diff; now a mismatch is the assertion's error with a diff, and what cannot be read is
 * INVALID_INPUT naming where.
 */

const at = '2014-11-05T10:00:00Z';
const accepted = logoDesign.stages.accepted.events;
const release = (milestoneId: string) =>
  given(accepted).when({
    type: 'ReleaseFunds',
    actor: logoDesign.clientId,
    at,
    data: { milestoneId },
  });
const released = { type: 'FundsReleased', data: { milestoneId: 'm1', amount: 7500, fee: 0, at } };

function thrown(run: () => unknown): unknown {
  try {
    run();
    return undefined;
  } catch (error) {
    return error;
  }
}

const throwing = {
  get type(): string {
    throw new Error('no access');
  },
};

describe("then's expected events", () => {
  it.each([
    ['null', [null], 'expected.0'],
    ['a number', [released, 5], 'expected.1'],
    ['a hole', [released, , released], 'expected.1'], // eslint-disable-line no-sparse-arrays
    ['a getter that throws', [throwing], 'expected.0'],
    ['a revoked proxy', [revoked()], 'expected.0'],
  ])(
    'holding %s are INVALID_INPUT naming it (a TypeError, or the getter’s error)',
    (_, expected, path) => {
      const error = thrown(() => release('m1').then(expected as never));
      expect(isDomainError(error), String(error)).toBe(true);
      expect(error).toMatchObject({ code: 'INVALID_INPUT', details: { path } });
    },
  );

  it('a revoked proxy as the list is INVALID_INPUT at expected', () => {
    expect(thrown(() => release('m1').then(revoked() as never))).toMatchObject({
      code: 'INVALID_INPUT',
      details: { path: 'expected' },
    });
  });

  it('with a BigInt or a value that holds itself, a mismatch is shown with a diff (JSON.stringify threw a TypeError)', () => {
    const cyclic: { type: string; data: Record<string, unknown> } = {
      type: 'FundsReleased',
      data: {},
    };
    cyclic.data['self'] = cyclic;
    for (const [expected, shown] of [
      [[{ ...released, data: { ...released.data, amount: 7500n } }], '"amount": "7500n"'],
      [[cyclic], '"[Circular]"'],
    ] as const) {
      const error = thrown(() => release('m1').then(expected as never));
      expect(error).toBeInstanceOf(EscrowAssertionError);
      expect((error as Error).message).toContain(shown);
    }
  });

  it('a getter deep in an event that throws is INVALID_INPUT at expected', () => {
    const data = {
      get milestoneId(): string {
        throw new Error('no access');
      },
    };
    expect(
      thrown(() => release('m1').then([{ type: 'FundsReleased', data }] as never)),
    ).toMatchObject({
      code: 'INVALID_INPUT',
      details: { path: 'expected' },
    });
  });

  it('the expected events, when right, still pass', () => {
    expect(release('m1').then([released] as never).version).toBe(accepted.length + 1);
  });
});

describe("thenThrows' code and details", () => {
  it.each([
    ['a Symbol', Symbol('NOT_FULLY_FUNDED')],
    ['a number', 5],
    ['null', null],
  ])('a code that is %s is INVALID_INPUT at code (a Symbol was a TypeError)', (_, code) => {
    for (const milestoneId of ['m1', 'm2'])
      expect(thrown(() => release(milestoneId).thenThrows(code as never))).toMatchObject({
        code: 'INVALID_INPUT',
        details: { path: 'code' },
      });
  });

  it.each([
    ['a typo', 'NOT_A_CODE'],
    ['in lower case', 'not_fully_funded'],
    ['empty', ''],
    ['an HTTP-like code', '409'],
  ])(
    'a code that is %s, not one of ERROR_CODES, is INVALID_INPUT at code naming the codes (it failed, or passed, for the wrong reason)',
    (_, code) => {
      // m1 is released (accepted), m2 is NOT_FULLY_FUNDED: the code is refused either way.
      for (const milestoneId of ['m1', 'm2']) {
        const error = thrown(() => release(milestoneId).thenThrows(code as never));
        expect(isDomainError(error), String(error)).toBe(true);
        expect(error).toMatchObject({ code: 'INVALID_INPUT', details: { path: 'code' } });
        for (const known of ERROR_CODES) expect((error as Error).message).toContain(known);
      }
    },
  );

  it.each([
    ['null', null],
    ['a list', ['R10']],
    ['a revoked proxy', revoked()],
    ['an object whose getter throws', throwing],
  ])('details that are %s are INVALID_INPUT at details (null was a TypeError)', (_, details) => {
    expect(
      thrown(() => release('m2').thenThrows('NOT_FULLY_FUNDED', details as never)),
    ).toMatchObject({
      code: 'INVALID_INPUT',
      details: { path: 'details' },
    });
  });

  it('details with a BigInt or a value that holds itself that differ are shown with a diff', () => {
    const cyclic: Record<string, unknown> = {};
    cyclic['self'] = cyclic;
    for (const rule of [10n, cyclic]) {
      const error = thrown(() => release('m2').thenThrows('NOT_FULLY_FUNDED', { rule } as never));
      expect(error).toBeInstanceOf(EscrowAssertionError);
      expect((error as Error).message).toContain('its details differ');
    }
  });

  it('the right code and details still pass', () => {
    expect(release('m2').thenThrows('NOT_FULLY_FUNDED', { rule: 'R10' }).code).toBe(
      'NOT_FULLY_FUNDED',
    );
  });
});

describe("given's history, verified or not, names an event it cannot take", () => {
  const [awarded, proposed] = accepted;
  const cases: readonly (readonly [string, readonly unknown[]])[] = [
    ['data that is null', [awarded, proposed, { type: 'MilestoneFunded', data: null }]],
    ['an event that is null', [null]],
    ['an unknown type', [awarded, { type: 'Nope', data: { at } }]],
    ['a getter that throws', [awarded, throwing]],
    [
      'a BigInt amount',
      [
        awarded,
        proposed,
        {
          type: 'MilestoneFunded',
          data: { milestoneId: 'm1', fundingId: 'f1', amount: 10n, source: 'card', at },
        },
      ],
    ],
  ];

  it.each(cases)(
    'holding %s: unverified, the DomainError the verified one gives as its cause (code, position, path), naming given',
    (_, events) => {
      const verified = thrown(() => given(events as never));
      expect(verified).toBeInstanceOf(EscrowAssertionError);
      const cause = (verified as EscrowAssertionError).cause;
      expect(isDomainError(cause), String(cause)).toBe(true);
      const unverified = thrown(() => given(events as never, { verify: false }));
      expect(isDomainError(unverified), String(unverified)).toBe(true);
      const { code, details, message } = cause as DomainError;
      expect(details['position']).toBeGreaterThan(0);
      expect(unverified).toMatchObject({ code, details });
      expect((unverified as Error).message).toBe(`given (verify: false): ${message}`);
    },
  );
});

describe('given refuses what is not a list of events as a bad argument', () => {
  it.each([null, 5, 'events', {}])(
    'given(%j) is INVALID_INPUT at events, verified or not (it was an assertion error that the history broke a rule)',
    (events) => {
      for (const verify of [true, false]) {
        const error = thrown(() => given(events as never, { verify }));
        expect(error).not.toBeInstanceOf(EscrowAssertionError);
        expect(isDomainError(error)).toBe(true);
        expect(error).toMatchObject({ code: 'INVALID_INPUT', details: { path: 'events' } });
      }
    },
  );

  it('an iterable that is not an array (a Set from JavaScript) is a history: its events are counted by the fold', () => {
    const spec = given(new Set(accepted) as never).when({
      type: 'ReleaseFunds',
      actor: logoDesign.clientId,
      at,
      data: { milestoneId: 'm2' },
    });
    const error = thrown(() => spec.then([]));
    expect(error).toBeInstanceOf(EscrowAssertionError);
    expect((error as Error).message).toContain(`given ${String(accepted.length)} events`);
  });
});
