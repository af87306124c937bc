import { afterAll, describe, expect, it } from 'vitest';
import pg from 'pg';
import { quickstart } from '../../examples/postgres-quickstart.js';
import { DATABASE_URL, schemaName, skipPostgres } from './database.js';

describe.skipIf(skipPostgres)('examples/postgres-quickstart.ts (docs/postgres.md)', () => {
  const schema = schemaName('example');
  afterAll(async () => {
    const pool = new pg.Pool({ connectionString: DATABASE_URL, max: 1 });
    await pool.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
    await pool.end();
  });

  it('runs the logo job on PostgreSQL and releases the start fee', async () => {
    const summary = await quickstart(DATABASE_URL, schema);
    expect(summary.status).toBe('in-progress');
    expect(summary.totals).toEqual({ contract: 15000, funded: 7500, held: 0, released: 7500, refunded: 0 });
    expect(summary.version).toBe(5);
  });
});
