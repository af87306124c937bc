import { MAX_JSON_DEPTH, MAX_STREAM_ID_LENGTH, MAX_STREAM_VERSION } from '../append-rules.js';
import type { EventToAppend } from '../port.js';
import { ev, type ContractCases } from './kit.js';

/*
 * The port's limits (issue 16): what one store accepted and another failed on with a driver's
 * error. Each is INVALID_INPUT in every store, and a rejected append writes nothing.
 */

const deep = (levels: number): unknown => {
  let value: unknown = 'bottom';
  for (let i = 0; i < levels; i++) value = [value];
  return value;
};

/** Appends that every store refuses with INVALID_INPUT, by what is wrong with them. */
function refusedAppends(): [string, string, readonly EventToAppend[], unknown][] {
  const cyclic: Record<string, unknown> = { a: 1 };
  cyclic['self'] = cyclic;
  // `[, event]`: the store kept `undefined` at the hole's position (harden6).
  const holey: EventToAppend[] = [];
  holey[1] = ev('A', 1);
  return [
    ['a list of events with a hole', 'job-1', holey, 'any'],
    [
      'a stream id one character too long',
      'x'.repeat(MAX_STREAM_ID_LENGTH + 1),
      [ev('A', 1)],
      'any',
    ],
    ['a 1 MB stream id', 'x'.repeat(1 << 20), [ev('A', 1)], 'any'],
    ['a stream id with a lone high surrogate', 'job-\ud800', [ev('A', 1)], 'any'],
    ['a stream id with a lone low surrogate', 'job-\udc00', [ev('A', 1)], 'any'],
    ['a stream id with U+0000', 'job-\u0000', [ev('A', 1)], 'any'],
    ['a type with a lone surrogate', 'job-1', [{ type: 'A\ud800', data: {} }], 'any'],
    ['a type with U+0000', 'job-1', [{ type: 'A\u0000', data: {} }], 'any'],
    [
      'data with a lone surrogate',
      'job-1',
      [ev('A', 1), { type: 'B', data: { title: 'Logo \ud800' } }],
      'any',
    ],
    ['data with a lone surrogate in a key', 'job-1', [{ type: 'B', data: { '\udc00': 1 } }], 'any'],
    ['data with U+0000', 'job-1', [{ type: 'B', data: { note: 'nul \u0000' } }], 'any'],
    ['cyclic data', 'job-1', [{ type: 'B', data: cyclic }], 'any'],
    ['BigInt data', 'job-1', [{ type: 'B', data: { amount: 10n } }], 'any'],
    [
      `data nested deeper than ${String(MAX_JSON_DEPTH)} levels`,
      'job-1',
      [{ type: 'B', data: deep(MAX_JSON_DEPTH + 1) }],
      'any',
    ],
    ['data nested 200,000 levels deep', 'job-1', [{ type: 'B', data: deep(200_000) }], 'any'],
    ['cyclic metadata', 'job-1', [ev('A', 1, { metadata: { cyclic } })], 'any'],
    ['BigInt metadata', 'job-1', [ev('A', 1, { metadata: { big: 1n } })], 'any'],
    [
      'metadata with a lone surrogate',
      'job-1',
      [ev('A', 1, { metadata: { tenant: '\ud800' } })],
      'any',
    ],
    ['metadata that is not an object', 'job-1', [ev('A', 1, { metadata: ['x'] as never })], 'any'],
    [
      'metadata key __proto__',
      'job-1',
      [ev('A', 1, { metadata: JSON.parse('{"__proto__":{"x":1}}') as never })],
      'any',
    ],
    ['metadata key constructor', 'job-1', [ev('A', 1, { metadata: { constructor: 1 } })], 'any'],
    ['metadata key prototype', 'job-1', [ev('A', 1, { metadata: { prototype: 1 } })], 'any'],
    [
      'a schema version past 2^31 - 1',
      'job-1',
      [ev('A', 1, { metadata: { schemaVersion: MAX_STREAM_VERSION + 1 } })],
      'any',
    ],
    ['an expected version past 2^31 - 1', 'job-1', [ev('A', 1)], MAX_STREAM_VERSION + 1],
    ['an expected version of 2^53', 'job-1', [ev('A', 1)], 2 ** 53],
  ];
}

