import fc from 'fast-check';
import * as v from 'valibot';
import { describe, expect, it } from 'vitest';
import {
  dollarsToCents,
  upcasters as exampleUpcasters,
} from '../../examples/upcast-milestone-funded.js';
import { fold, isDomainError, type JobEvent, type MilestoneFunded } from '../../src/index.js';
import {
  createUpcasters,
  currentUpcasters,
  upcasterChain,
  type StoredEventLike,
} from '../../src/upcasting/upcasters.js';
import { replay } from '../../src/replay/fold.js';
import { histories } from '../app/histories.js';

/** How the app's first release wrote MilestoneFunded: dollars as a decimal string (the fixture). */
function writtenByV1(event: JobEvent): StoredEventLike {
  if (event.type !== 'MilestoneFunded') return { ...event, metadata: { schemaVersion: 1 } };
  const cents = event.data.amount;
  const dollars = `${String(Math.floor(cents / 100))}.${String(cents % 100).padStart(2, '0')}`;
  return {
    type: event.type,
    data: { ...event.data, amount: dollars },
    metadata: { schemaVersion: 1 },
  };
}

const funded = (amount: unknown, schemaVersion = 1): StoredEventLike => ({
  type: 'MilestoneFunded',
  data: {
    milestoneId: 'm1',
    fundingId: 'f1',
    amount,
    source: 'card:visa-4242',
    at: '2014-11-03T09:00:00Z',
  },
  metadata: { schemaVersion },
});

function codeOf(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (error) {
    return isDomainError(error) ? error.code : `not a DomainError: ${String(error)}`;
  }
  return undefined;
}

describe('upcasting MilestoneFunded v1 (dollars as a string) to today', () => {
  it('knows MilestoneFunded is at version 2 and every other type still at 1', () => {
    expect(exampleUpcasters.currentVersion('MilestoneFunded')).toBe(2);
    expect(exampleUpcasters.currentVersion('FundsReleased')).toBe(1);
    expect(currentUpcasters.currentVersion('MilestoneFunded')).toBe(1);
  });

  it('turns "75.00" into 7500 minor units, and leaves metadata behind', () => {
    const event = exampleUpcasters.upcast(funded('75.00'));
    expect(event).toEqual({
      type: 'MilestoneFunded',
      data: {
        milestoneId: 'm1',
        fundingId: 'f1',
        amount: 7500,
        source: 'card:visa-4242',
        at: '2014-11-03T09:00:00Z',
      },
    });
    expect(exampleUpcasters.upcast(funded('100')).data).toMatchObject({ amount: 10000 });
    expect(exampleUpcasters.upcast(funded('0.5')).data).toMatchObject({ amount: 50 });
  });

  it("reads events already at version 2, and events without a schema version as today's", () => {
    expect(exampleUpcasters.upcast(funded(7500, 2)).data).toMatchObject({ amount: 7500 });
    const { metadata: _, ...bare } = funded(7500, 2);
    expect(exampleUpcasters.upcast(bare).data).toMatchObject({ amount: 7500 });
  });

  it.each([
    '75.005',
    '1,000.00',
    '-5.00',
    '7.5e3',
    ' 75',
    '075',
    '',
    '0.00',
    '.5',
    '99999999999999999.00',
  ])('rejects the old value %j, not guessed', (bad) => {
    expect(codeOf(() => exampleUpcasters.upcast(funded(bad)))).toBe('INVALID_INPUT');
  });

  it('rejects an old event whose amount is not even a string, naming the type and version', () => {
    try {
      exampleUpcasters.upcast(funded(75));
      expect.unreachable();
    } catch (error) {
      expect(isDomainError(error) && error.details).toMatchObject({
        eventType: 'MilestoneFunded',
        schemaVersion: 1,
      });
    }
  });

  it('rejects a version newer than the app reads, and a malformed schema version', () => {
    expect(codeOf(() => exampleUpcasters.upcast(funded(7500, 3)))).toBe('INVALID_INPUT');
    expect(
      codeOf(() => exampleUpcasters.upcast({ ...funded(7500), metadata: { schemaVersion: '2' } })),
    ).toBe('INVALID_INPUT');
    expect(codeOf(() => currentUpcasters.upcast(funded('75.00', 0)))).toBe('INVALID_INPUT');
  });

  it('dollarsToCents is exact where floats are not', () => {
    expect(dollarsToCents('0.29')).toBe(29); // 0.29 * 100 = 28.999999999999996
    expect(dollarsToCents('90071992547409.91')).toBe(9007199254740991);
    expect(() => dollarsToCents('90071992547409.92')).toThrow(/too large/);
  });

  it('property: upcast-then-fold of an old history = fold of the same history written today', async () => {
    await fc.assert(
      fc.asyncProperty(histories(25), async (history) => {
        const old = history.events.map(writtenByV1);
        const upcast = old.map((e) => exampleUpcasters.upcast(e));
        expect(upcast).toEqual(history.events);
        expect(fold(upcast)).toEqual(fold(history.events));
        const streamed = await replay(old, { upcasters: exampleUpcasters, verify: true });
        expect(streamed.state).toEqual(fold(history.events));
      }),
      { numRuns: 60 },
    );
  });
});

