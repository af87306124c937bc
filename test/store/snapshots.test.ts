import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { fold, isDomainError } from '../../src/index.js';
import { loadJob } from '../../src/handler/load.js';
import { createInMemoryEventStore } from '../../src/store/memory.js';
import type { EventStore } from '../../src/store/port.js';
import {
  createInMemorySnapshotStore,
  deserializeState,
  JOB_SNAPSHOT_VERSION,
  serializeState,
  stateFromJson,
  type Snapshot,
} from '../../src/store/snapshots.js';
import { histories } from '../app/histories.js';

describe('snapshots', () => {
  it('a snapshot whose state someone froze only at the top is kept as a detached, deeply frozen copy', async () => {
    const { events } = fc.sample(histories(20), { numRuns: 1, seed: 11 })[0]!;
    const cut = Math.max(1, events.length - 3);
    const given = Object.freeze(
      JSON.parse(serializeState(fold(events.slice(0, cut)))) as ReturnType<typeof fold>,
    );
    const snapshots = createInMemorySnapshotStore();
    await snapshots.save({
      streamId: 'job-1',
      version: cut,
      snapshotVersion: JOB_SNAPSHOT_VERSION,
      state: given,
      idempotency: [],
      takenAt: '2030-01-01T00:00:00Z',
    });
    const stored = (await snapshots.load('job-1'))?.state;
    expect(stored).not.toBe(given);
    // Folding on from the loaded state twice gives the same state: nothing stored was changed.
    const once = fold(events.slice(cut), stateFromJson(stored));
    const twice = fold(events.slice(cut), stateFromJson((await snapshots.load('job-1'))?.state));
    expect(twice).toEqual(once);
    expect(once).toEqual(fold(events));
    expect(Object.isFrozen(given.escrow)).toBe(false);
  });

  it('property: the state serialises to JSON and back losslessly', () => {
    fc.assert(
      fc.property(histories(30), fc.nat(), ({ events }, n) => {
        const state = fold(events.slice(0, n % (events.length + 1)));
        const back = deserializeState(serializeState(state));
        expect(back).toEqual(state);
        expect(Object.isFrozen(back) && Object.isFrozen(back.escrow.totals)).toBe(true);
        expect(serializeState(back)).toBe(serializeState(state));
        // and folding on from the copy is the same as folding on from the original
        expect(fold(events.slice(n % (events.length + 1)), back)).toEqual(fold(events));
      }),
      { numRuns: 100 },
    );
  });

  it('property: snapshot + the rest of the stream = the full fold', async () => {
    await fc.assert(
      fc.asyncProperty(histories(30), fc.nat(), async ({ events }, n) => {
        const store = createInMemoryEventStore();
        const snapshots = createInMemorySnapshotStore();
        await store.appendToStream('job-1', events, { expectedVersion: 'no-stream' });
        const at = n % (events.length + 1);
        const state = fold(events.slice(0, at));
        await snapshots.save({
          streamId: 'job-1',
          version: at,
          snapshotVersion: JOB_SNAPSHOT_VERSION,
          state: JSON.parse(serializeState(state)),
          idempotency: [],
          takenAt: '2014-11-03T09:00:00Z',
        });
        const loaded = await loadJob(store, 'job-1', { snapshots });
        expect(loaded.snapshot).toBe('used');
        expect(loaded.state).toEqual(fold(events));
        expect(loaded.version).toBe(events.length);
      }),
      { numRuns: 60 },
    );
  });

  it('loading folds only the events after the snapshot', async () => {
    const store = createInMemoryEventStore();
    const { events } = fc.sample(histories(30), { seed: 7, numRuns: 1 })[0] ?? { events: [] };
    await store.appendToStream('job-1', events, { expectedVersion: 'no-stream' });
    const after: number[] = [];
    // A spy with the store's methods (the store is a class instance: its methods are rebound).
    const spy: EventStore = {
      ...store,
      appendToStream: store.appendToStream.bind(store),
      streamVersion: store.streamVersion.bind(store),
      readAll: store.readAll.bind(store),
      readStream: (id: string, o?: { after?: number }) => (
        after.push(o?.after ?? 0),
        store.readStream(id, o)
      ),
    };
    const snapshots = createInMemorySnapshotStore();
    const version = Math.floor(events.length / 2);
    await snapshots.save({
      streamId: 'job-1',
      version,
      snapshotVersion: JOB_SNAPSHOT_VERSION,
      state: fold(events.slice(0, version)),
      idempotency: [],
      takenAt: '2026-01-02T03:04:05Z',
    });
    await loadJob(spy, 'job-1', { snapshots });
    expect(after).toEqual([version]);
  });

  it('a snapshot taken by another evolve (another snapshotVersion) is ignored, not trusted', async () => {
    const store = createInMemoryEventStore();
    const { events } = fc.sample(histories(30), { seed: 3, numRuns: 1 })[0] ?? { events: [] };
    await store.appendToStream('job-1', events, { expectedVersion: 'no-stream' });
    const snapshots = createInMemorySnapshotStore();
    // A lying snapshot: right version number, wrong state, older evolve.
    const lie: Snapshot = {
      streamId: 'job-1',
      version: events.length,
      snapshotVersion: 'job-state@0',
      state: { ...fold([]), version: events.length },
      idempotency: [],
      takenAt: '2026-01-02T03:04:05Z',
    };
    await snapshots.save(lie);
    const loaded = await loadJob(store, 'job-1', { snapshots });
    expect(loaded.snapshot).toBe('stale');
    expect(loaded.state).toEqual(fold(events));
    // The same snapshot is trusted by an app that says it wrote it.
    const trusting = await loadJob(store, 'job-1', { snapshots, snapshotVersion: 'job-state@0' });
    expect(trusting.snapshot).toBe('used');
    expect(trusting.state.job.award).toBeNull();
  });

  it('a snapshot whose state is not a job state is ignored', async () => {
    const store = createInMemoryEventStore();
    const snapshots = createInMemorySnapshotStore();
    await snapshots.save({
      streamId: 'job-1',
      version: 0,
      snapshotVersion: JOB_SNAPSHOT_VERSION,
      state: { nope: true },
      idempotency: [],
      takenAt: '2026-01-02T03:04:05Z',
    });
    expect((await loadJob(store, 'job-1', { snapshots })).snapshot).toBe('stale');
  });

  it('the store keeps the newest snapshots and finds one at or before a version', async () => {
    const snapshots = createInMemorySnapshotStore({ keep: 2 });
    for (const version of [10, 30, 20]) {
      await snapshots.save({
        streamId: 's',
        version,
        snapshotVersion: 'v',
        state: {},
        idempotency: [],
        takenAt: '2026-01-02T03:04:05Z',
      });
    }
    expect((await snapshots.load('s'))?.version).toBe(30);
    expect((await snapshots.load('s', { atOrBefore: 25 }))?.version).toBe(20);
    expect(await snapshots.load('s', { atOrBefore: 15 })).toBeUndefined();
    expect(await snapshots.load('other')).toBeUndefined();
  });

  it('deserializing something that is not a state is INVALID_INPUT', () => {
    for (const bad of ['nope', '{}', '[]', '{"version":1}']) {
      try {
        deserializeState(bad);
        expect.unreachable();
      } catch (error) {
        expect(isDomainError(error) && error.code).toBe('INVALID_INPUT');
      }
    }
    expect(() => stateFromJson(null)).toThrow();
  });
});
