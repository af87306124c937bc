import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { fold } from '../../src/domain/decider.js';
import type { JobEvent } from '../../src/domain/events.js';
import { createCommandHandler } from '../../src/handler/command-handler.js';
import { loadJob } from '../../src/handler/load.js';
import { isDomainError } from '../../src/domain/shared/errors.js';
import { createPostgresSnapshotStore } from '../../src/postgres/index.js';
import { JOB_SNAPSHOT_VERSION, serializeState, stateFromJson } from '../../src/store/snapshots.js';
import { histories, JOB } from '../app/histories.js';
import { skipPostgres, useTestDatabase } from './database.js';

describe.skipIf(skipPostgres)('PostgreSQL snapshot store', () => {
  const db = useTestDatabase('snapshots', { truncate: true });

  it('keeps the newest snapshots of each stream and finds one at or before a version', async () => {
    const snapshots = createPostgresSnapshotStore({ pool: db.pool, schema: db.schema, keep: 2 });
    for (const version of [10, 30, 20]) {
      await snapshots.save({
        streamId: 's',
        version,
        snapshotVersion: 'v',
        state: { version },
        idempotency: [],
        takenAt: `2026-01-02T03:04:${String(version)}Z`,
      });
    }
    // The state comes back as the JSON text written (the handler parses it once, in place).
    expect(await snapshots.load('s')).toEqual({
      streamId: 's',
      version: 30,
      snapshotVersion: 'v',
      state: '{"version":30}',
      idempotency: [],
      takenAt: '2026-01-02T03:04:30Z',
    });
    expect((await snapshots.load('s', { atOrBefore: 25 }))?.version).toBe(20);
    expect(await snapshots.load('s', { atOrBefore: 15 })).toBeUndefined();
    expect(await snapshots.load('other')).toBeUndefined();
    // Saving a version again replaces it.
    await snapshots.save({
      streamId: 's',
      version: 30,
      snapshotVersion: 'w',
      state: { again: true },
      idempotency: [],
      takenAt: '2026-01-03T00:00:00+01:00',
    });
    expect(await snapshots.load('s')).toMatchObject({
      version: 30,
      snapshotVersion: 'w',
      state: '{"again":true}',
    });
    const { rows } = await db.pool.query(
      `SELECT version FROM "${db.schema}".snapshots ORDER BY version`,
    );
    expect(rows).toEqual([{ version: 20 }, { version: 30 }]);
  });

  it("rejects a state JSON cannot write with INVALID_INPUT, as the in-memory store does (JSON's TypeError)", async () => {
    const snapshots = createPostgresSnapshotStore({ pool: db.pool, schema: db.schema });
    const saved = await snapshots
      .save({
        streamId: 's',
        version: 1,
        snapshotVersion: 'v',
        state: 10n,
        idempotency: [],
        takenAt: '2026-01-02T03:04:05Z',
      })
      .then(
        () => 'saved',
        (error: unknown) => error,
      );
    expect(isDomainError(saved) && saved.details.path).toBe('snapshot.state');
    expect(await snapshots.load('s')).toBeUndefined();
  });

  it("keeps a state given as JSON text (a store's load hands it out so) as that state, as the in-memory store does", async () => {
    const snapshots = createPostgresSnapshotStore({ pool: db.pool, schema: db.schema });
    const { events } = fc.sample(histories(20), { numRuns: 1, seed: 7 })[0]!;
    const text = serializeState(fold(events));
    await snapshots.save({
      streamId: 's',
      version: events.length,
      snapshotVersion: 'v',
      state: text,
      idempotency: [],
      takenAt: '2026-01-02T03:04:05Z',
    });
    // It was written as a JSON string, which no reader took for a state.
    expect((await snapshots.load('s'))?.state).toBe(text);
  });

  it('property: a state comes back exactly as saved, key order included', async () => {
    const snapshots = createPostgresSnapshotStore({ pool: db.pool, schema: db.schema });
    let run = 0;
    await fc.assert(
      fc.asyncProperty(histories(30), fc.nat(), async ({ events }, n) => {
        const streamId = `job-${String(run++)}`;
        const at = n % (events.length + 1);
        const state = fold(events.slice(0, at));
        const idempotency = [{ key: 'k', commandHash: 'h', from: 1, to: 1 }];
        await snapshots.save({
          streamId,
          version: at,
          snapshotVersion: JOB_SNAPSHOT_VERSION,
          state,
          idempotency,
          takenAt: '2014-11-03T09:00:00Z',
        });
        const loaded = await snapshots.load(streamId);
        expect(loaded?.version).toBe(at);
        expect(loaded?.idempotency).toEqual(idempotency);
        expect(loaded?.state).toBe(serializeState(state));
        expect(serializeState(stateFromJson(loaded?.state))).toBe(serializeState(state));
      }),
      { numRuns: 25 },
    );
  });

  it('the command handler on PostgreSQL events and snapshots: loading from a snapshot is the full fold', async () => {
    const store = db.store();
    const snapshots = createPostgresSnapshotStore({ pool: db.pool, schema: db.schema });
    const handler = createCommandHandler({
      store,
      snapshots,
      snapshotEvery: 4,
      onSnapshotError: (e) => expect.fail(String(e)),
    });
    const samples = fc.sample(histories(30), { seed: 42, numRuns: 6 });
    for (const [i, { events, commands }] of samples.entries()) {
      const jobId = `${JOB}-${String(i)}`;
      const retarget = (c: (typeof commands)[number]) =>
        c.type === 'AwardJob' ? { ...c, data: { ...c.data, jobId } } : c;
      for (const command of commands) await handler.handle(jobId, retarget(command));
      const streamId = handler.streamIdOf(jobId);
      const stored: JobEvent[] = [];
      for await (const e of store.readStream(streamId))
        stored.push({ type: e.type, data: e.data } as JobEvent);
      const expected = events.map((e) =>
        e.type === 'JobAwarded' ? { ...e, data: { ...e.data, jobId } } : e,
      );
      expect(stored).toEqual(expected);
      const loaded = await loadJob(store, streamId, { snapshots });
      expect(loaded.snapshot).toBe(events.length >= 4 ? 'used' : 'none');
      // Equal, though not in key order: event data comes back from JSONB with its keys reordered.
      expect(loaded.state).toEqual(fold(expected));
    }
  });
});
