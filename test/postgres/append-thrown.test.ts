import { describe, expect, it } from 'vitest';
import { createPostgresEventStore, type PgQueryable } from '../../src/postgres/index.js';
import { revoked } from '../hardening/hostile.js';

/*
 * What a pool's query throws when it is not a pg error (a revoked proxy, an object with no
 * prototype): the store's append asked it `instanceof` (is the batch's outcome unknown?) and read
 * its `code`, both TypeErrors; in the batch queue the TypeError ended the queue's loop, and the
 * batch's appends never settled. No database: the pool is a stub.
 */

const thrown: Record<string, () => unknown> = {
  'a revoked proxy': revoked,
  'an object with no prototype': () => Object.create(null) as unknown,
};

/** How each promise ended, once every one has, or 'pending' for those still open after many turns. */
async function endings(promises: readonly Promise<unknown>[]): Promise<string[]> {
  const seen: string[] = promises.map(() => 'pending');
  promises.forEach((p, i) => {
    p.then(
      () => (seen[i] = 'resolved'),
      (error: unknown) =>
        (seen[i] =
          error instanceof TypeError ? 'TypeError' : error instanceof Error ? 'Error' : 'other'),
    );
  });
  for (let turn = 0; turn < 50 && seen.includes('pending'); turn++)
    await new Promise((resolve) => setImmediate(resolve));
  return seen;
}

describe('an append whose pool throws what is not a pg error', () => {
  for (const [name, make] of Object.entries(thrown)) {
    it(`${name}: every append of a batch, and one alone, rejects with an Error`, async () => {
      const pool: PgQueryable = {
        query: async () => {
          throw make();
        },
      };
      const store = createPostgresEventStore({ pool });
      const append = (stream: string) =>
        store.appendToStream(stream, [{ type: 'Counted', data: {} }], { expectedVersion: 'any' });
      expect(await endings(['a', 'b', 'c'].map(append))).toEqual(['Error', 'Error', 'Error']);
      expect(await endings([append('d')])).toEqual(['Error']);
    });
  }
});
