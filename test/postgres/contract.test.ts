import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { describeEventStoreContract } from '../../src/store/index.js';
import { openTestDatabase, skipPostgres, type TestDatabase } from './database.js';

describe.skipIf(skipPostgres)('PostgreSQL event store', () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await openTestDatabase('contract');
  });
  afterAll(async () => {
    await (db as TestDatabase | undefined)?.drop(); // unset when the set-up failed
  });

  describeEventStoreContract(
    'PostgreSQL',
    async () => {
      await db.truncate();
      return { store: db.store() };
    },
    { describe, it, expect },
  );

  // Pages of two rows: every read in the contract crosses page boundaries.
  describeEventStoreContract(
    'PostgreSQL, reading in pages of 2',
    async () => {
      await db.truncate();
      return { store: db.store({ batchSize: 2 }) };
    },
    { describe, it, expect },
  );
});
