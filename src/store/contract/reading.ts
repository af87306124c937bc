import { ev, type ContractCases } from './kit.js';

/** The contract's cases: reading. */
export const reading: ContractCases = {
  title: 'reading',
  cases: [
    {
      title: 'an unknown stream has version 0 and no events',
      run: async ({ store, readAll, read, expect }) => {
        expect(await store.streamVersion('job-unknown')).toBe(0);
        expect(await read('job-unknown')).toEqual([]);
        expect(await readAll()).toEqual([]);
      },
    },

    {
      title: 'reads back what was appended: type, JSON data, and the metadata the store fills in',
      run: async ({ store, read, expect }) => {
        const result = await store.appendToStream('job-1', [ev('A', 1), ev('B', 2)], {
          expectedVersion: 'no-stream',
        });
        expect(result.nextExpectedVersion).toBe(2);
        const events = await read('job-1');
        expect(events.map((e) => e.type)).toEqual(['A', 'B']);
        expect(events.map((e) => e.data)).toEqual([ev('A', 1).data, ev('B', 2).data]);
        for (const [i, e] of events.entries()) {
          expect(e.metadata.streamId).toBe('job-1');
          expect(e.metadata.streamPosition).toBe(i + 1);
          expect(e.metadata.schemaVersion).toBe(1);
          expect(typeof e.metadata.eventId).toBe('string');
          expect(e.metadata.eventId.length).toBeGreaterThan(0);
          expect(Number.isNaN(Date.parse(e.metadata.recordedAt))).toBe(false);
          expect(Number.isSafeInteger(e.metadata.globalPosition)).toBe(true);
          expect(e.metadata.globalPosition).toBeGreaterThan(0);
        }
        expect(events[1]?.metadata.globalPosition).toBeGreaterThan(
          events[0]?.metadata.globalPosition ?? Infinity,
        );
        expect(result.lastGlobalPosition).toBe(events[1]?.metadata.globalPosition);
        expect(await store.streamVersion('job-1')).toBe(2);
      },
    },

    {
      title:
        'keeps the metadata the caller gives: schema version, correlation, causation, idempotency key, extra keys',
      run: async ({ store, read, expect }) => {
        await store.appendToStream(
          'job-1',
          [
            ev('A', 1, {
              metadata: {
                schemaVersion: 3,
                correlationId: 'corr-1',
                causationId: 'cmd-1',
                idempotencyKey: 'key-1',
                tenant: 'acme',
                tags: ['x', 'y'],
              },
            }),
          ],
          { expectedVersion: 'no-stream' },
        );
        const [e] = await read('job-1');
        expect(e?.metadata).toMatchObject({
          schemaVersion: 3,
          correlationId: 'corr-1',
          causationId: 'cmd-1',
          idempotencyKey: 'key-1',
          tenant: 'acme',
          tags: ['x', 'y'],
        });
      },
    },

    {
      title:
        'owns eventId, streamId, positions and recordedAt: caller values for them are replaced',
      run: async ({ store, read, expect }) => {
        await store.appendToStream('job-1', [ev('A', 1)], { expectedVersion: 'no-stream' });
        await store.appendToStream(
          'job-1',
          [
            ev('B', 2, {
              metadata: {
                eventId: 'mine',
                streamId: 'other',
                streamPosition: 99,
                globalPosition: 99,
                recordedAt: 'yesterday',
              },
            }),
          ],
          { expectedVersion: 1 },
        );
        const [a, b] = await read('job-1');
        expect(b?.metadata.eventId).not.toBe('mine');
        expect(b?.metadata.eventId).not.toBe(a?.metadata.eventId);
        expect(b?.metadata.streamId).toBe('job-1');
        expect(b?.metadata.streamPosition).toBe(2);
        expect(b?.metadata.globalPosition).toBeGreaterThan(a?.metadata.globalPosition ?? Infinity);
        expect(b?.metadata.recordedAt).not.toBe('yesterday');
        expect(await read('other')).toEqual([]);
      },
    },

    {
      title: 'gives every event a distinct id',
      run: async ({ store, readAll, expect }) => {
        await store.appendToStream('job-1', [ev('A', 1), ev('A', 2), ev('A', 3)], {
          expectedVersion: 'any',
        });
        await store.appendToStream('job-2', [ev('A', 1), ev('A', 2)], { expectedVersion: 'any' });
        const ids = (await readAll()).map((e) => e.metadata.eventId);
        expect(new Set(ids).size).toBe(5);
      },
    },

    {
      title: 'reads a stream after a position, and up to a position',
      run: async ({ store, read, expect }) => {
        await store.appendToStream(
          'job-1',
          [1, 2, 3, 4, 5].map((n) => ev('A', n)),
          { expectedVersion: 'no-stream' },
        );
        expect((await read('job-1', { after: 2 })).map((e) => e.metadata.streamPosition)).toEqual([
          3, 4, 5,
        ]);
        expect((await read('job-1', { to: 2 })).map((e) => e.metadata.streamPosition)).toEqual([
          1, 2,
        ]);
        expect(
          (await read('job-1', { after: 1, to: 3 })).map((e) => e.metadata.streamPosition),
        ).toEqual([2, 3]);
        expect(await read('job-1', { after: 5 })).toEqual([]);
        expect(await read('job-1', { after: 9 })).toEqual([]);
        expect(await read('job-1', { to: 0 })).toEqual([]);
      },
    },

    {
      title: 'a reader may stop early',
      run: async ({ store, read, expect }) => {
        await store.appendToStream(
          'job-1',
          [1, 2, 3, 4, 5].map((n) => ev('A', n)),
          { expectedVersion: 'no-stream' },
        );
        const seen: number[] = [];
        for await (const e of store.readStream('job-1')) {
          seen.push(e.metadata.streamPosition);
          if (seen.length === 2) break;
        }
        expect(seen).toEqual([1, 2]);
        expect(await read('job-1')).toHaveLength(5);
      },
    },

    {
      title: 'what a caller does with an event it appended or read never changes the store',
      run: async ({ store, read, expect }) => {
        const mine = { type: 'A', data: { list: [1, 2] } };
        await store.appendToStream('job-1', [mine], { expectedVersion: 'no-stream' });
        mine.data.list.push(3);
        const [first] = await read('job-1');
        try {
          (first?.data as { list: number[] }).list.push(4);
        } catch {
          // a frozen event is fine too
        }
        const [again] = await read('job-1');
        expect(again?.data).toEqual({ list: [1, 2] });
      },
    },
  ],
};

