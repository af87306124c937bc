import { describe, expect, it } from 'vitest';
import {
  createInMemoryEventStore,
  createInMemorySnapshotStore,
  initialState,
} from '../../src/index.js';
import {
  JOB_SNAPSHOT_VERSION,
  prepareSnapshot,
  stateFromJson,
  type Snapshot,
} from '../../src/store/index.js';
import { refusal, revoked } from './hostile.js';

/*
 * The hostile sweep of session 11: a revoked proxy (or one whose every trap throws) where a
 * snapshot's stream id, its state or an append's expected version goes. Each threw a TypeError
 * or the trap's own error before: the error message was written with Object.prototype.toString,
 * and a state was asked for the library's own mark with hasOwnProperty, both of which throw on
 * such a proxy.
 */

const trap = (): never => {
  throw new Error('a trap that throws');
};
const throwingEverywhere = (): object =>
  new Proxy({}, { get: trap, has: trap, ownKeys: trap, getOwnPropertyDescriptor: trap });

const hostile: Record<string, () => object> = {
  'a revoked proxy': revoked,
  'a proxy whose every trap throws': throwingEverywhere,
};

/** A valid snapshot with `fields` over it (a field of the wrong kind is the point). */
const snapshot = (fields: Record<string, unknown>): Snapshot => {
  const valid: Snapshot = {
    streamId: 'job-1',
    version: 1,
    snapshotVersion: JOB_SNAPSHOT_VERSION,
    state: initialState(),
    idempotency: [],
    takenAt: '2014-11-03T09:00:00Z',
  };
  return Object.assign(valid, fields);
};

describe('a proxy that cannot be read, where a store or a snapshot reader looks', () => {
  for (const [what, make] of Object.entries(hostile)) {
    it(`${what} as a snapshot's stream id is INVALID_INPUT at snapshot.streamId`, async () => {
      expect(await refusal(() => prepareSnapshot(snapshot({ streamId: make() })))).toEqual([
        'INVALID_INPUT',
        'snapshot.streamId',
      ]);
    });

    it(`${what} as an append's expected version is INVALID_INPUT at expectedVersion`, async () => {
      const store = createInMemoryEventStore();
      const appended = () =>
        store.appendToStream('job-1', [{ type: 'Noted', data: {} }], {
          expectedVersion: make() as never,
        });
      expect(await refusal(appended)).toEqual(['INVALID_INPUT', 'expectedVersion']);
      const kept: unknown[] = [];
      for await (const event of store.readAll()) kept.push(event);
      expect(kept).toEqual([]);
    });

    it(`${what} as a snapshot's state is INVALID_INPUT at snapshot.state, in the in-memory store too`, async () => {
      const store = createInMemorySnapshotStore();
      expect(await refusal(() => store.save(snapshot({ state: make() })))).toEqual([
        'INVALID_INPUT',
        'snapshot.state',
      ]);
      expect(await store.load('job-1')).toBe(undefined);
      expect(await refusal(() => prepareSnapshot(snapshot({ state: make() })))).toEqual([
        'INVALID_INPUT',
        'snapshot.state',
      ]);
    });

    it(`${what} read back as a state (stateFromJson) is INVALID_INPUT`, async () => {
      expect(await refusal(() => stateFromJson(make()))).toEqual(['INVALID_INPUT', 'state']);
    });
  }
});
