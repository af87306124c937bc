import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createCommandHandler, initialState, isDomainError } from '../../src/index.js';
import { createInMemoryEventStore } from '../../src/store/memory.js';
import {
  createInMemorySnapshotStore,
  prepareSnapshot,
  type Snapshot,
} from '../../src/store/snapshots.js';
import { numRuns } from '../domain/prop-support.js';
import { award, JOB } from '../app/histories.js';

/*
 * The handler's `snapshotVersion` option and a snapshot's `snapshotVersion` are one rule
 * (`isNameText`: 1–200 characters, counted as code points as every text limit is): a version the
 * handler takes is one every snapshot store keeps, and one the stores refuse the handler refuses
 * at creation. The handler counted UTF-16 units: 200 emoji were kept by both stores, and refused
 * by the handler.
 */

const EMOJI = '\u{1F600}';

/** Whether `run` is refused with INVALID_INPUT at `path` (anything else thrown fails the test). */
async function refusedAt(path: string, run: () => unknown): Promise<boolean> {
  try {
    await run();
    return false;
  } catch (error) {
    if (!isDomainError(error)) throw error;
    expect(error).toMatchObject({ code: 'INVALID_INPUT', details: { path } });
    return true;
  }
}

const snapshot = (snapshotVersion: string): Snapshot => ({
  streamId: 'job-1',
  version: 0,
  snapshotVersion,
  state: initialState(),
  idempotency: [],
  takenAt: '2014-11-03T09:00:00Z',
});

/** Whether the handler, the in-memory store and `prepareSnapshot` (PostgreSQL's) take it. */
async function takenBy(version: string): Promise<[boolean, boolean, boolean]> {
  const store = createInMemoryEventStore();
  return [
    !(await refusedAt('snapshotVersion', () =>
      createCommandHandler({ store, snapshotVersion: version }),
    )),
    !(await refusedAt('snapshot.snapshotVersion', () =>
      createInMemorySnapshotStore().save(snapshot(version)),
    )),
    !(await refusedAt('snapshot.snapshotVersion', () => prepareSnapshot(snapshot(version)))),
  ];
}

const EDGES: readonly (readonly [string, string, boolean])[] = [
  ['one letter', 'v', true],
  ['200 letters', 'v'.repeat(200), true],
  ['201 letters', 'v'.repeat(201), false],
  ['200 emoji (400 UTF-16 units: the handler refused it)', EMOJI.repeat(200), true],
  ['201 emoji', EMOJI.repeat(201), false],
  ['199 emoji and 2 letters', `${EMOJI.repeat(199)}vv`, false],
  ['empty', '', false],
  ['holding U+0000', 'v\u0000', false],
  ['holding a lone high surrogate', 'v\ud800', false],
  ['holding a lone low surrogate', '\udc00v', false],
];

describe("the handler's snapshotVersion and the snapshot stores' are one rule", () => {
  it.each(EDGES)('%s: taken by all or by none', async (_, version, taken) => {
    expect(await takenBy(version)).toEqual([taken, taken, taken]);
  });

  it('property: a version the handler takes is one the snapshot stores take, and the other way round', async () => {
    const text = fc.oneof(
      fc.string({ unit: 'binary', maxLength: 210 }),
      fc.string({ unit: 'grapheme', maxLength: 210 }),
      // Around the limit, where UTF-16 units and code points part: letters and emoji.
      fc.string({ unit: fc.constantFrom('v', EMOJI), minLength: 100, maxLength: 205 }),
      fc.string({ unit: fc.constantFrom('v', EMOJI, '\u0000', '\ud800'), maxLength: 205 }),
    );
    await fc.assert(
      fc.asyncProperty(text, async (version) => {
        const [handler, memory, prepared] = await takenBy(version);
        expect([memory, prepared]).toEqual([handler, handler]);
      }),
      { numRuns: numRuns(300) },
    );
  });

  it('a handler whose version is 200 emoji takes snapshots that it loads again', async () => {
    const store = createInMemoryEventStore();
    const snapshots = createInMemorySnapshotStore();
    const options = { store, snapshots, snapshotEvery: 1, snapshotVersion: EMOJI.repeat(200) };
    const first = createCommandHandler(options);
    await first.handle(JOB, award());
    const kept = await snapshots.load(first.streamIdOf(JOB));
    expect(kept?.snapshotVersion).toBe(EMOJI.repeat(200));
    const loaded = await createCommandHandler(options).load(JOB);
    expect(loaded).toMatchObject({ version: 1, snapshot: 'used' });
  });
});
