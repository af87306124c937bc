import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import pg from 'pg';
import { type JobEvent } from '../../src/index.js';
import { createGlobalProjector, summaryProjection } from '../../src/projections/index.js';
import { createPostgresConsumer, type PostgresEventStore } from '../../src/postgres/index.js';
import type { RecordedEvent } from '../../src/store/port.js';
import { DATABASE_URL, openTestDatabase, skipPostgres, type TestDatabase } from './database.js';

/*
 * The interleavings that make a naive global order skip events, forced one step at a time rather
 * than hoped for with random delays. A trigger makes an append to a stream named `hold-…` wait
 * (after its global positions are taken, before it commits) until the test lets it go, and an
 * append to `doomed-…` wait and then fail (so it rolls back). Meanwhile another writer (another
 * store instance: another process, as far as batching goes) appends to another stream, and two
 * followers poll: `readAll({ after })` with a checkpoint, and a global projector whose checkpoint
 * is its `lastGlobalPosition`. Each must see every committed event exactly once, in one order.
 * The same script against a sequence (positions taken at INSERT, commits in any order) shows the
 * skip the test is there to catch.
 */

const GATE = 915_015;

function awarded(jobId: string): JobEvent {
  return {
    type: 'JobAwarded',
    data: {
      jobId,
      title: `Job ${jobId}`,
      clientId: `client-${jobId}`,
      freelancerId: `freelancer-${jobId}`,
      currency: 'USD',
      at: '2026-11-30T12:00:00Z',
    },
  };
}

/**
 * Three readers of the global order, each resuming after the last position it handled: a loop
 * over `readAll({ after })`, a global projector (its checkpoint is its `lastGlobalPosition`), and
 * a durable consumer (its checkpoint stored in the database).
 */
async function follower(db: TestDatabase, name: string) {
  const store = db.store({ batchSize: 2 });
  const seen: RecordedEvent[] = [];
  const consumed: RecordedEvent[] = [];
  const projector = createGlobalProjector(summaryProjection);
  const consumer = createPostgresConsumer({
    name,
    store,
    pool: db.pool,
    schema: db.schema,
    batchSize: 2,
    handle: (batch) => {
      consumed.push(...batch.events);
      return Promise.resolve();
    },
  });
  await consumer.migrate();
  let checkpoint = 0;
  return {
    seen,
    consumed,
    projector,
    async poll(): Promise<void> {
      for await (const e of store.readAll({ after: checkpoint })) {
        seen.push(e);
        checkpoint = e.metadata.globalPosition;
      }
      for await (const e of store.readAll({ after: projector.lastGlobalPosition }))
        projector.push(e);
      await consumer.catchUp();
    },
    stop: () => consumer.stop(),
  };
}

async function all(store: Pick<PostgresEventStore, 'readAll'>): Promise<RecordedEvent[]> {
  const out: RecordedEvent[] = [];
  for await (const e of store.readAll()) out.push(e);
  return out;
}

/** Resolves once an append on `schema` waits at the gate (inside its transaction, positions taken). */
async function someoneWaits(pool: pg.Pool, schema: string): Promise<void> {
  if (!(await waiting(pool, schema, `wait_event = 'advisory'`)))
    throw new Error('the held append never reached the gate');
}

/** True once an append on `schema` waits for a lock other than the gate (queued behind the held one). */
function someoneQueues(pool: pg.Pool, schema: string): Promise<boolean> {
  return waiting(pool, schema, `wait_event <> 'advisory'`);
}

