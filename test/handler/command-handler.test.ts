import { describe, expect, it } from 'vitest';
import { fold } from '../../src/index.js';
import { createCommandHandler } from '../../src/handler/command-handler.js';
import { createInMemoryEventStore } from '../../src/store/memory.js';
import { createInMemorySnapshotStore } from '../../src/store/snapshots.js';
import type { EventStore } from '../../src/store/port.js';
import { upcasters as exampleUpcasters } from '../../examples/upcast-milestone-funded.js';
import { at, award, CLIENT, JOB, propose } from '../app/histories.js';
import { accept, collect, failure, fund, release, started } from './handler-fixtures.js';

describe('command handler', () => {
  it('loads, decides, appends and returns the new events and state', async () => {
    const store = createInMemoryEventStore();
    const handler = createCommandHandler({ store });
    const first = await handler.handle(JOB, award());
    expect(first).toMatchObject({
      streamId: 'job-job-1',
      version: 1,
      replayed: false,
      attempts: 1,
    });
    expect(first.events.map((e) => e.type)).toEqual(['JobAwarded']);
    await handler.handle(
      JOB,
      propose('p1', [
        ['m1', 7500],
        ['m2', 10000],
      ]),
    );
    const result = await handler.handle(JOB, accept);
    expect(result.version).toBe(3);
    expect(result.state).toEqual(
      fold(
        (await collect(store.readStream('job-job-1'))).map(({ type, data }) => ({
          type,
          data,
        })) as never,
      ),
    );
    expect((await handler.load(JOB)).state).toEqual(result.state);
  });

  it('rejects what the domain rejects, appending nothing', async () => {
    const store = createInMemoryEventStore();
    const handler = createCommandHandler({ store });
    await started(handler);
    expect(await failure(handler.handle(JOB, release('m1')))).toMatchObject({
      code: 'NOT_FULLY_FUNDED',
    });
    expect(
      await failure(
        handler.handle(JOB, {
          type: 'FundMilestone',
          actor: CLIENT,
          at: 'soon',
          data: {},
        } as never),
      ),
    ).toMatchObject({ code: 'INVALID_INPUT' });
    expect(await store.streamVersion('job-job-1')).toBe(3);
  });

  it('AwardJob must name the job it is sent to', async () => {
    const handler = createCommandHandler({ store: createInMemoryEventStore() });
    expect(await failure(handler.handle('other-job', award()))).toMatchObject({
      code: 'INVALID_INPUT',
      details: { path: 'data.jobId' },
    });
  });

  it('records metadata: ids, positions, schema version, correlation, causation, idempotency key; the domain sees none of it', async () => {
    const store = createInMemoryEventStore({ now: () => '2014-11-03T09:00:00.000Z' });
    let n = 0;
    const handler = createCommandHandler({
      store,
      newId: () => `cmd-${String(++n)}`,
      upcasters: exampleUpcasters,
    });
    await started(handler);
    const result = await handler.handle(JOB, fund('m1', 'f1'), {
      idempotencyKey: 'key-1',
      correlationId: 'order-9',
      causationId: 'http-123',
      metadata: { tenant: 'acme' },
    });
    expect(result.events[0]).toEqual({
      type: 'MilestoneFunded',
      data: {
        milestoneId: 'm1',
        fundingId: 'f1',
        amount: 7500,
        source: 'card:visa-4242',
        at: at(3),
      },
    });
    const [stored] = await collect(store.readStream('job-job-1', { after: 3 }));
    expect(stored?.metadata).toMatchObject({
      streamId: 'job-job-1',
      streamPosition: 4,
      globalPosition: 4,
      schemaVersion: 2, // MilestoneFunded is at v2 under the example's upcasters
      correlationId: 'order-9',
      causationId: 'http-123',
      commandId: 'cmd-4',
      idempotencyKey: 'key-1',
      recordedAt: '2014-11-03T09:00:00.000Z',
      tenant: 'acme',
    });
    expect(typeof stored?.metadata['commandHash']).toBe('string');
    expect(typeof stored?.metadata.eventId).toBe('string');
    const [awarded] = await collect(store.readStream('job-job-1', { to: 1 }));
    expect(awarded?.metadata).toMatchObject({
      commandId: 'cmd-1',
      correlationId: 'cmd-1',
      causationId: 'cmd-1',
      schemaVersion: 1,
    });
    expect(awarded?.metadata.idempotencyKey).toBeUndefined();
  });

  it('takes a snapshot when the stream crosses a multiple of snapshotEvery, and loads from it', async () => {
    const store = createInMemoryEventStore();
    const snapshots = createInMemorySnapshotStore();
    const handler = createCommandHandler({
      store,
      snapshots,
      snapshotEvery: 2,
      now: () => '2014-11-03T10:00:00Z',
    });
    await started(handler);
    expect(await snapshots.load('job-job-1')).toMatchObject({
      version: 2,
      takenAt: '2014-11-03T10:00:00Z',
    });
    await handler.handle(JOB, fund('m1', 'f1'));
    expect((await snapshots.load('job-job-1'))?.version).toBe(4);
    const loaded = await handler.load(JOB);
    expect(loaded).toMatchObject({ snapshot: 'used', version: 4 });
  });

  it('a failing snapshot store does not fail the command', async () => {
    const errors: unknown[] = [];
    const handler = createCommandHandler({
      store: createInMemoryEventStore(),
      snapshotEvery: 1,
      snapshots: {
        save: () => Promise.reject(new Error('disk full')),
        load: () => Promise.resolve(undefined),
      },
      onSnapshotError: (e) => errors.push(e),
    });
    expect((await handler.handle(JOB, award())).version).toBe(1);
    expect(errors).toHaveLength(1);
  });

  it('reads events stored in an older shape through its upcasters', async () => {
    const store = createInMemoryEventStore();
    const handler = createCommandHandler({ store, upcasters: exampleUpcasters });
    await started(handler);
    await store.appendToStream(
      'job-job-1',
      [
        {
          type: 'MilestoneFunded',
          data: {
            milestoneId: 'm1',
            fundingId: 'f1',
            amount: '75.00',
            source: 'card:1',
            at: at(3),
          },
          metadata: { schemaVersion: 1 },
        },
      ],
      { expectedVersion: 3 },
    );
    const result = await handler.handle(JOB, release('m1'));
    expect(result.events).toEqual([
      { type: 'FundsReleased', data: { milestoneId: 'm1', amount: 7500, fee: 0, at: at(4) } },
    ]);
  });

  it('validates its options: INVALID_INPUT naming the option (was a RangeError)', () => {
    const store = createInMemoryEventStore();
    expect(() => createCommandHandler({ store, maxRetries: -1 })).toThrow(
      expect.objectContaining({
        code: 'INVALID_INPUT',
        details: { path: 'maxRetries' },
        message: 'maxRetries must be a whole number ≥ 0 (0 never retries), not -1',
      }),
    );
    expect(() => createCommandHandler({ store, snapshotEvery: 0 })).toThrow(
      expect.objectContaining({
        code: 'INVALID_INPUT',
        details: { path: 'snapshotEvery' },
        message: 'snapshotEvery must be a whole number ≥ 1, not 0',
      }),
    );
  });
});

