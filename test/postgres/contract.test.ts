import { describe, expect, it } from 'vitest';
import { describeEventStoreContract } from '../../src/store/index.js';
import { skipPostgres, useTestDatabase } from './database.js';

describe.skipIf(skipPostgres)('PostgreSQL event store', () => {
  const db = useTestDatabase('contract');

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
