import { afterAll, describe, expect, it } from 'vitest';
import pg from 'pg';
import { quickstart } from '../../examples/postgres-quickstart.js';
import { DATABASE_URL, schemaName, skipPostgres } from './database.js';

describe.skipIf(skipPostgres)('examples/postgres-quickstart.ts (docs/postgres.md)', () => {
  const schema = schemaName('example');
  let first = '';
  afterAll(async () => {
    const pool = new pg.Pool({ connectionString: DATABASE_URL, max: 1 });
    await pool.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
    await pool.end();
  });

  it('runs the logo job on PostgreSQL and releases the start fee', async () => {
    const summary = await quickstart(DATABASE_URL, schema);
    expect(summary.status).toBe('in-progress');
    expect(summary.totals).toEqual({
      contract: 15000,
      funded: 7500,
      held: 0,
      released: 7500,
      refunded: 0,
      fees: 0,
    });
    expect(summary.version).toBe(5);
    first = JSON.stringify(summary);
  });

  it('runs again on the same database, as a reader runs it twice: every command is a replay', async () => {
    const again = await quickstart(DATABASE_URL, schema);
    expect(again.version).toBe(5);
    // The same text, key for key: the replay's state is loaded from jsonb, which reorders keys.
    expect(JSON.stringify(again)).toBe(first);
    const pool = new pg.Pool({ connectionString: DATABASE_URL, max: 1 });
    try {
      const { rows } = await pool.query(`SELECT count(*)::int AS n FROM "${schema}".events`);
      expect(rows[0]).toEqual({ n: 5 }); // nothing appended twice
    } finally {
      await pool.end();
    }
  });
});

describe('docs/postgres.md', () => {
  it('quotes examples/postgres-quickstart.ts line for line (no drift)', async () => {
    const { readFileSync } = await import('node:fs');
    const doc = readFileSync(new URL('../../docs/postgres.md', import.meta.url), 'utf8');
    const example = readFileSync(
      new URL('../../examples/postgres-quickstart.ts', import.meta.url),
      'utf8',
    );
    const snippet = /## Quick start[\s\S]*?```ts\n([\s\S]*?)```/.exec(doc)?.[1] ?? '';
    const lines = snippet
      .split('\n')
      .filter((l) => l.trim() !== '' && !l.trim().startsWith('// ...'));
    expect(lines.length).toBeGreaterThan(10);
    const exampleLines = new Set(example.split('\n'));
    for (const line of lines) expect(exampleLines.has(line), line).toBe(true);
  });
});
