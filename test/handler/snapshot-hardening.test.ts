import { describe, expect, it } from 'vitest';
import { createCommandHandler, isDomainError, type JobCommandInput } from '../../src/index.js';
import { createInMemoryEventStore } from '../../src/store/memory.js';
import {
  createInMemorySnapshotStore,
  deserializeState,
  JOB_SNAPSHOT_VERSION,
  serializeState,
  stateFromJson,
  type Snapshot,
  type SnapshotStore,
} from '../../src/store/snapshots.js';
import { at, award, FREELANCER, JOB, propose } from '../app/histories.js';

/*
 * Issue 16, D5: a snapshot is checked in full before use, and the handler never throws after its
 * append succeeded. D11: a state nested 200,000 levels deep is INVALID_INPUT, not a RangeError.
 */

const accept: JobCommandInput = {
  type: 'AcceptTerms',
  actor: FREELANCER,
  at: at(2),
  data: { proposalId: 'p1' },
};

/** A job of three events, its handler's snapshot of version 2, and a way to tamper with it. */
async function withSnapshot(tamper: (snapshot: Record<string, unknown>) => void) {
  const store = createInMemoryEventStore();
  const first = createCommandHandler({ store });
  await first.handle(JOB, award());
  const proposed = await first.handle(JOB, propose('p1', [['m1', 7500]]));
  const data = JSON.parse(serializeState(proposed.state)) as Record<string, unknown>;
  const snapshot: Record<string, unknown> = {
    streamId: first.streamIdOf(JOB),
    version: 2,
    snapshotVersion: JOB_SNAPSHOT_VERSION,
    state: data,
    idempotency: [],
    takenAt: '2030-01-01T00:00:00Z',
  };
  tamper(snapshot);
  // A store of the app's own that hands back what it was given.
  const snapshots: SnapshotStore = {
    save: () => Promise.resolve(),
    load: () => Promise.resolve(snapshot as unknown as Snapshot),
  };
  return { store, handler: createCommandHandler({ store, snapshots, cacheSize: 0 }) };
}

describe('D5: a loaded snapshot is checked in full before it is used', () => {
  const corruptions: [string, (s: Record<string, unknown>) => void][] = [
    ['idempotency: null', (s) => (s['idempotency'] = null)],
    ['idempotency: [5]', (s) => (s['idempotency'] = [5])],
    [
      'an idempotency record past the snapshot',
      (s) => (s['idempotency'] = [{ key: 'k', commandHash: 'a'.repeat(64), from: 1, to: 9 }]),
    ],
    [
      'terms.active: 5',
      (s) =>
        (((s['state'] as Record<string, unknown>)['terms'] as Record<string, unknown>)['active'] =
          5),
    ],
    [
      'escrow totals that break C1',
      (s) => {
        const escrow = (s['state'] as Record<string, unknown>)['escrow'] as Record<string, unknown>;
        escrow['totals'] = { funded: 100, held: 0, released: 0, refunded: 0 };
      },
    ],
    ['state: null', (s) => (s['state'] = null)],
    [
      'a snapshotVersion getter that throws (its error escaped load and handle, where a state getter was stale)',
      (s) =>
        Object.defineProperty(s, 'snapshotVersion', {
          get(): never {
            throw new Error('a getter that throws');
          },
        }),
    ],
    [
      'a streamId getter that throws',
      (s) =>
        Object.defineProperty(s, 'streamId', {
          get(): never {
            throw new Error('a getter that throws');
          },
        }),
    ],
    [
      'a state 200,000 levels deep',
      (s) => {
        let deep: unknown = 1;
        for (let i = 0; i < 200_000; i++) deep = [deep];
        s['state'] = { ...(s['state'] as object), job: deep };
      },
    ],
  ];

  it.each(corruptions)(
    'D5: a snapshot with %s is ignored (stale): the stream is folded from the start and the command decided right',
    async (_, tamper) => {
      const { store, handler } = await withSnapshot(tamper);
      const loaded = await handler.load(JOB);
      expect(loaded.snapshot).toBe('stale');
      expect(loaded.version).toBe(2);
      const result = await handler.handle(JOB, accept);
      expect(result.version).toBe(3);
      expect(result.state.terms.active?.proposalId).toBe('p1');
      expect(await store.streamVersion(handler.streamIdOf(JOB))).toBe(3);
    },
  );

  it('a snapshot is read once: an idempotency getter answering [] when checked and 5 when used is used as checked (a TypeError escaped handle)', async () => {
    const { store, handler } = await withSnapshot((s) => {
      let reads = 0;
      Object.defineProperty(s, 'idempotency', { get: () => (reads++ === 0 ? [] : 5) });
    });
    expect((await handler.load(JOB)).snapshot).toBe('used');
    const result = await handler.handle(JOB, accept);
    expect(result.version).toBe(3);
    expect(await store.streamVersion(handler.streamIdOf(JOB))).toBe(3);
  });

  it('D5: an untampered snapshot is used', async () => {
    const { handler } = await withSnapshot(() => undefined);
    expect((await handler.load(JOB)).snapshot).toBe('used');
  });

  it('D5: the handler never throws after its append succeeded (an onSnapshotError that throws)', async () => {
    const store = createInMemoryEventStore();
    const failing: SnapshotStore = {
      save: () => Promise.reject(new Error('disk full')),
      load: () => Promise.resolve(undefined),
    };
    const handler = createCommandHandler({
      store,
      snapshots: failing,
      snapshotEvery: 1,
      onSnapshotError: () => {
        throw new Error('the app’s logger broke');
      },
    });
    const result = await handler.handle(JOB, award());
    expect(result.version).toBe(1);
    expect(await store.streamVersion(handler.streamIdOf(JOB))).toBe(1);
    const next = await handler.handle(JOB, propose('p1', [['m1', 7500]]));
    expect(next.version).toBe(2);
  });
});

describe('D11: states too deep to copy are INVALID_INPUT', () => {
  it('D11: stateFromJson and deserializeState of a value 200,000 levels deep throw INVALID_INPUT, not RangeError', () => {
    let deep: unknown = 1;
    for (let i = 0; i < 200_000; i++) deep = { a: deep };
    const state = { version: 0, job: deep, terms: deep, escrow: deep };
    for (const read of [
      () => stateFromJson(state),
      () => deserializeState('['.repeat(200_000) + ']'.repeat(200_000)),
      () =>
        deserializeState(
          `{"shape":"x","version":0,"job":${'['.repeat(200_000)}${']'.repeat(200_000)}}`,
        ),
    ]) {
      let caught: unknown;
      try {
        read();
      } catch (error) {
        caught = error;
      }
      expect(isDomainError(caught) && caught.code).toBe('INVALID_INPUT');
    }
    expect(createInMemorySnapshotStore()).toBeDefined();
  });
});
