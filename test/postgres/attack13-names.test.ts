import { describe, expect, it } from 'vitest';
import { createPostgresConsumer } from '../../src/postgres/consumer.js';
import { skipPostgres, useTestDatabase } from './database.js';

/*
 * A consumer's name is checked by isNameText (1–200 code points, well-formed, no U+0000): every
 * name it lets through must be one the checkpoint table (a text primary key) and the advisory
 * lock's key take, and come back as it went in. The longest in bytes: 200 astral characters
 * (800 bytes of UTF-8, well under a btree entry's limit); noncharacters and a BOM are text too.
 */

describe.skipIf(skipPostgres)('attack13: consumer names at the edge of isNameText', () => {
  const db = useTestDatabase('attack13_names', {
    poolSize: 4,
    live: true,
    prepare: (db) =>
      db.store().appendToStream('s', [{ type: 'Counted', data: {} }], { expectedVersion: 'any' }),
  });

  it.each([
    ['200 astral characters', '😀'.repeat(200)],
    ['noncharacters and a BOM', '\uFFFF\uFFFE\uFEFF\u{10FFFF}'],
    ['one space', ' '],
  ])('%s: handled, its checkpoint row keeps the name as given', async (_, name) => {
    const consumer = createPostgresConsumer({
      name,
      store: db.store(),
      pool: db.pool,
      schema: db.schema,
      handle: async () => undefined,
    });
    try {
      expect(await consumer.step()).toEqual({ kind: 'handled', events: 1, position: 1 });
      expect(await consumer.checkpoint()).toBe(1);
      const { rows } = await db.pool.query<{ name: string }>(
        `SELECT name FROM "${db.schema}".consumer_checkpoints WHERE position = 1 AND name = $1`,
        [name],
      );
      expect(rows.map((r) => r.name)).toEqual([name]);
    } finally {
      await consumer.stop();
    }
  });
});