/** The contract's cases: global order. */
export const globalOrder: ContractCases = {
  title: 'global order',
  cases: [
    {
      title: 'reads every stream in global order, each stream in its own order',
      run: async ({ store, readAll, expect }) => {
        await store.appendToStream('job-a', [ev('A', 1), ev('A', 2)], {
          expectedVersion: 'no-stream',
        });
        await store.appendToStream('job-b', [ev('B', 1)], { expectedVersion: 'no-stream' });
        await store.appendToStream('job-a', [ev('A', 3)], { expectedVersion: 2 });
        await store.appendToStream('job-b', [ev('B', 2), ev('B', 3)], { expectedVersion: 1 });
        const all = await readAll();
        expect(
          all.map((e) => `${e.metadata.streamId}#${String(e.metadata.streamPosition)}`),
        ).toEqual(['job-a#1', 'job-a#2', 'job-b#1', 'job-a#3', 'job-b#2', 'job-b#3']);
        const positions = all.map((e) => e.metadata.globalPosition);
        for (let i = 1; i < positions.length; i++)
          expect(positions[i]).toBeGreaterThan(positions[i - 1] ?? Infinity);
      },
    },

    {
      title: 'reads all after a global position',
      run: async ({ store, readAll, expect }) => {
        await store.appendToStream('job-a', [ev('A', 1), ev('A', 2)], {
          expectedVersion: 'no-stream',
        });
        const { lastGlobalPosition } = await store.appendToStream('job-b', [ev('B', 1)], {
          expectedVersion: 'no-stream',
        });
        await store.appendToStream('job-a', [ev('A', 3)], { expectedVersion: 2 });
        const rest = await readAll(lastGlobalPosition);
        expect(
          rest.map((e) => `${e.metadata.streamId}#${String(e.metadata.streamPosition)}`),
        ).toEqual(['job-a#3']);
        const all = await readAll();
        const second = all[1]?.metadata.globalPosition ?? 0;
        expect((await readAll(second)).map((e) => e.metadata.eventId)).toEqual(
          all.slice(2).map((e) => e.metadata.eventId),
        );
      },
    },
  ],
};
