import { isDomainError } from '../../domain/shared/errors.js';
import { ev, type ContractCases } from './kit.js';

/** The contract's cases: optimistic concurrency. */
export const optimisticConcurrency: ContractCases = {
  title: 'optimistic concurrency',
  cases: [
    {
      title: "'no-stream' and 0 append to a new stream only",
      run: async ({ store, read, expectCode, expect }) => {
        await store.appendToStream('job-1', [ev('A', 1)], { expectedVersion: 'no-stream' });
        await store.appendToStream('job-2', [ev('A', 1)], { expectedVersion: 0 });
        const error = await expectCode(
          store.appendToStream('job-1', [ev('A', 2)], { expectedVersion: 'no-stream' }),
          'CONCURRENCY_CONFLICT',
        );
        expect((error as { details: Record<string, unknown> }).details).toMatchObject({
          streamId: 'job-1',
          expectedVersion: 'no-stream',
        });
        await expectCode(
          store.appendToStream('job-2', [ev('A', 2)], { expectedVersion: 0 }),
          'CONCURRENCY_CONFLICT',
        );
        expect(await read('job-1')).toHaveLength(1);
        expect(await read('job-2')).toHaveLength(1);
      },
    },

    {
      title: 'a number appends only when the stream has exactly that many events',
      run: async ({ store, readAll, read, expectCode, expect }) => {
        await store.appendToStream('job-1', [ev('A', 1), ev('A', 2)], {
          expectedVersion: 'no-stream',
        });
        for (const stale of [0, 1, 3, 10]) {
          const error = await expectCode(
            store.appendToStream('job-1', [ev('X', stale)], { expectedVersion: stale }),
            'CONCURRENCY_CONFLICT',
          );
          expect((error as { details: Record<string, unknown> }).details).toMatchObject({
            streamId: 'job-1',
            expectedVersion: stale,
          });
        }
        await expectCode(
          store.appendToStream('job-new', [ev('X', 1)], { expectedVersion: 1 }),
          'CONCURRENCY_CONFLICT',
        );
        expect(await store.streamVersion('job-new')).toBe(0);
        const result = await store.appendToStream('job-1', [ev('A', 3)], { expectedVersion: 2 });
        expect(result.nextExpectedVersion).toBe(3);
        expect((await read('job-1')).map((e) => e.type)).toEqual(['A', 'A', 'A']);
        expect(await readAll()).toHaveLength(3);
      },
    },

    {
      title: "'any' appends whatever the version",
      run: async ({ store, expect }) => {
        await store.appendToStream('job-1', [ev('A', 1)], { expectedVersion: 'any' });
        const result = await store.appendToStream('job-1', [ev('A', 2)], {
          expectedVersion: 'any',
        });
        expect(result.nextExpectedVersion).toBe(2);
      },
    },

    {
      title: 'a conflict appends nothing, not even part of the batch',
      run: async ({ store, readAll, read, expectCode, expect }) => {
        await store.appendToStream('job-1', [ev('A', 1)], { expectedVersion: 'no-stream' });
        await expectCode(
          store.appendToStream('job-1', [ev('X', 1), ev('X', 2), ev('X', 3)], {
            expectedVersion: 0,
          }),
          'CONCURRENCY_CONFLICT',
        );
        expect((await read('job-1')).map((e) => e.type)).toEqual(['A']);
        expect(await readAll()).toHaveLength(1);
      },
    },

    {
      title: 'of many writers racing with the same expected version, exactly one wins',
      run: async ({ store, read, expect }) => {
        await store.appendToStream('job-1', [ev('A', 0)], { expectedVersion: 'no-stream' });
        const writers = Array.from({ length: 8 }, (_, w) =>
          store.appendToStream('job-1', [ev(`W${String(w)}`, 1), ev(`W${String(w)}`, 2)], {
            expectedVersion: 1,
          }),
        );
        const results = await Promise.allSettled(writers);
        const won = results.flatMap((r, w) => (r.status === 'fulfilled' ? [w] : []));
        expect(won).toHaveLength(1);
        for (const r of results) {
          if (r.status === 'rejected')
            expect(isDomainError(r.reason) && r.reason.code === 'CONCURRENCY_CONFLICT').toBe(true);
        }
        const events = await read('job-1');
        expect(events.map((e) => e.type)).toEqual([
          'A',
          `W${String(won[0])}`,
          `W${String(won[0])}`,
        ]);
        expect(events.map((e) => e.metadata.streamPosition)).toEqual([1, 2, 3]);
      },
    },

    {
      title: 'racing new streams: exactly one creates the stream',
      run: async ({ store, read, expect }) => {
        const results = await Promise.allSettled(
          Array.from({ length: 6 }, (_, w) =>
            store.appendToStream('job-1', [ev(`W${String(w)}`, 1)], {
              expectedVersion: 'no-stream',
            }),
          ),
        );
        expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
        expect(await read('job-1')).toHaveLength(1);
      },
    },

    {
      title: "concurrent 'any' appends all land, each batch contiguous, positions without gaps",
      run: async ({ store, read, expect }) => {
        const batches = 6;
        await Promise.all(
          Array.from({ length: batches }, (_, w) =>
            store.appendToStream('job-1', [ev(`W${String(w)}`, 1), ev(`W${String(w)}`, 2)], {
              expectedVersion: 'any',
            }),
          ),
        );
        const events = await read('job-1');
        expect(events.map((e) => e.metadata.streamPosition)).toEqual(
          Array.from({ length: batches * 2 }, (_, i) => i + 1),
        );
        for (let i = 0; i < events.length; i += 2) {
          expect(events[i]?.type).toBe(events[i + 1]?.type);
          expect(events[i]?.data).toEqual({ n: 1, nested: { list: [1, '1'], flag: false } });
        }
        expect(new Set(events.map((e) => e.type)).size).toBe(batches);
      },
    },

    {
      title: 'concurrent appends to different streams all succeed',
      run: async ({ store, readAll, expect }) => {
        const streams = Array.from({ length: 6 }, (_, i) => `job-${String(i)}`);
        await Promise.all(
          streams.map((s) =>
            store.appendToStream(s, [ev('A', 1), ev('A', 2)], { expectedVersion: 'no-stream' }),
          ),
        );
        for (const s of streams) expect(await store.streamVersion(s)).toBe(2);
        const all = await readAll();
        expect(all).toHaveLength(12);
        for (const s of streams) {
          expect(
            all.filter((e) => e.metadata.streamId === s).map((e) => e.metadata.streamPosition),
          ).toEqual([1, 2]);
        }
      },
    },

    {
      title: 'appending no events checks the expected version and changes nothing',
      run: async ({ store, readAll, expectCode, expect }) => {
        await store.appendToStream('job-1', [ev('A', 1)], { expectedVersion: 'no-stream' });
        expect(await store.appendToStream('job-1', [], { expectedVersion: 1 })).toEqual({
          nextExpectedVersion: 1,
          lastGlobalPosition: 0,
        });
        await expectCode(
          store.appendToStream('job-1', [], { expectedVersion: 0 }),
          'CONCURRENCY_CONFLICT',
        );
        expect(await readAll()).toHaveLength(1);
      },
    },
  ],
};

