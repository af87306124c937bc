import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import pg from 'pg';
import { isDomainError } from '../../src/domain/shared/errors.js';
import { createCommandHandler } from '../../src/handler/command-handler.js';
import { createPostgresEventStore } from '../../src/postgres/index.js';
import type { EventToAppend, RecordedEvent } from '../../src/store/port.js';
import { DATABASE_URL, openTestDatabase, skipPostgres, type TestDatabase } from './database.js';

/*
 * A connection dropped in the middle of an append. A test trigger blocks the INSERT at its third
 * row (an event of type `Blocker`) on an advisory lock the test holds, so the append is caught
 * with two rows already written in its transaction; then the connection is cut, from the server
 * side (the backend is terminated) or from the client side (the socket is destroyed). An event
 * whose metadata has `blockMe` blocks the same way, for the command handler's retry.
 */

async function collect(events: AsyncIterable<RecordedEvent>): Promise<RecordedEvent[]> {
  const out: RecordedEvent[] = [];
  for await (const e of events) out.push(e);
  return out;
}

const batch: EventToAppend[] = ['A', 'A', 'Blocker', 'A', 'A'].map((type, i) => ({
  type,
  data: { i },
}));

describe.skipIf(skipPostgres)('PostgreSQL: a connection dropped in the middle of an append', () => {
  let db: TestDatabase;
  let admin: pg.Client;
  const lockKey = 7_700_000 + (process.pid % 100_000);

  beforeAll(async () => {
    db = await openTestDatabase('drop');
    await db.pool.query(`
      CREATE FUNCTION "${db.schema}".block_at_blocker() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
          IF NEW.type = 'Blocker' OR NEW.metadata ? 'blockMe' THEN PERFORM pg_advisory_xact_lock_shared(${String(lockKey)}); END IF;
          RETURN NEW;
        END $$;
      CREATE TRIGGER block_at_blocker BEFORE INSERT ON "${db.schema}".events
        FOR EACH ROW EXECUTE FUNCTION "${db.schema}".block_at_blocker();`);
    admin = new pg.Client({ connectionString: DATABASE_URL });
    await admin.connect();
  });
  afterAll(async () => {
    await (admin as typeof admin | undefined)?.end(); // unset when the set-up failed
    await (db as TestDatabase | undefined)?.drop(); // unset when the set-up failed
  });
  beforeEach(async () => {
    await db.truncate();
  });

  /** Waits until an append is blocked inside its INSERT (rows 1-2 written) and returns its backend pid. */
  async function blockedAppend(): Promise<number> {
    for (let i = 0; i < 200; i++) {
      const { rows } = await admin.query<{ pid: number }>(
        `SELECT pid FROM pg_stat_activity
          WHERE datname = current_database() AND wait_event_type = 'Lock' AND wait_event = 'advisory'
            AND query LIKE $1`,
        [`%INSERT INTO "${db.schema}".events%`],
      );
      if (rows[0] !== undefined) return rows[0].pid;
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
    throw new Error('the append never reached the blocking row');
  }

  async function backendGone(pid: number): Promise<void> {
    for (let i = 0; i < 200; i++) {
      const { rows } = await admin.query('SELECT 1 FROM pg_stat_activity WHERE pid = $1', [pid]);
      if (rows.length === 0) return;
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
    throw new Error(`backend ${String(pid)} is still there`);
  }

  it('the server drops it (backend terminated): nothing is written, no position is used, the store goes on', async () => {
    const store = db.store();
    await admin.query('SELECT pg_advisory_lock($1)', [lockKey]);
    const append = store.appendToStream('job-1', batch, { expectedVersion: 'no-stream' }).then(
      () => 'appended',
      (error: unknown) => error,
    );
    const pid = await blockedAppend();
    await admin.query('SELECT pg_terminate_backend($1)', [pid]);
    const error = await append;
    await admin.query('SELECT pg_advisory_unlock($1)', [lockKey]);

    expect(error).toBeInstanceOf(Error);
    expect(isDomainError(error)).toBe(false); // a connection error, not a conflict
    expect(await store.streamVersion('job-1')).toBe(0);
    expect(await collect(store.readAll())).toEqual([]);
    expect(await store.headGlobalPosition()).toBe(0);

    // The pool replaced the dead connection; a retry writes the batch at positions 1..5.
    await store.appendToStream(
      'job-1',
      batch.filter((e) => e.type !== 'Blocker'),
      { expectedVersion: 'no-stream' },
    );
    const events = await collect(store.readAll());
    expect(events.map((e) => [e.metadata.streamPosition, e.metadata.globalPosition])).toEqual([
      [1, 1],
      [2, 2],
      [3, 3],
      [4, 4],
    ]);
  });

  it('the client drops it (socket destroyed): the append is all or nothing, and re-reading tells which', async () => {
    const pool = new pg.Pool({ connectionString: DATABASE_URL, max: 1 });
    pool.on('error', () => {}); // the destroyed client reports here
    let client: pg.PoolClient | undefined;
    pool.on('connect', (c) => {
      client = c;
    });
    const store = createPostgresEventStore({ pool, schema: db.schema });
    try {
      await admin.query('SELECT pg_advisory_lock($1)', [lockKey]);
      const append = store.appendToStream('job-1', batch, { expectedVersion: 'no-stream' }).then(
        () => 'appended',
        (error: unknown) => error,
      );
      const pid = await blockedAppend();
      (
        client as unknown as { connection: { stream: { destroy(): void } } }
      ).connection.stream.destroy();
      const error = await append;
      await admin.query('SELECT pg_advisory_unlock($1)', [lockKey]);
      await backendGone(pid);

      expect(error).toBeInstanceOf(Error);
      expect(isDomainError(error)).toBe(false);
      const reader = db.store();
      const events = await collect(reader.readAll());
      // Never part of it: either the whole batch committed (the server finished the statement
      // before it noticed) or none of it did.
      expect([0, 5]).toContain(events.length);
      if (events.length === 5) {
        expect(events.map((e) => e.type)).toEqual(batch.map((e) => e.type));
        expect(events.map((e) => e.metadata.globalPosition)).toEqual([1, 2, 3, 4, 5]);
      }
      expect(await reader.headGlobalPosition()).toBe(events.length);
      // The caller's retry with the same expected version cannot write the batch twice.
      const retry = await reader
        .appendToStream('job-1', [{ type: 'A', data: {} }], { expectedVersion: 'no-stream' })
        .then(
          () => 'appended',
          (e: unknown) => (isDomainError(e) ? e.code : e),
        );
      expect(retry).toBe(events.length === 0 ? 'appended' : 'CONCURRENCY_CONFLICT');
    } finally {
      await pool.end();
    }
  });

  it('the command handler, retried with its idempotency key after a dropped connection, releases once', async () => {
    const store = db.store();
    const handler = createCommandHandler({ store });
    const jobId = 'dropped';
    const at = (minutes: number) =>
      new Date(Date.parse('2014-11-03T09:00:00Z') + minutes * 60_000).toISOString();
    await handler.handle(jobId, {
      type: 'AwardJob',
      actor: 'c',
      at: at(0),
      data: { jobId, title: 'Logo', clientId: 'c', freelancerId: 'f', currency: 'USD' },
    });
    await handler.handle(jobId, {
      type: 'ProposeTerms',
      actor: 'c',
      at: at(1),
      data: {
        proposalId: 'p1',
        milestones: [
          { milestoneId: 'm1', title: 'Start fee deposit', dueDate: '2014-11-03', amount: 7500 },
        ],
      },
    });
    await handler.handle(jobId, {
      type: 'AcceptTerms',
      actor: 'f',
      at: at(2),
      data: { proposalId: 'p1' },
    });
    await handler.handle(jobId, {
      type: 'FundMilestone',
      actor: 'c',
      at: at(3),
      data: { milestoneId: 'm1', fundingId: 'f1', source: 'card:visa-4242' },
    });
    const release = {
      type: 'ReleaseFunds',
      actor: 'c',
      at: at(4),
      data: { milestoneId: 'm1' },
    } as const;

    // The first try: its connection is cut while the release is being written.
    const pool = new pg.Pool({ connectionString: DATABASE_URL, max: 1 });
    pool.on('error', () => {});
    let client: pg.PoolClient | undefined;
    pool.on('connect', (c) => {
      client = c;
    });
    try {
      const victim = createCommandHandler({
        store: createPostgresEventStore({ pool, schema: db.schema }),
      });
      await admin.query('SELECT pg_advisory_lock($1)', [lockKey]);
      const first = victim
        .handle(jobId, release, { idempotencyKey: 'release-m1', metadata: { blockMe: true } })
        .then(
          () => 'handled',
          (error: unknown) => error,
        );
      const pid = await blockedAppend();
      (
        client as unknown as { connection: { stream: { destroy(): void } } }
      ).connection.stream.destroy();
      expect(isDomainError(await first)).toBe(false);
      await admin.query('SELECT pg_advisory_unlock($1)', [lockKey]);
      await backendGone(pid);
    } finally {
      await pool.end();
    }

    // The retry: same command, same key. Whatever became of the first try, one release.
    const retry = await handler.handle(jobId, release, { idempotencyKey: 'release-m1' });
    const events = await collect(store.readStream(handler.streamIdOf(jobId)));
    expect(events.filter((e) => e.type === 'FundsReleased')).toHaveLength(1);
    expect(retry.events.map((e) => e.type)).toEqual(['FundsReleased']);
    expect(retry.state.escrow.totals).toEqual({
      funded: 7500,
      held: 0,
      released: 7500,
      refunded: 0,
    });
    expect(retry.version).toBe(events.length);
  });
});
