import { describe, expect, it } from 'vitest';
import { describeSnapshotStoreContract } from '../../src/store/index.js';
import { createPostgresSnapshotStore } from '../../src/postgres/snapshots.js';
import { skipPostgres, useTestDatabase } from './database.js';

/*
 * The snapshot store contract on PostgreSQL: the same cases as the in-memory store
 * (test/store/snapshot-contract.test.ts), so both keep and refuse the same snapshots alike
 * (hostile9's parity cases are the contract's "bad input").
 */
describe.skipIf(skipPostgres)('PostgreSQL snapshot store', () => {
  const db = useTestDatabase('snapshot_contract');

  for (const keep of [undefined, 2]) {
    describeSnapshotStoreContract(
      keep === undefined
        ? 'PostgreSQL (keep: 3, the default)'
        : `PostgreSQL, keep: ${String(keep)}`,
      async () => {
        await db.truncate();
        const options = { pool: db.pool, schema: db.schema };
        return {
          store: createPostgresSnapshotStore(keep === undefined ? options : { ...options, keep }),
          keep: keep ?? 3,
        };
      },
      { describe, it, expect },
    );
  }
});
