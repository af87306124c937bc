import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { isDomainError } from '../../src/domain/shared/errors.js';
import type { EventStore, EventToAppend, RecordedEvent } from '../../src/store/port.js';

/*
 * The event store contract: any store that passes this suite is a store. It uses only the port
 * (src/store/port.ts), so it runs unchanged against the in-memory store, PostgreSQL, or a user's
 * own. `makeStore` must return an EMPTY store for each test (a fresh schema, truncated tables...);
 * `close`, if given, runs after each test.
 */

/** What the contract suite needs from a store under test. */
export interface StoreUnderTest {
  readonly store: EventStore;
  readonly close?: () => Promise<void>;
}

async function collect(events: AsyncIterable<RecordedEvent>): Promise<RecordedEvent[]> {
  const out: RecordedEvent[] = [];
  for await (const e of events) out.push(e);
  return out;
}

function ev(type: string, n: number, extra: Partial<EventToAppend> = {}): EventToAppend {
  return { type, data: { n, nested: { list: [n, String(n)], flag: n % 2 === 0 } }, ...extra };
}

async function rejection(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error('expected the promise to reject');
}

async function expectCode(promise: Promise<unknown>, code: string): Promise<unknown> {
  const error = await rejection(promise);
  expect(isDomainError(error), `expected a DomainError, got ${String(error)}`).toBe(true);
  expect((error as { code: string }).code).toBe(code);
  return error;
}

/** Registers the event store contract suite for one store. */
export function describeEventStoreContract(
  name: string,
  makeStore: () => Promise<StoreUnderTest>,
): void {
  describe(`event store contract: ${name}`, () => {
    let store: EventStore;
    let close: (() => Promise<void>) | undefined;

    beforeEach(async () => {
      const made = await makeStore();
      store = made.store;
      close = made.close;
    });
    afterEach(async () => {
      await close?.();
    });

    const read = (streamId: string, options?: { after?: number; to?: number }) =>
      collect(store.readStream(streamId, options));
    const readAll = (after?: number) =>
      collect(store.readAll(after === undefined ? {} : { after }));

    describe('reading', () => {
      it('an unknown stream has version 0 and no events', async () => {
        expect(await store.streamVersion('job-unknown')).toBe(0);
        expect(await read('job-unknown')).toEqual([]);
        expect(await readAll()).toEqual([]);
      });

      it('reads back what was appended: type, JSON data, and the metadata the store fills in', async () => {
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
      });

      it('keeps the metadata the caller gives: schema version, correlation, causation, idempotency key, extra keys', async () => {
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
      });

      it('owns eventId, streamId, positions and recordedAt: caller values for them are replaced', async () => {
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
      });

      it('gives every event a distinct id', async () => {
        await store.appendToStream('job-1', [ev('A', 1), ev('A', 2), ev('A', 3)], {
          expectedVersion: 'any',
        });
        await store.appendToStream('job-2', [ev('A', 1), ev('A', 2)], { expectedVersion: 'any' });
        const ids = (await readAll()).map((e) => e.metadata.eventId);
        expect(new Set(ids).size).toBe(5);
      });

      it('reads a stream after a position, and up to a position', async () => {
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
      });

      it('a reader may stop early', async () => {
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
      });

      it('what a caller does with an event it appended or read never changes the store', async () => {
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
      });
    });

    describe('global order', () => {
      it('reads every stream in global order, each stream in its own order', async () => {
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
      });

      it('reads all after a global position', async () => {
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
      });
    });

    describe('optimistic concurrency', () => {
      it("'no-stream' and 0 append to a new stream only", async () => {
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
      });

      it('a number appends only when the stream has exactly that many events', async () => {
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
      });

      it("'any' appends whatever the version", async () => {
        await store.appendToStream('job-1', [ev('A', 1)], { expectedVersion: 'any' });
        const result = await store.appendToStream('job-1', [ev('A', 2)], {
          expectedVersion: 'any',
        });
        expect(result.nextExpectedVersion).toBe(2);
      });

      it('a conflict appends nothing, not even part of the batch', async () => {
        await store.appendToStream('job-1', [ev('A', 1)], { expectedVersion: 'no-stream' });
        await expectCode(
          store.appendToStream('job-1', [ev('X', 1), ev('X', 2), ev('X', 3)], {
            expectedVersion: 0,
          }),
          'CONCURRENCY_CONFLICT',
        );
        expect((await read('job-1')).map((e) => e.type)).toEqual(['A']);
        expect(await readAll()).toHaveLength(1);
      });

      it('of many writers racing with the same expected version, exactly one wins', async () => {
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
      });

      it('racing new streams: exactly one creates the stream', async () => {
        const results = await Promise.allSettled(
          Array.from({ length: 6 }, (_, w) =>
            store.appendToStream('job-1', [ev(`W${String(w)}`, 1)], {
              expectedVersion: 'no-stream',
            }),
          ),
        );
        expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
        expect(await read('job-1')).toHaveLength(1);
      });

      it("concurrent 'any' appends all land, each batch contiguous, positions without gaps", async () => {
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
      });

      it('concurrent appends to different streams all succeed', async () => {
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
      });

      it('appending no events checks the expected version and changes nothing', async () => {
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
      });
    });

    describe('bad input', () => {
      it('an expected version that is not one of the three forms is INVALID_INPUT', async () => {
        for (const bad of [-1, 1.5, Number.NaN, '1', 'latest', null]) {
          await expectCode(
            store.appendToStream('job-1', [ev('A', 1)], { expectedVersion: bad as never }),
            'INVALID_INPUT',
          );
        }
        expect(await readAll()).toEqual([]);
      });

      it('an empty stream id, an event without a type or a bad schema version is INVALID_INPUT', async () => {
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
      });
    });
  });
}
