import fc from 'fast-check';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { fold, type JobEvent } from '../../src/index.js';
import { loadJob } from '../../src/handler/load.js';
import { createInMemoryEventStore } from '../../src/store/memory.js';
import { createInMemorySnapshotStore, JOB_SNAPSHOT_VERSION } from '../../src/store/snapshots.js';
import { histories } from '../app/histories.js';

describe('loading a job from a store', () => {
  it('property: time travel by position, with or without a snapshot before it, = fold of the prefix', async () => {
    await fc.assert(
      fc.asyncProperty(histories(20), fc.nat(), fc.nat(), async ({ events }, p, q) => {
        const store = createInMemoryEventStore();
        await store.appendToStream('job-1', events, { expectedVersion: 'no-stream' });
        const position = p % (events.length + 1);
        const snapshotAt = q % (events.length + 1);
        const snapshots = createInMemorySnapshotStore();
        await snapshots.save({
          streamId: 'job-1',
          version: snapshotAt,
          snapshotVersion: JOB_SNAPSHOT_VERSION,
          state: fold(events.slice(0, snapshotAt)),
          idempotency: [],
          takenAt: '2026-01-02T03:04:05Z',
        });
        const loaded = await loadJob(store, 'job-1', { snapshots, until: { position } });
        expect(loaded.state).toEqual(fold(events.slice(0, position)));
        expect(loaded.version).toBe(position);
        expect(loaded.snapshot).toBe(snapshotAt <= position ? 'used' : 'none');
      }),
      { numRuns: 60 },
    );
  });

  it('property: time travel by instant = fold of the events at or before it', async () => {
    await fc.assert(
      fc.asyncProperty(histories(20), fc.nat(), async ({ events }, n) => {
        const store = createInMemoryEventStore();
        await store.appendToStream('job-1', events, { expectedVersion: 'no-stream' });
        const instant = (events[n % events.length] as JobEvent).data.at;
        const loaded = await loadJob(store, 'job-1', { until: { at: instant }, verify: true });
        expect(loaded.state).toEqual(
          fold(events.filter((e) => Date.parse(e.data.at) <= Date.parse(instant))),
        );
      }),
      { numRuns: 40 },
    );
  });

  it('verify: a store holding a broken history is caught, naming the position', async () => {
    const store = createInMemoryEventStore();
    await store.appendToStream(
      'job-1',
      [
        {
          type: 'FundsReleased',
          data: { milestoneId: 'm1', amount: 1, at: '2014-11-03T09:00:00Z' },
        },
      ],
      { expectedVersion: 'no-stream' },
    );
    await expect(loadJob(store, 'job-1', { verify: true })).rejects.toMatchObject({
      code: 'INVALID_HISTORY',
      details: { position: 1 },
    });
  });
});

describe('layering', () => {
  it('the domain imports nothing outside src/domain but immer and valibot', () => {
    const root = join(import.meta.dirname, '..', '..', 'src', 'domain');
    const files = readdirSync(root, { recursive: true, encoding: 'utf8' }).filter((f) =>
      f.endsWith('.ts'),
    );
    expect(files.length).toBeGreaterThan(10);
    for (const file of files) {
      const depth = file.split(/[\\/]/).length - 1;
      // Code only: the TSDoc @examples import the package by its name, as a user does.
      const code = readFileSync(join(root, file), 'utf8').replace(/\/\*[\s\S]*?\*\//g, '');
      for (const [, spec] of code.matchAll(/from '([^']+)'/g)) {
        const ok =
          spec === 'immer' ||
          spec === 'valibot' ||
          (spec?.startsWith('.') === true && !spec.startsWith('../'.repeat(depth + 1)));
        expect(ok, `${file} imports ${String(spec)}`).toBe(true);
      }
    }
  });
});
