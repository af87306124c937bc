import { describe, expect, it } from 'vitest';
import pg from 'pg';
import { isDomainError } from '../../src/domain/shared/errors.js';
import {
  createPostgresEventStore,
  migrationSql,
  type PgQueryable,
} from '../../src/postgres/index.js';
import type { EventToAppend, RecordedEvent } from '../../src/store/port.js';
import { DATABASE_URL, schemaName, skipPostgres, useTestDatabase } from './database.js';

async function collect(events: AsyncIterable<RecordedEvent>): Promise<RecordedEvent[]> {
  const out: RecordedEvent[] = [];
  for await (const e of events) out.push(e);
  return out;
}

const ev = (n: number): EventToAppend => ({ type: 'Counted', data: { n } });

describe.skipIf(skipPostgres)('PostgreSQL event store: what the contract does not cover', () => {
  const db = useTestDatabase('store', { truncate: true });

  it('lays the events table out as documented (docs/postgres.md)', async () => {
    const { rows } = await db.pool.query<{
      column_name: string;
      data_type: string;
      is_nullable: string;
    }>(
      `SELECT column_name, data_type, is_nullable FROM information_schema.columns
        WHERE table_schema = $1 AND table_name = 'events' ORDER BY ordinal_position`,
      [db.schema],
    );
    expect(
      rows.map(
        (r) => `${r.column_name} ${r.data_type}${r.is_nullable === 'NO' ? ' not null' : ''}`,
      ),
    ).toEqual([
      'global_position bigint not null',
      'stream_id text not null',
      'stream_position integer not null',
      'event_id uuid not null',
      'type text not null',
      'data jsonb not null',
      'metadata jsonb not null',
      'schema_version integer not null',
      'created_at timestamp with time zone not null',
    ]);
    const constraints = await db.pool.query<{ conname: string; def: string }>(
      `SELECT conname, pg_get_constraintdef(c.oid) AS def FROM pg_constraint c
        JOIN pg_namespace n ON n.oid = c.connamespace WHERE n.nspname = $1 AND c.conrelid = $2::regclass ORDER BY conname`,
      [db.schema, `"${db.schema}".events`],
    );
    expect(constraints.rows.map((r) => `${r.conname}: ${r.def}`)).toEqual([
      'events_event_id_key: UNIQUE (event_id)',
      'events_pkey: PRIMARY KEY (global_position)',
      'events_positions_check: CHECK (((global_position >= 1) AND (stream_position >= 1)))',
      'events_schema_version_check: CHECK ((schema_version >= 1))',
      'events_stream_position_key: UNIQUE (stream_id, stream_position)',
    ]);
  });

  it('stores data and metadata as JSONB that SQL can query, and the schema version in its column', async () => {
    await db.store().appendToStream(
      'job-1',
      [
        {
          type: 'MilestoneFunded',
          data: { milestoneId: 'm1', amount: 7500 },
          metadata: { schemaVersion: 2, correlationId: 'c-1' },
        },
      ],
      { expectedVersion: 'no-stream' },
    );
    const { rows } = await db.pool.query(
      `SELECT data->>'milestoneId' AS milestone, (data->>'amount')::int AS amount, metadata, schema_version, jsonb_typeof(data) AS kind
         FROM "${db.schema}".events`,
    );
    expect(rows).toEqual([
      {
        milestone: 'm1',
        amount: 7500,
        metadata: { correlationId: 'c-1' },
        schema_version: 2,
        kind: 'object',
      },
    ]);
  });

  it('what PostgreSQL cannot hold (U+0000 in data, a type or a stream id) is INVALID_INPUT, and nothing is written', async () => {
    const store = db.store();
    const error = await store
      .appendToStream(
        'job-1',
        [ev(1), { type: 'TermsProposed', data: { title: 'nul \u0000 here' } }],
        { expectedVersion: 'no-stream' },
      )
      .catch((e: unknown) => e);
    expect(isDomainError(error) && error.code).toBe('INVALID_INPUT');
    for (const [streamId, type] of [
      ['job-\u0000', 'A'],
      ['job-1', 'A\u0000'],
    ] as const) {
      const bad = await store
        .appendToStream(streamId, [{ type, data: {} }], { expectedVersion: 'any' })
        .catch((e: unknown) => e);
      expect(isDomainError(bad) && bad.code).toBe('INVALID_INPUT');
    }
    // An id no store can keep names no stream: reading it is INVALID_INPUT, as in every store.
    expect(
      await store.streamVersion('job-\u0000').catch((e: unknown) => isDomainError(e) && e.code),
    ).toBe('INVALID_INPUT');
    expect(await store.streamVersion('job-1')).toBe(0);
    expect(await store.headGlobalPosition()).toBe(0);
  });

  it('the unique (stream, position) constraint rejects a second event at a position, whoever writes it', async () => {
    await db.store().appendToStream('job-1', [ev(1)], { expectedVersion: 'no-stream' });
    const error = await db.pool
      .query(
        `INSERT INTO "${db.schema}".events (global_position, stream_id, stream_position, type, data) VALUES (99, 'job-1', 1, 'X', '{}')`,
      )
      .catch((e: unknown) => e);
    expect(error).toMatchObject({ code: '23505', constraint: 'events_stream_position_key' });
  });

  it('two stores on separate pools (separate connections) racing one stream: one wins, the rest conflict', async () => {
    const pools = Array.from(
      { length: 4 },
      () => new pg.Pool({ connectionString: DATABASE_URL, max: 2 }),
    );
    try {
      const stores = pools.map((pool) => createPostgresEventStore({ pool, schema: db.schema }));
      for (let round = 0; round < 10; round++) {
        const results = await Promise.allSettled(
          stores.map((store, w) =>
            store.appendToStream('job-1', [ev(w), ev(w)], {
              expectedVersion: round === 0 ? 'no-stream' : round * 2,
            }),
          ),
        );
        expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
        for (const r of results)
          if (r.status === 'rejected')
            expect(isDomainError(r.reason) && r.reason.code).toBe('CONCURRENCY_CONFLICT');
      }
      const events = await collect(stores[0]!.readStream('job-1'));
      expect(events.map((e) => e.metadata.streamPosition)).toEqual(
        Array.from({ length: 20 }, (_, i) => i + 1),
      );
      // Losers consumed no global position: the global order has no gaps.
      expect(events.map((e) => e.metadata.globalPosition)).toEqual(
        Array.from({ length: 20 }, (_, i) => i + 1),
      );
    } finally {
      await Promise.all(pools.map((p) => p.end()));
    }
  });

  it('global positions stay gapless across conflicts and rejected input', async () => {
    const store = db.store();
    await store.appendToStream('job-1', [ev(1)], { expectedVersion: 'no-stream' });
    await store.appendToStream('job-1', [ev(2)], { expectedVersion: 0 }).catch(() => undefined);
    await store.appendToStream('job-2', [ev(1), ev(2)], { expectedVersion: 'no-stream' });
    await store
      .appendToStream('job-2', [ev(3)], { expectedVersion: 'no-stream' })
      .catch(() => undefined);
    await store.appendToStream('job-1', [ev(3)], { expectedVersion: 1 });
    expect((await collect(store.readAll())).map((e) => e.metadata.globalPosition)).toEqual([
      1, 2, 3, 4,
    ]);
    expect(await store.headGlobalPosition()).toBe(4);
  });

  it('streams a replay in pages of batchSize rows: memory stays bounded, and reading is lazy', async () => {
    const store = db.store();
    for (let b = 0; b < 10; b++) {
      await store.appendToStream(
        'job-1',
        Array.from({ length: 100 }, (_, i) => ev(b * 100 + i)),
        { expectedVersion: b * 100 },
      );
    }
    const pages: number[] = [];
    const counting: PgQueryable = {
      async query(text, values) {
        const result = await db.pool.query(text, values);
        pages.push(result.rows.length);
        return result;
      },
    };
    const paged = createPostgresEventStore({ pool: counting, schema: db.schema, batchSize: 64 });

    const iterator = paged.readStream('job-1')[Symbol.asyncIterator]();
    const first = await iterator.next();
    expect((first.value as RecordedEvent | undefined)?.metadata.streamPosition).toBe(1);
    expect(pages).toEqual([64]); // one page fetched, not the stream
    await iterator.return?.();

    pages.length = 0;
    let n = 0;
    for await (const e of paged.readStream('job-1')) expect(e.data).toEqual({ n: n++ });
    expect(n).toBe(1000);
    expect(Math.max(...pages)).toBe(64);
    expect(pages).toHaveLength(Math.ceil(1000 / 64));

    pages.length = 0;
    n = 0;
    for await (const e of paged.readAll({ after: 10 }))
      expect(e.metadata.globalPosition).toBe(11 + n++);
    expect(n).toBe(990);
    expect(Math.max(...pages)).toBe(64);
  });

  it('migrate() is idempotent and safe when several processes run it at once', async () => {
    const schema = schemaName('migrate');
    const pool = new pg.Pool({ connectionString: DATABASE_URL, max: 5 });
    try {
      const stores = Array.from({ length: 5 }, () => createPostgresEventStore({ pool, schema }));
      await Promise.all(stores.map((s) => s.migrate()));
      await stores[0]!.appendToStream('job-1', [ev(1)], { expectedVersion: 'no-stream' });
      await stores[1]!.migrate();
      expect(await stores[2]!.streamVersion('job-1')).toBe(1);
      expect(await stores[2]!.headGlobalPosition()).toBe(1);
    } finally {
      await pool.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
      await pool.end();
    }
  });

  it('migrationSql() is the documented migration: running it by hand makes a working store', async () => {
    const schema = schemaName('manual');
    const pool = new pg.Pool({ connectionString: DATABASE_URL, max: 2 });
    try {
      await pool.query(migrationSql(schema));
      const store = createPostgresEventStore({ pool, schema });
      await store.appendToStream('job-1', [ev(1), ev(2)], { expectedVersion: 'no-stream' });
      expect((await collect(store.readAll())).map((e) => e.metadata.globalPosition)).toEqual([
        1, 2,
      ]);
    } finally {
      await pool.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
      await pool.end();
    }
  });

  it('a store opened from a connection string owns its pool and closes it', async () => {
    const store = createPostgresEventStore({ connectionString: DATABASE_URL, schema: db.schema });
    await store.appendToStream('job-1', [ev(1)], { expectedVersion: 'no-stream' });
    expect(await store.streamVersion('job-1')).toBe(1);
    await store.close();
    await store.close();
    await expect(store.streamVersion('job-1')).rejects.toThrow();
  });

  it('rejects a schema name it cannot quote safely', () => {
    expect(() =>
      createPostgresEventStore({ pool: db.pool, schema: 'Robert"; DROP TABLE x; --' }),
    ).toThrow(expect.objectContaining({ code: 'INVALID_INPUT', details: { path: 'schema' } }));
    expect(() => createPostgresEventStore({})).toThrow(
      expect.objectContaining({
        code: 'INVALID_INPUT',
        details: { path: 'connectionString' },
        message:
          'give a pool or a connectionString (a postgres:// URL); connectionString is undefined',
      }),
    );
  });
});
