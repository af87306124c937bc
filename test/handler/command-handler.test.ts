import { tableGet } from '../../src/domain/shared/table.js';
import { describe, expect, it } from 'vitest';
import { fold, isDomainError, type JobCommandInput } from '../../src/index.js';
import { createCommandHandler } from '../../src/handler/command-handler.js';
import { createInMemoryEventStore } from '../../src/store/memory.js';
import { createInMemorySnapshotStore } from '../../src/store/snapshots.js';
import type { EventStore, RecordedEvent } from '../../src/store/port.js';
import { upcasters as exampleUpcasters } from '../../examples/upcast-milestone-funded.js';
import { at, award, CLIENT, FREELANCER, JOB, propose } from '../app/histories.js';

async function collect(events: AsyncIterable<RecordedEvent>): Promise<RecordedEvent[]> {
  const out: RecordedEvent[] = [];
  for await (const e of events) out.push(e);
  return out;
}

async function failure(
  promise: Promise<unknown>,
): Promise<{ code: string; details: Record<string, unknown>; message: string }> {
  try {
    await promise;
  } catch (error) {
    if (isDomainError(error))
      return { code: error.code, details: error.details, message: error.message };
    throw error;
  }
  throw new Error('expected a DomainError');
}

const accept: JobCommandInput = {
  type: 'AcceptTerms',
  actor: FREELANCER,
  at: at(2),
  data: { proposalId: 'p1' },
};
const fund = (milestoneId: string, fundingId: string, minutes = 3): JobCommandInput => ({
  type: 'FundMilestone',
  actor: CLIENT,
  at: at(minutes),
  data: { milestoneId, fundingId, source: 'card:visa-4242' },
});
const release = (milestoneId: string, minutes = 4): JobCommandInput => ({
  type: 'ReleaseFunds',
  actor: CLIENT,
  at: at(minutes),
  data: { milestoneId },
});