describe('the handler keeps recent jobs in memory', () => {
  // A store that counts the events it hands out on stream reads.
  function counting(store: EventStore): { store: EventStore; read: () => number } {
    let n = 0;
    return {
      read: () => n,
      store: {
        appendToStream: (id, events, options) => store.appendToStream(id, events, options),
        streamVersion: (id) => store.streamVersion(id),
        readAll: (options) => store.readAll(options),
        async *readStream(id, options) {
          for await (const e of store.readStream(id, options)) {
            n += 1;
            yield e;
          }
        },
      },
    };
  }

  it('a command on a kept job reads only the events appended since, not the history', async () => {
    const { store, read } = counting(createInMemoryEventStore());
    const handler = createCommandHandler({ store });
    await started(handler); // award, propose, accept: the first load read nothing, the rest were kept
    expect(read()).toBe(0);
    await handler.handle(JOB, fund('m1', 'f1'));
    expect(read()).toBe(0);
  });

  it('events another writer appended are folded in before deciding', async () => {
    const store = createInMemoryEventStore();
    const mine = createCommandHandler({ store });
    const theirs = createCommandHandler({ store });
    await started(mine);
    await theirs.handle(JOB, fund('m1', 'f1'));
    // Mine still holds the job before the funding: deciding on it unchanged would fund m1 twice.
    const again = await failure(mine.handle(JOB, fund('m1', 'f2')));
    expect(again.code).toBe('NOTHING_TO_FUND');
    const released = await mine.handle(JOB, release('m1'));
    expect(released.state).toEqual(
      fold(
        (await collect(store.readStream('job-job-1'))).map(
          (e) => ({ type: e.type, data: e.data }) as never,
        ),
      ),
    );
  });

  it('cacheSize 0 loads the job from the store for every command', async () => {
    const { store, read } = counting(createInMemoryEventStore());
    const handler = createCommandHandler({ store, cacheSize: 0 });
    await started(handler);
    const before = read();
    await handler.handle(JOB, fund('m1', 'f1'));
    expect(read() - before).toBe(3);
    expect(() => createCommandHandler({ store, cacheSize: -1 })).toThrow(
      expect.objectContaining({ code: 'INVALID_INPUT', details: { path: 'cacheSize' } }),
    );
  });
});