async function waiting(pool: pg.Pool, schema: string, which: string): Promise<boolean> {
  for (let i = 0; i < 300; i++) {
    const { rows } = await pool.query<{ n: string }>(
      `SELECT count(*) AS n FROM pg_stat_activity
        WHERE datname = current_database() AND wait_event_type = 'Lock' AND ${which}
          AND position($1 in query) > 0`,
      [schema],
    );
    if (Number(rows[0]?.n) >= 1) return true;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  return false;
}

async function installGate(db: TestDatabase): Promise<void> {
  await db.pool.query(`
    CREATE FUNCTION "${db.schema}".gate() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF NEW.stream_id LIKE 'hold-%' OR NEW.stream_id LIKE 'doomed-%' THEN
          PERFORM pg_advisory_xact_lock_shared(${String(GATE)});
        END IF;
        IF NEW.stream_id LIKE 'doomed-%' THEN
          RAISE EXCEPTION 'doomed append';
        END IF;
        RETURN NEW;
      END $$;
    CREATE TRIGGER gate BEFORE INSERT ON "${db.schema}".events
      FOR EACH ROW EXECUTE FUNCTION "${db.schema}".gate();`);
}

describe.skipIf(skipPostgres)('PostgreSQL: forced interleavings of appends and readers', () => {
  let db: TestDatabase;
  let naive: TestDatabase;
  let gate: pg.Client;
  beforeAll(async () => {
    db = await openTestDatabase('interleave', 8);
    naive = await openTestDatabase('naive', 8);
    await installGate(db);
    await installGate(naive);
    await naive.pool.query(`CREATE SEQUENCE "${naive.schema}".seq`);
    gate = new pg.Client({ connectionString: DATABASE_URL });
    await gate.connect();
  });
  afterAll(async () => {
    await gate.end();
    await db.drop();
    await naive.drop();
  });

  it('an append that took an earlier position commits after a later one started, another rolls back: followers see every committed event once, in order', async () => {
    const held = db.store();
    const other = db.store();
    const reader = await follower(db, 'interleaved');
    await other.appendToStream('job-before', [awarded('before')], { expectedVersion: 'no-stream' });
    await reader.poll();

    await gate.query('SELECT pg_advisory_lock($1)', [GATE]);
    // 1. Appends that hold their positions and stay open (two, sent together: one batch)…
    const slow = Promise.all(
      ['hold-1', 'hold-2'].map((id) =>
        held.appendToStream(id, [awarded(id)], { expectedVersion: 'no-stream' }),
      ),
    );
    await someoneWaits(db.pool, db.schema);
    // 2. …while another writer appends to another stream after it.
    const fast = other.appendToStream('job-fast', [awarded('fast')], {
      expectedVersion: 'no-stream',
    });
    expect(await someoneQueues(db.pool, db.schema)).toBe(true);
    for (let i = 0; i < 3; i++) await reader.poll();
    // Nothing after the open append is visible while it is open.
    expect(reader.seen.map((e) => e.metadata.streamId)).toEqual(['job-before']);
    await gate.query('SELECT pg_advisory_unlock($1)', [GATE]);
    await Promise.all([slow, fast]);
    await reader.poll();

    // 3. An append that fails (rolls back) while another waits behind it.
    await gate.query('SELECT pg_advisory_lock($1)', [GATE]);
    const doomed = held.appendToStream('doomed-1', [awarded('doomed')], {
      expectedVersion: 'no-stream',
    });
    const outcome = doomed.then(
      () => 'appended',
      (error: unknown) => String(error),
    );
    await someoneWaits(db.pool, db.schema);
    const after = other.appendToStream('job-after', [awarded('after')], {
      expectedVersion: 'no-stream',
    });
    await reader.poll();
    await gate.query('SELECT pg_advisory_unlock($1)', [GATE]);
    expect(await outcome).toContain('doomed append');
    await after;
    await reader.poll();

    const committed = await all(db.store());
    expect(committed.map((e) => e.metadata.streamId)).toEqual([
      'job-before',
      'hold-1',
      'hold-2',
      'job-fast',
      'job-after',
    ]);
    // Exactly once, in the one order.
    expect(reader.seen.map((e) => e.metadata.eventId)).toEqual(
      committed.map((e) => e.metadata.eventId),
    );
    const positions = reader.seen.map((e) => e.metadata.globalPosition);
    expect(positions).toEqual([...positions].sort((a, b) => a - b));
    expect(new Set(positions).size).toBe(positions.length);
    // The projection's checkpoint and the durable consumer's followed the same order.
    expect(reader.projector.streamIds()).toEqual([
      'job-before',
      'hold-1',
      'hold-2',
      'job-fast',
      'job-after',
    ]);
    expect(reader.projector.lastGlobalPosition).toBe(positions[positions.length - 1]);
    expect(reader.consumed.map((e) => e.metadata.eventId)).toEqual(
      committed.map((e) => e.metadata.eventId),
    );
    await reader.stop();
  });

  it('the same script with positions from a sequence makes the follower skip the held event (what the test catches)', async () => {
    const s = `"${naive.schema}"`;
    const append = (pool: pg.Pool, streamId: string, event: JobEvent) =>
      pool.query(
        `INSERT INTO ${s}.events (global_position, stream_id, stream_position, type, data)
         VALUES (nextval('${s}.seq'), $1, 1, $2, $3::jsonb)`,
        [streamId, event.type, JSON.stringify(event.data)],
      );
    const reader = await follower(naive, 'naive');
    await append(naive.pool, 'job-before', awarded('before'));
    await reader.poll();
    await gate.query('SELECT pg_advisory_lock($1)', [GATE]);
    const slow = append(naive.pool, 'hold-1', awarded('hold-1'));
    await someoneWaits(naive.pool, naive.schema);
    await append(naive.pool, 'job-fast', awarded('fast'));
    await reader.poll();
    await gate.query('SELECT pg_advisory_unlock($1)', [GATE]);
    await slow;
    await reader.poll();

    const committed = await all(naive.store());
    expect(committed.map((e) => e.metadata.streamId)).toEqual(['job-before', 'hold-1', 'job-fast']);
    // The follower moved past the held append's position before it committed: skipped for good.
    expect(reader.seen.map((e) => e.metadata.streamId)).toEqual(['job-before', 'job-fast']);
    expect(reader.projector.streamIds()).toEqual(['job-before', 'job-fast']);
    expect(reader.consumed.map((e) => e.metadata.streamId)).toEqual(['job-before', 'job-fast']);
    await reader.stop();
  });
});