/** The contract's cases: bad input. */
export const badInput: ContractCases = {
  title: 'bad input',
  cases: [
    {
      title: 'an expected version that is not one of the three forms is INVALID_INPUT',
      run: async ({ store, readAll, expectCode, expect }) => {
        for (const bad of [-1, 1.5, Number.NaN, '1', 'latest', null]) {
          await expectCode(
            store.appendToStream('job-1', [ev('A', 1)], { expectedVersion: bad as never }),
            'INVALID_INPUT',
          );
        }
        expect(await readAll()).toEqual([]);
      },
    },

    {
      title: 'an empty stream id, an event without a type or a bad schema version is INVALID_INPUT',
      run: async ({ store, readAll, expectCode, expect }) => {
        await expectCode(
          store.appendToStream('', [ev('A', 1)], { expectedVersion: 'any' }),
          'INVALID_INPUT',
        );
        await expectCode(
          store.appendToStream('job-1', [ev('A', 1), { type: '', data: {} }], {
            expectedVersion: 'any',
          }),
          'INVALID_INPUT',
        );
        await expectCode(
          store.appendToStream('job-1', [ev('A', 1, { metadata: { schemaVersion: 0 } })], {
            expectedVersion: 'any',
          }),
          'INVALID_INPUT',
        );
        expect(await readAll()).toEqual([]);
      },
    },
  ],
};
