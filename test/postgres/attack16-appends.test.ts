import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPostgresEventStore } from '../../src/postgres/index.js';
import type { EventStore, RecordedEvent } from '../../src/store/port.js';
import { refusal, revoked, typeThatChanges } from '../hardening/hostile.js';
import { DATABASE_URL, openTestDatabase, skipPostgres, type TestDatabase } from './database.js';

/*
 * test/hardening/attack16-appends.test.ts on PostgreSQL, on a pool and on a single pg.Client:
 * the events as a revoked proxy were a TypeError, and an event's `type` getter that answered
 * 'Counted' then 42 had the text "42" stored (the in-memory store stored the number).
 */

describe.skipIf(skipPostgres)('the PostgreSQL store given hostile events', () => {
  let db: TestDatabase;
  let client: pg.Client;
  const stores: Record<string, () => EventStore> = {
    'a pool': () => db.store(),
    'a pg.Client': () => createPostgresEventStore({ pool: client, schema: db.schema }),
  };
  beforeAll(async () => {
    db = await openTestDatabase('attack16_appends', 2);
    client = new pg.Client({ connectionString: DATABASE_URL });
    await client.connect();
  });
  afterAll(async () => {
    await (client as pg.Client | undefined)?.end();
    await (db as TestDatabase | undefined)?.drop(); // unset when the set-up failed
  });

  for (const [on, store] of Object.entries(stores)) {
    it(`on ${on}: a revoked proxy as the events is INVALID_INPUT at events`, async () => {
      const id = `revoked-${on}`;
      expect(
        await refusal(() =>
          store().appendToStream(id, revoked() as never, { expectedVersion: 'any' }),
        ),
      ).toEqual(['INVALID_INPUT', 'events']);
      expect(await store().streamVersion(id)).toBe(0);
    });

    it(`on ${on}: an event's type is read once, the type checked is the type stored`, async () => {
      const id = `type-${on}`;
      await store().appendToStream(id, [typeThatChanges()], { expectedVersion: 'any' });
      const read: RecordedEvent[] = [];
      for await (const event of store().readStream(id)) read.push(event);
      expect(read.map((event) => event.type)).toEqual(['Counted']);
    });
  }
});