describe('upcaster chains compose: v1 → v2 → v3', () => {
  // A longer imagined past: v1 dollars + `paymentSource`, v2 cents + `paymentSource`, v3 today's `source`.
  const V1 = v.object({
    milestoneId: v.string(),
    fundingId: v.string(),
    dollars: v.string(),
    paymentSource: v.string(),
    at: v.string(),
  });
  type V2 = {
    milestoneId: string;
    fundingId: string;
    amount: number;
    paymentSource: string;
    at: string;
  };
  const V2Schema = v.object({
    milestoneId: v.string(),
    fundingId: v.string(),
    amount: v.number(),
    paymentSource: v.string(),
    at: v.string(),
  });
  const chain = upcasterChain('MilestoneFunded', 1, (raw) => v.parse(V1, raw))
    .then(
      ({ dollars, ...rest }): V2 => ({ ...rest, amount: dollarsToCents(dollars) }),
      (raw) => v.parse(V2Schema, raw),
    )
    .then(({ paymentSource, ...rest }): MilestoneFunded['data'] => ({
      ...rest,
      source: paymentSource,
    }));
  const upcasters = createUpcasters(chain);
  const today: MilestoneFunded = {
    type: 'MilestoneFunded',
    data: {
      milestoneId: 'm1',
      fundingId: 'f1',
      amount: 7550,
      source: 'card:1',
      at: '2014-11-03T09:00:00Z',
    },
  };

  it("reads each stored version to today's shape", () => {
    expect(upcasters.currentVersion('MilestoneFunded')).toBe(3);
    const v1 = {
      type: 'MilestoneFunded',
      data: {
        milestoneId: 'm1',
        fundingId: 'f1',
        dollars: '75.50',
        paymentSource: 'card:1',
        at: '2014-11-03T09:00:00Z',
      },
      metadata: { schemaVersion: 1 },
    };
    const v2 = {
      type: 'MilestoneFunded',
      data: {
        milestoneId: 'm1',
        fundingId: 'f1',
        amount: 7550,
        paymentSource: 'card:1',
        at: '2014-11-03T09:00:00Z',
      },
      metadata: { schemaVersion: 2 },
    };
    const v3 = { ...today, metadata: { schemaVersion: 3 } };
    expect([v1, v2, v3].map((e) => upcasters.upcast(e))).toEqual([today, today, today]);
  });

  it("validates data stored at an intermediate version with that version's parser", () => {
    const bad = {
      type: 'MilestoneFunded',
      data: {
        milestoneId: 'm1',
        fundingId: 'f1',
        amount: '7550',
        paymentSource: 'card:1',
        at: '2014-11-03T09:00:00Z',
      },
      metadata: { schemaVersion: 2 },
    };
    expect(codeOf(() => upcasters.upcast(bad))).toBe('INVALID_INPUT');
  });

  it('rejects an upcast result that is not a valid event today', () => {
    const v1 = {
      type: 'MilestoneFunded',
      data: {
        milestoneId: 'm1',
        fundingId: 'f1',
        dollars: '0',
        paymentSource: 'card:1',
        at: '2014-11-03T09:00:00Z',
      },
      metadata: { schemaVersion: 1 },
    };
    expect(codeOf(() => upcasters.upcast(v1))).toBe('INVALID_INPUT');
  });

  it('refuses two chains for one type', () => {
    expect(() => createUpcasters(chain, chain)).toThrow(/two upcaster chains/);
  });
});