async function started(handler: ReturnType<typeof createCommandHandler>): Promise<void> {
  await handler.handle(JOB, award());
  await handler.handle(
    JOB,
    propose('p1', [
      ['m1', 7500],
      ['m2', 10000],
    ]),
  );
  await handler.handle(JOB, accept);
}

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

  describe('idempotency keys', () => {
    it('the same key with the same command returns the first result and appends nothing', async () => {
      const store = createInMemoryEventStore();
      const handler = createCommandHandler({ store });
      await started(handler);
      const first = await handler.handle(JOB, fund('m1', 'f1'), { idempotencyKey: 'k1' });
      await handler.handle(JOB, fund('m2', 'f2')); // the job moves on
      const again = await handler.handle(JOB, fund('m1', 'f1'), { idempotencyKey: 'k1' });
      expect(again).toEqual({ ...first, replayed: true, attempts: 0 });
      expect(await store.streamVersion('job-job-1')).toBe(5);
    });

    it('the same key with a different command is IDEMPOTENCY_KEY_REUSED', async () => {
      const store = createInMemoryEventStore();
      const handler = createCommandHandler({ store });
      await started(handler);
      await handler.handle(JOB, fund('m1', 'f1'), { idempotencyKey: 'k1' });
      const error = await failure(handler.handle(JOB, fund('m2', 'f2'), { idempotencyKey: 'k1' }));
      expect(error).toMatchObject({
        code: 'IDEMPOTENCY_KEY_REUSED',
        details: { idempotencyKey: 'k1', firstPosition: 4 },
      });
      expect(error.message).toMatch(/different command/);
      // even a different instant makes it a different command
      expect(
        await failure(handler.handle(JOB, fund('m1', 'f1', 9), { idempotencyKey: 'k1' })),
      ).toMatchObject({ code: 'IDEMPOTENCY_KEY_REUSED' });
      expect(await store.streamVersion('job-job-1')).toBe(4);
    });

    it('the key survives a restart: a new handler on the same store still knows it', async () => {
      const store = createInMemoryEventStore();
      await started(createCommandHandler({ store }));
      const first = await createCommandHandler({ store }).handle(JOB, fund('m1', 'f1'), {
        idempotencyKey: 'k1',
      });
      const again = await createCommandHandler({ store }).handle(JOB, fund('m1', 'f1'), {
        idempotencyKey: 'k1',
      });
      expect(again.replayed).toBe(true);
      expect(again.events).toEqual(first.events);
      expect(
        await failure(
          createCommandHandler({ store }).handle(JOB, release('m2'), { idempotencyKey: 'k1' }),
        ),
      ).toMatchObject({ code: 'IDEMPOTENCY_KEY_REUSED' });
    });

    it('the key survives snapshots: a key older than the snapshot is still known', async () => {
      const store = createInMemoryEventStore();
      const snapshots = createInMemorySnapshotStore();
      const handler = createCommandHandler({ store, snapshots, snapshotEvery: 2 });
      await started(handler);
      const first = await handler.handle(JOB, fund('m1', 'f1'), { idempotencyKey: 'k1' });
      await handler.handle(JOB, fund('m2', 'f2'));
      await handler.handle(JOB, release('m2'));
      expect((await snapshots.load('job-job-1'))?.version).toBe(6);
      // Only the events after the snapshot are read now; the key comes from the snapshot.
      const reads: number[] = [];
      const spy: EventStore = {
        ...store,
        appendToStream: store.appendToStream.bind(store),
        streamVersion: store.streamVersion.bind(store),
        readAll: store.readAll.bind(store),
        readStream: (id, o) => (reads.push(o?.after ?? 0), store.readStream(id, o)),
      };
      const restarted = createCommandHandler({ store: spy, snapshots, snapshotEvery: 2 });
      expect((await restarted.load(JOB)).snapshot).toBe('used');
      const again = await restarted.handle(JOB, fund('m1', 'f1'), { idempotencyKey: 'k1' });
      expect(again).toEqual({ ...first, replayed: true, attempts: 0 });
      expect(reads[0]).toBe(6);
    });

    it('a rejected command records nothing: the same key may be retried once the job allows it', async () => {
      const store = createInMemoryEventStore();
      const handler = createCommandHandler({ store });
      await started(handler);
      expect(
        await failure(handler.handle(JOB, release('m1'), { idempotencyKey: 'k1' })),
      ).toMatchObject({ code: 'NOT_FULLY_FUNDED' });
      await handler.handle(JOB, fund('m1', 'f1'));
      expect((await handler.handle(JOB, release('m1'), { idempotencyKey: 'k1' })).replayed).toBe(
        false,
      );
      expect((await handler.handle(JOB, release('m1'), { idempotencyKey: 'k1' })).replayed).toBe(
        true,
      );
    });

    it('keys are scoped to the job: the same key on another job is another key', async () => {
      const handler = createCommandHandler({ store: createInMemoryEventStore() });
      await handler.handle('a', award('a'), { idempotencyKey: 'k' });
      expect((await handler.handle('b', award('b'), { idempotencyKey: 'k' })).replayed).toBe(false);
    });

    it('a key must be 1–255 characters', async () => {
      const handler = createCommandHandler({ store: createInMemoryEventStore() });
      expect(await failure(handler.handle(JOB, award(), { idempotencyKey: '' }))).toMatchObject({
        code: 'INVALID_INPUT',
      });
      expect(
        await failure(handler.handle(JOB, award(), { idempotencyKey: 'k'.repeat(256) })),
      ).toMatchObject({ code: 'INVALID_INPUT' });
    });
  });

  describe('concurrency', () => {
    /** A store whose next `n` appends lose a race: another writer appends first. */
    function racingStore(losses: number): { store: EventStore; rival: () => Promise<void> } {
      const inner = createInMemoryEventStore();
      let left = losses;
      let rivalCommand: (() => Promise<void>) | undefined;
      const store: EventStore = {
        readStream: (id, o) => inner.readStream(id, o),
        readAll: (o) => inner.readAll(o),
        streamVersion: (id) => inner.streamVersion(id),
        async appendToStream(id, events, o) {
          if (left > 0 && rivalCommand !== undefined) {
            left -= 1;
            await rivalCommand();
          }
          return inner.appendToStream(id, events, o);
        },
      };
      return {
        store,
        rival: async () => {
          const rivalHandler = createCommandHandler({ store: inner });
          let k = 0;
          rivalCommand = async () => {
            await rivalHandler.handle(JOB, {
              type: 'SubmitWork',
              actor: FREELANCER,
              at: at(3), // as late as the command it races: time may not run backwards (spec §7)
              data: { milestoneId: 'm1', note: `try ${String(++k)}` },
            });
          };
        },
      };
    }

    it('retries a conflict by re-reading and re-deciding', async () => {
      const { store, rival } = racingStore(2);
      const handler = createCommandHandler({ store });
      await started(handler);
      await rival();
      const result = await handler.handle(JOB, fund('m1', 'f1'));
      expect(result.attempts).toBe(3);
      expect(result.version).toBe(6);
      expect(tableGet(result.state.job.reviews, 'm1')).toBe('submitted');
    });

    it('gives up after maxRetries with CONCURRENCY_CONFLICT, having appended nothing of its own', async () => {
      const { store, rival } = racingStore(10);
      const handler = createCommandHandler({ store, maxRetries: 2 });
      await started(handler);
      await rival();
      expect(await failure(handler.handle(JOB, fund('m1', 'f1')))).toMatchObject({
        code: 'CONCURRENCY_CONFLICT',
      });
      const events = await collect(store.readStream('job-job-1'));
      expect(events.map((e) => e.type)).toEqual([
        'JobAwarded',
        'TermsProposed',
        'TermsAccepted',
        'WorkSubmitted',
        'WorkSubmitted',
        'WorkSubmitted',
      ]);
    });

    it('an expected version from the caller (If-Match) is checked and never retried', async () => {
      const store = createInMemoryEventStore();
      const handler = createCommandHandler({ store });
      await started(handler);
      expect(
        await failure(handler.handle(JOB, fund('m1', 'f1'), { expectedVersion: 2 })),
      ).toMatchObject({
        code: 'CONCURRENCY_CONFLICT',
        details: { expectedVersion: 2, actualVersion: 3 },
      });
      expect((await handler.handle(JOB, fund('m1', 'f1'), { expectedVersion: 3 })).version).toBe(4);
      const { store: racing, rival } = racingStore(1);
      const h2 = createCommandHandler({ store: racing });
      await started(h2);
      await rival();
      expect(await failure(h2.handle(JOB, fund('m1', 'f1'), { expectedVersion: 3 }))).toMatchObject(
        { code: 'CONCURRENCY_CONFLICT' },
      );
    });

    it('waits retryDelayMs between attempts', async () => {
      const { store, rival } = racingStore(1);
      const delays: number[] = [];
      const handler = createCommandHandler({
        store,
        retryDelayMs: (attempt) => (delays.push(attempt), 1),
      });
      await started(handler);
      await rival();
      await handler.handle(JOB, fund('m1', 'f1'));
      expect(delays).toEqual([1]);
    });

    it.each([Number.NaN, -1, '5', undefined])(
      'rejects the command, writing nothing more, when retryDelayMs returns %s',
      async (bad) => {
        const { store, rival } = racingStore(1);
        const handler = createCommandHandler({
          store,
          retryDelayMs: () => bad as number,
        });
        await started(handler);
        await rival();
        expect(await failure(handler.handle(JOB, fund('m1', 'f1')))).toMatchObject({
          code: 'INVALID_INPUT',
          details: { path: 'retryDelayMs', failures: 1 },
        });
        expect(await store.streamVersion('job-job-1')).toBe(4);
      },
    );

    it('retries at once when retryDelayMs returns 0', async () => {
      const { store, rival } = racingStore(1);
      const handler = createCommandHandler({ store, retryDelayMs: () => 0 });
      await started(handler);
      await rival();
      expect((await handler.handle(JOB, fund('m1', 'f1'))).version).toBe(5);
    });
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