/** The contract's cases: the limits every store shares. */
export const limits: ContractCases = {
  title: 'limits every store shares (ids, text, JSON, versions, read bounds, metadata keys)',
  cases: [
    {
      title:
        'what a store cannot keep as it is (long or ill-formed ids, lone surrogates, U+0000, cycles, BigInt, deep nesting, reserved metadata keys, versions past 2^31 - 1) is INVALID_INPUT, and nothing is written',
      run: async ({ store, readAll, expectCode, expect }) => {
        for (const [what, streamId, events, expectedVersion] of refusedAppends()) {
          const error = await expectCode(
            store.appendToStream(streamId, events, { expectedVersion: expectedVersion as never }),
            'INVALID_INPUT',
          );
          expect((error as Error).message.length > 0, what).toBe(true);
        }
        expect(await readAll()).toEqual([]);
      },
    },

    {
      title: 'ids up to the limit, surrogate pairs, and deep-but-allowed data are kept as they are',
      run: async ({ store, read, expect }) => {
        const long = 'x'.repeat(MAX_STREAM_ID_LENGTH);
        const emoji = 'job-😀-\u00e9';
        const data = { title: 'Logo 😀 design', nested: deep(MAX_JSON_DEPTH - 2) };
        await store.appendToStream(long, [ev('A', 1)], { expectedVersion: 'no-stream' });
        await store.appendToStream(emoji, [{ type: 'B😀', data }], {
          expectedVersion: 'no-stream',
        });
        expect(await store.streamVersion(long)).toBe(1);
        const [event] = await read(emoji);
        expect(event?.type).toBe('B😀');
        expect(event?.data).toEqual(data);
        expect(event?.metadata.streamId).toBe(emoji);
      },
    },

    {
      title:
        'reading with an id no store can keep is INVALID_INPUT (PostgreSQL read job-\\ud800 as job-\\ufffd)',
      run: async ({ store, expectCode }) => {
        await store.appendToStream('job-\ufffd', [ev('A', 1)], { expectedVersion: 'no-stream' });
        for (const id of [
          '',
          'job-\ud800',
          'job-\udc00',
          'job-\u0000',
          'x'.repeat(MAX_STREAM_ID_LENGTH + 1),
        ]) {
          await expectCode(store.streamVersion(id), 'INVALID_INPUT');
          await expectCode(
            (async () => {
              const events = [];
              for await (const e of store.readStream(id)) events.push(e);
              return events;
            })(),
            'INVALID_INPUT',
          );
        }
      },
    },

    {
      title:
        'read bounds are non-negative integers: 1.5, NaN, -1, Infinity or a string is INVALID_INPUT, in readStream and readAll',
      run: async ({ store, read, readAll, expectCode, expect }) => {
        await store.appendToStream('job-1', [ev('A', 1), ev('A', 2), ev('A', 3)], {
          expectedVersion: 'no-stream',
        });
        for (const bad of [1.5, Number.NaN, -1, Number.POSITIVE_INFINITY, '1', null]) {
          await expectCode(read('job-1', { after: bad as never }), 'INVALID_INPUT');
          await expectCode(read('job-1', { to: bad as never }), 'INVALID_INPUT');
          await expectCode(readAll(bad as never), 'INVALID_INPUT');
        }
        // Bounds past the end are fine: they read to the end, or nothing.
        expect(await read('job-1', { after: 1, to: 2 ** 40 })).toHaveLength(2);
        expect(await read('job-1', { after: 2 ** 40 })).toEqual([]);
        expect(await read('job-1', { to: 0 })).toEqual([]);
        expect(await readAll(2 ** 40)).toEqual([]);
      },
    },

    {
      title:
        'options that are not an object, or whose reading throws (a getter, a proxy), are INVALID_INPUT, and an append writes nothing',
      run: async ({ store, read, readAll, expectCode, expect }) => {
        const throwing = (name: string): object =>
          Object.defineProperty({}, name, {
            enumerable: true,
            get(): never {
              throw new Error('a getter that throws');
            },
          });
        for (const options of [null, 5, throwing('expectedVersion')])
          await expectCode(
            store.appendToStream('job-1', [ev('A', 1)], options as never),
            'INVALID_INPUT',
          );
        expect(await readAll()).toEqual([]);
        await expectCode(read('job-1', throwing('after')), 'INVALID_INPUT');
        await expectCode(read('job-1', throwing('to')), 'INVALID_INPUT');
        const all: unknown[] = [];
        await expectCode(
          (async () => {
            for await (const e of store.readAll(throwing('after'))) all.push(e);
          })(),
          'INVALID_INPUT',
        );
      },
    },
  ],
};
