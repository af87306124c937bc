import { afterAll, beforeAll, describe } from 'vitest';
import { describeEventStoreContract } from '../store/contract.js';
import { openTestDatabase, skipPostgres, type TestDatabase } from './database.js';

describe.skipIf(skipPostgres)('PostgreSQL event store', () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await openTestDatabase('contract');
  });
  afterAll(async () => {
    await (db as TestDatabase | undefined)?.drop(); // unset when the set-up failed
  });

  describeEventStoreContract('PostgreSQL', async () => {
    await db.truncate();
    return { store: db.store() };
  });

  // Pages of two rows: every read in the contract crosses page boundaries.
  describeEventStoreContract('PostgreSQL, reading in pages of 2', async () => {
    await db.truncate();
    return { store: db.store({ batchSize: 2 }) };
  });
});
