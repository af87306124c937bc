/* The command handler's idempotency keys, and its concurrency (conflicts, retries, If-Match). */
import { tableGet } from '../../src/domain/shared/table.js';
import { describe, expect, it } from 'vitest';
import { createCommandHandler } from '../../src/handler/command-handler.js';
import { createInMemoryEventStore } from '../../src/store/memory.js';
import { createInMemorySnapshotStore } from '../../src/store/snapshots.js';
import type { EventStore } from '../../src/store/port.js';
import { at, award, FREELANCER, JOB } from '../app/histories.js';
import { collect, failure, fund, release, started } from './handler-fixtures.js';

describe('command handler', () => {
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
});
