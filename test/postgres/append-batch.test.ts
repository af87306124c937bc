import { describe, expect, it } from 'vitest';
import { isDomainError } from '../../src/index.js';
import { createPostgresEventStore, type PgQueryable } from '../../src/postgres/index.js';
import type { AppendResult } from '../../src/store/port.js';
import { skipPostgres, useTestDatabase } from './database.js';

/*
 * The appends one store receives while a statement is in flight go together in the next one
 * (src/postgres/append-batch.ts). Each keeps its own expected version and its own outcome: one
 * conflict or one unstorable event fails that append only.
 */

describe.skipIf(skipPostgres)(
  'PostgreSQL: concurrent appends of one store share a statement',
  () => {
    const db = useTestDatabase('batch', { poolSize: 4 });

    function counted(): { pool: PgQueryable; appends: () => number } {
      let appends = 0;
      return {
        pool: {
          query(text, values) {
            if (text.includes('INSERT INTO')) appends += 1;
            return db.pool.query(text, values);
          },
        },
        appends: () => appends,
      };
    }

    it('sixteen concurrent appends take fewer statements, each gets its own positions', async () => {
      const { pool, appends } = counted();
      const store = createPostgresEventStore({ pool, schema: db.schema });
      const results = await Promise.all(
        Array.from({ length: 16 }, (_, w) =>
          store.appendToStream(
            `batch-${String(w)}`,
            Array.from({ length: 1 + (w % 3) }, (__, k) => ({ type: 'Written', data: { w, k } })),
            { expectedVersion: 'no-stream' },
          ),
        ),
      );
      expect(appends()).toBeLessThan(16);
      results.forEach((r, w) => {
        expect(r.nextExpectedVersion).toBe(1 + (w % 3));
      });
      // Global positions: every event one, none shared, each append's last is its own.
      const all = [];
      for await (const e of store.readAll()) all.push(e);
      expect(all.map((e) => e.metadata.globalPosition)).toEqual(all.map((_, i) => i + 1));
      for (const [w, r] of results.entries()) {
        const last = all.filter((e) => e.metadata.streamId === `batch-${String(w)}`).at(-1);
        expect(last?.metadata.globalPosition).toBe(r.lastGlobalPosition);
      }
    });

    it('a conflict in a batch fails that append only', async () => {
      const store = db.store();
      await store.appendToStream('taken', [{ type: 'Written', data: 0 }], {
        expectedVersion: 'no-stream',
      });
      const settled = await Promise.allSettled([
        store.appendToStream('free-1', [{ type: 'Written', data: 1 }], { expectedVersion: 0 }),
        store.appendToStream('free-2', [{ type: 'Written', data: 2 }], { expectedVersion: 0 }),
        store.appendToStream('taken', [{ type: 'Written', data: 3 }], { expectedVersion: 0 }),
        store.appendToStream('free-3', [{ type: 'Written', data: 4 }], { expectedVersion: 'any' }),
      ]);
      expect(settled.map((s) => s.status)).toEqual([
        'fulfilled',
        'fulfilled',
        'rejected',
        'fulfilled',
      ]);
      const rejected = settled[2] as PromiseRejectedResult;
      expect(isDomainError(rejected.reason) && rejected.reason.code).toBe('CONCURRENCY_CONFLICT');
      expect(isDomainError(rejected.reason) && rejected.reason.details['actualVersion']).toBe(1);
      expect(await store.streamVersion('taken')).toBe(1);
      expect(await store.streamVersion('free-3')).toBe(1);
    });

    it('two appends to one stream in flight together: the second sees the first', async () => {
      const store = db.store();
      const settled = await Promise.allSettled([
        store.appendToStream('pair', [{ type: 'Written', data: 1 }], {
          expectedVersion: 'no-stream',
        }),
        store.appendToStream('pair', [{ type: 'Written', data: 2 }], {
          expectedVersion: 'no-stream',
        }),
        store.appendToStream('pair', [{ type: 'Written', data: 3 }], { expectedVersion: 'any' }),
      ]);
      expect(settled.map((s) => s.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
      expect((settled[2] as PromiseFulfilledResult<AppendResult>).value.nextExpectedVersion).toBe(
        2,
      );
    });

    it('an event PostgreSQL cannot store fails its own append, not the batch it came in', async () => {
      const store = db.store();
      // The first append goes alone; the three behind it share the next statement.
      const settled = await Promise.allSettled([
        store.appendToStream('lead', [{ type: 'Written', data: 0 }], { expectedVersion: 'any' }),
        store.appendToStream('ok-1', [{ type: 'Written', data: 'fine' }], {
          expectedVersion: 'any',
        }),
        store.appendToStream('bad', [{ type: 'Written', data: 'nul \u0000 here' }], {
          expectedVersion: 'any',
        }),
        store.appendToStream('ok-2', [{ type: 'Written', data: 'fine' }], {
          expectedVersion: 'any',
        }),
      ]);
      expect(settled.map((s) => s.status)).toEqual([
        'fulfilled',
        'fulfilled',
        'rejected',
        'fulfilled',
      ]);
      const rejected = settled[2] as PromiseRejectedResult;
      expect(isDomainError(rejected.reason) && rejected.reason.code).toBe('INVALID_INPUT');
      expect(await store.streamVersion('bad')).toBe(0);
    });
  },
);
