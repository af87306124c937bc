import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCommandHandler, isDomainError } from '../../src/index.js';
import { createInMemoryEventStore } from '../../src/store/memory.js';
import {
  createInMemorySnapshotStore,
  JOB_SNAPSHOT_VERSION,
  type Snapshot,
  type SnapshotStore,
} from '../../src/store/snapshots.js';
import { createPostgresSnapshotStore } from '../../src/postgres/snapshots.js';
import type { JobState } from '../../src/domain/state.js';
import { jobCommands } from '../../examples/live/jobs.js';
import { openTestDatabase, skipPostgres, type TestDatabase } from './database.js';

/*
 * The in-memory and the PostgreSQL snapshot stores given the same hostile snapshots (hostile9):
 * each is kept by both or refused by both with INVALID_INPUT at the same path. The in-memory store
 * kept a version of NaN, -1, 1.5 or "8", a NUL and a lone surrogate; PostgreSQL failed on them
 * with a driver's error or a TypeError, read a lone surrogate back as U+FFFD (another stream's
 * snapshot, another snapshot version) and a number as text.
 */

/** What a save and a load back came to: the same in every store. */
type Outcome = string;

async function outcome(store: SnapshotStore, snapshot: unknown): Promise<Outcome> {
  try {
    await store.save(snapshot as Snapshot);
  } catch (error) {
    if (!isDomainError(error)) return `not a DomainError: ${String(error)}`;
    return `${error.code} at ${String(error.details.path)}`;
  }
  const streamId = (snapshot as Snapshot).streamId;
  const loaded = await store.load(streamId);
  if (loaded === undefined) return 'saved, not found';
  const { version, snapshotVersion, takenAt } = loaded;
  // jsonb keeps no key order (docs/postgres.md): the records' keys sorted.
  const idempotency = loaded.idempotency.map((r) => Object.entries(r).sort());
  return `saved: ${JSON.stringify({ version, snapshotVersion, takenAt, idempotency })}`;
}

describe.skipIf(skipPostgres)('the snapshot stores agree on hostile snapshots', () => {
  let db: TestDatabase;
  let base: Snapshot;
  beforeAll(async () => {
    db = await openTestDatabase('snapshot_parity');
    const handler = createCommandHandler({ store: createInMemoryEventStore() });
    let state: JobState | undefined;
    for (const command of jobCommands('j', 0)) state = (await handler.handle('j', command)).state;
    base = {
      streamId: 'job-j',
      version: state?.version ?? 0,
      snapshotVersion: JOB_SNAPSHOT_VERSION,
      state,
      idempotency: [{ key: 'k1', commandHash: 'a'.repeat(64), from: 1, to: 1 }],
      takenAt: '2026-01-01T00:00:00Z',
    };
  });
  afterAll(async () => {
    await db.drop();
  });

  /** Both stores' outcomes for the snapshot `patch` makes of a valid one. */
  async function both(patch: (snapshot: Snapshot) => unknown) {
    await db.truncate();
    const snapshot = patch(base);
    return {
      memory: await outcome(createInMemorySnapshotStore(), snapshot),
      postgres: await outcome(
        createPostgresSnapshotStore({ pool: db.pool, schema: db.schema }),
        snapshot,
      ),
    };
  }

  it('a valid snapshot is kept and read back the same by both', async () => {
    const result = await both((s) => s);
    expect(result.memory).toMatch(/^saved: /);
    expect(result.postgres).toBe(result.memory);
  });

  const cyclic: Record<string, unknown> = {};
  cyclic['self'] = cyclic;
  it.each([
    ['a stream id with a lone surrogate', { streamId: 'job-\ud800' }, 'streamId'],
    ['a stream id with U+0000', { streamId: 'job-\u0000' }, 'streamId'],
    ['a stream id of 256 characters', { streamId: 'x'.repeat(256) }, 'streamId'],
    ['a stream id that is a number', { streamId: 7 }, 'streamId'],
    ['a version of NaN', { version: Number.NaN }, 'snapshot.version'],
    ['a version of -1', { version: -1 }, 'snapshot.version'],
    ['a version of 1.5', { version: 1.5 }, 'snapshot.version'],
    ['a version of 2^31', { version: 2 ** 31 }, 'snapshot.version'],
    ['a version that is a string', { version: '8' }, 'snapshot.version'],
    ['a snapshotVersion with U+0000', { snapshotVersion: 'v\u0000' }, 'snapshot.snapshotVersion'],
    [
      'a snapshotVersion with a lone surrogate',
      { snapshotVersion: 'v\udc00' },
      'snapshot.snapshotVersion',
    ],
    ['a snapshotVersion that is a number', { snapshotVersion: 6 }, 'snapshot.snapshotVersion'],
    ['a takenAt with U+0000', { takenAt: '\u0000' }, 'snapshot.takenAt'],
    ['a takenAt that is a number (PostgreSQL kept "5")', { takenAt: 5 }, 'snapshot.takenAt'],
    [
      'idempotency records with a BigInt',
      { idempotency: [{ key: 'k', commandHash: 'h', from: 1n, to: 1 }] },
      'snapshot.idempotency',
    ],
    [
      'idempotency records with U+0000',
      { idempotency: [{ key: 'k\u0000', commandHash: 'h', from: 1, to: 1 }] },
      'snapshot.idempotency',
    ],
    ['cyclic idempotency records', { idempotency: [cyclic] }, 'snapshot.idempotency'],
  ] as [string, Record<string, unknown>, string][])(
    '%s is INVALID_INPUT in both',
    async (_, fields, path) => {
      expect(await both((s) => ({ ...s, ...fields }))).toEqual({
        memory: `INVALID_INPUT at ${path}`,
        postgres: `INVALID_INPUT at ${path}`,
      });
    },
  );

  it.each([
    ['null', null],
    ['a string', 'snapshot'],
    [
      'an object whose streamId getter throws',
      Object.defineProperty({}, 'streamId', {
        get() {
          throw new Error('getter');
        },
      }),
    ],
  ])(
    'a snapshot that is %s is INVALID_INPUT in both (PostgreSQL: a TypeError)',
    async (_, value) => {
      const result = await both(() => value);
      expect(result.memory).toMatch(/^INVALID_INPUT/);
      expect(result.postgres).toBe(result.memory);
    },
  );

  it("loading a stream id with a lone surrogate finds nothing in both (PostgreSQL gave job-\\ufffd's snapshot)", async () => {
    await db.truncate();
    for (const store of [
      createInMemorySnapshotStore(),
      createPostgresSnapshotStore({ pool: db.pool, schema: db.schema }),
    ]) {
      await store.save({ ...base, streamId: 'job-\ufffd' });
      expect(await store.load('job-\ufffd')).toBeDefined();
      expect(await store.load('job-\ud800')).toBeUndefined();
      expect(await store.load('job-\u0000')).toBeUndefined();
    }
  });
});
