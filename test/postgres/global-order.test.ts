import { describe, expect, it } from 'vitest';
import type { EventToAppend, ExpectedVersion, RecordedEvent } from '../../src/store/port.js';
import { skipPostgres, useTestDatabase } from './database.js';

/*
 * A reader following the global order (a projection, a subscription) while writers append. A
 * database sequence would hand out global positions at INSERT time and let the transactions
 * commit in any order: a reader could see position 8 committed, move its checkpoint past 7, and
 * never see 7 when it commits a moment later. The store assigns positions under the counter's row
 * lock and commits before the next append takes its positions, so what a reader can see is always
 * a prefix of the global order. A trigger here sleeps a random 0-4 ms inside every append, between
 * taking the positions and committing, to widen the window a sequence would fall into.
 */

describe.skipIf(skipPostgres)(
  'PostgreSQL: a reader following the global order while writers append',
  () => {
    const db = useTestDatabase('order', {
      poolSize: 12,
      prepare: (db) =>
        db.pool.query(`
      CREATE FUNCTION "${db.schema}".jitter() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN PERFORM pg_sleep(random() * 0.004); RETURN NULL; END $$;
      CREATE TRIGGER jitter AFTER INSERT ON "${db.schema}".events
        FOR EACH STATEMENT EXECUTE FUNCTION "${db.schema}".jitter();`),
    });

    it('sees every event exactly once, in global order, with no position skipped', async () => {
      const store = db.store({ batchSize: 16 });
      const writers = 6;
      const appendsPerWriter = 30;
      let writing = true;
      let appended = 0;

      const write = async (w: number): Promise<void> => {
        let version: ExpectedVersion = 'no-stream';
        for (let i = 0; i < appendsPerWriter; i++) {
          const size = 1 + ((w + i) % 3);
          const events: EventToAppend[] = Array.from({ length: size }, (_, k) => ({
            type: 'Written',
            data: { w, i, k },
          }));
          if (i % 3 === 2) {
            await store.appendToStream('job-shared', events, { expectedVersion: 'any' });
          } else {
            version = (
              await store.appendToStream(`job-${String(w)}`, events, { expectedVersion: version })
            ).nextExpectedVersion;
          }
          appended += size;
        }
      };

      const seen: RecordedEvent[] = [];
      let polls = 0;
      const follow = async (): Promise<void> => {
        let checkpoint = 0;
        const poll = async () => {
          polls += 1;
          for await (const e of store.readAll({ after: checkpoint })) {
            seen.push(e);
            checkpoint = e.metadata.globalPosition;
          }
        };
        while (writing) {
          await poll();
          await new Promise((resolve) => setTimeout(resolve, 1));
        }
        await poll();
      };

      const reader = follow();
      await Promise.all(Array.from({ length: writers }, (_, w) => write(w)));
      writing = false;
      await reader;

      expect(appended).toBe(writers * (10 + 20 + 30)); // sizes cycle 1, 2, 3
      expect(polls).toBeGreaterThan(5);
      // Exactly once, in order, nothing skipped: the positions the reader saw are 1..N.
      expect(seen.map((e) => e.metadata.globalPosition)).toEqual(
        Array.from({ length: appended }, (_, i) => i + 1),
      );
      const all = [];
      for await (const e of store.readAll()) all.push(e.metadata.eventId);
      expect(seen.map((e) => e.metadata.eventId)).toEqual(all);
      // Each stream in its own order, each batch contiguous.
      const byStream = new Map<string, number[]>();
      for (const e of seen)
        byStream.set(e.metadata.streamId, [
          ...(byStream.get(e.metadata.streamId) ?? []),
          e.metadata.streamPosition,
        ]);
      for (const positions of byStream.values())
        expect(positions).toEqual(positions.map((_, i) => i + 1));
    });
  },
);
