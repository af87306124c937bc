import { fail } from '../domain/shared/errors.js';
import { exponentialBackoff, systemClock, type Clock } from '../live/clock.js';
import { within } from '../live/deadline.js';
import { lifecycle, observe, pacedOrStop, pause } from '../live/loop.js';
import {
  countOption,
  functionOption,
  clockOption,
  objectOption,
  optionalFunctionOption,
  waitOption,
  readOptions,
  nameOption,
} from '../shared/options.js';
import { CONSUMER_OPTIONS } from './option-keys.js';
import type { EventStore, RecordedEvent } from '../store/port.js';
import { createConsumerLock, type PgPool } from './consumer-lock.js';
import { DEFAULT_SCHEMA, quoteSchema } from './schema.js';
import { migrateLive } from './live-schema.js';
import type { PgQueryable } from './store.js';
import type { ConsumerStatus } from './consumer-status.js';

export type { PgClient, PgPool } from './consumer-lock.js';
export type { ConsumerStatus } from './consumer-status.js';

/*
 * A durable consumer: a named reader of the store's global order that remembers how far it got.
 *
 * One batch is: read up to `batchSize` events after the stored checkpoint (through the store's
 * `readAll`, so whatever keeps the global order gapless keeps this reader from skipping), then in
 * one transaction on the consumer's own connection: lock the checkpoint row, check it is still
 * where the batch started, run the app's handler (which may write in that transaction), move the
 * checkpoint to the batch's last position, commit. A crash anywhere before the commit leaves the
 * checkpoint where it was, and the batch comes again; a handler's writes in the transaction go
 * with it, so they happen exactly once.
 *
 * Only one process runs a consumer of a given name at a time: the connection holds a session
 * advisory lock on the name. PostgreSQL drops it when the connection ends (a clean stop, a crash,
 * a SIGKILL), so a waiting process takes over within its `lockRetryMs`. The checkpoint's
 * compare-and-set guards the rare case of a lock lost unnoticed (a partition): such a batch rolls
 * back instead of applying twice.
 */

/**
 * What the live loops read: the store's `readAll({ after })` (and `readStream` for a job's earlier
 * events). `PostgresEventStore` is one; any {@link EventStore} does.
 */
export type LiveEventStore = EventStore & {
  /** The head of the global order, for the lag; without it the lag is counted by reading. */
  headGlobalPosition?(): Promise<number>;
};

/** One batch of events handed to a consumer's handler. */
export interface ConsumerBatch {
  /** The consumer's name. */
  readonly consumer: string;
  /** The events, in global order (at least one). */
  readonly events: readonly RecordedEvent[];
  /** The checkpoint before the batch: every event after it, in order, up to `to`. */
  readonly after: number;
  /** The global position of the batch's last event: the checkpoint once the handler succeeds. */
  readonly to: number;
  /**
   * The open transaction the checkpoint commits in. Writes made through it commit with the
   * checkpoint or not at all (exactly-once read models). Do not `COMMIT` or `ROLLBACK` it.
   */
  readonly tx: PgQueryable;
  /** Aborts when the consumer gives the batch up (`handleTimeoutMs` passed). */
  readonly signal: AbortSignal;
}

/** What one step of a consumer did. */
export type ConsumerStep =
  /** Another process holds this consumer's lock: this one waits. */
  | { readonly kind: 'standby' }
  /** No event after the checkpoint. */
  | { readonly kind: 'idle'; readonly position: number }
  /** A batch was handled and the checkpoint moved to `position`. */
  | { readonly kind: 'handled'; readonly events: number; readonly position: number }
  /** The batch failed (the handler threw, or the connection broke): the checkpoint stayed. */
  | { readonly kind: 'failed'; readonly error: unknown; readonly position: number };

/** Options of {@link createPostgresConsumer}. */
export interface PostgresConsumerOptions {
  /** The consumer's name: its checkpoint and its lock. 1–200 characters of well-formed text without U+0000. */
  readonly name: string;
  /** Where the events come from: only `readAll({ after })` is used (and `headGlobalPosition` for lag). */
  readonly store: LiveEventStore;
  /** The pool for the consumer's own connection (lock, checkpoint, transactions): `pg.Pool`. */
  readonly pool: PgPool;
  /** The schema of the checkpoint table (default `milestone_escrow`, as the store's). */
  readonly schema?: string;
  /** Handles one batch; throw to leave the checkpoint where it is (the batch comes again). */
  readonly handle: (batch: ConsumerBatch) => Promise<void>;
  /** How long `handle` may take (default 60 s): then it is given up, the batch rolled back (docs/live.md). */
  readonly handleTimeoutMs?: number;
  /**
   * Events per batch at most (default 500, the PostgreSQL store's page: a batch smaller than the
   * store's page reads the whole page and drops the rest). With the page, the bound on memory.
   */
  readonly batchSize?: number;
  /** How long an idle loop waits before asking again (default 100 ms). */
  readonly pollMs?: number;
  /** How long a standby process waits before trying the lock again (default 1000 ms). */
  readonly lockRetryMs?: number;
  /** The wait after `n` failures in a row (default 100 ms doubling up to 30 s). */
  readonly backoff?: (failures: number) => number;
  /** Called with every failed batch (after the rollback). Default: nothing (see `status()`). */
  readonly onError?: (error: unknown, status: ConsumerStatus) => void;
  /** Called after each committed batch. */
  readonly onBatch?: (step: Extract<ConsumerStep, { kind: 'handled' }>) => void;
  /** The loop's clock (default the system clock). Tests pass a fake one. */
  readonly clock?: Clock;
}

/** A durable consumer (see {@link createPostgresConsumer}). */
export interface PostgresConsumer {
  readonly name: string;
  /** Creates the live side's tables if missing (idempotent). */
  migrate(): Promise<void>;
  /**
   * One step: take the lock if free, then handle one batch. What `start()` repeats; call it
   * directly to drive the consumer yourself (a test, a cron job).
   */
  step(): Promise<ConsumerStep>;
  /** Runs steps until `stop()`; resolves when stopped. Waits `pollMs` when idle, backs off on failure. */
  start(): Promise<void>;
  /** Stops the loop after its current batch (at most `handleTimeoutMs`), releases the lock and the connection. */
  stop(): Promise<void>;
  /** Handles every event up to the head as it is now (steps until idle); resolves to the checkpoint. */
  catchUp(): Promise<number>;
  /** The stored checkpoint (0 for a consumer that never ran). */
  checkpoint(): Promise<number>;
  /** Asks the store for its head and returns the lag (events behind it). */
  lag(): Promise<number>;
  /** What this process knows of the consumer now (no query). */
  status(): ConsumerStatus;
}

/** Events per batch when the options do not say: the PostgreSQL store's page. */
export const DEFAULT_BATCH_SIZE = 500;

// The library's own handles (timers, the summary table) get no deadline: they only query
// PostgreSQL, on the app's clock, which may be simulated (examples/live: its sleep wakes early).
const libraryHandles = new WeakSet<object>();
const NEVER_ABORTED = new AbortController().signal;

/** Marks a consumer's handle as the library's own: the consumer gives it no deadline. */
export function libraryHandle<H extends object>(handle: H): H {
  libraryHandles.add(handle);
  return handle;
}

/**
 * Creates a durable consumer of the store's global order (see docs/live.md).
 *
 * @example
 * ```ts compile-only
 * import pg from 'pg';
 * import { createPostgresConsumer, createPostgresEventStore } from 'milestone-escrow/postgres';
 *
 * const pool = new pg.Pool({ connectionString: process.env['DATABASE_URL'] });
 * const store = createPostgresEventStore({ pool });
 * const consumer = createPostgresConsumer({
 *   name: 'audit-log',
 *   store,
 *   pool,
 *   handle: async ({ events, tx }) => {
 *     for (const e of events)
 *       await tx.query('INSERT INTO audit (position, type) VALUES ($1, $2)', [e.metadata.globalPosition, e.type]);
 *   },
 * });
 * await consumer.migrate();
 * process.on('SIGTERM', () => void consumer.stop());
 * await consumer.start(); // until stopped
 * ```
 */
// eslint-disable-next-line max-lines-per-function -- a factory: its closure is the consumer (its lock, its status, the step in hand); each part (readBatch, runBatch, stepOnce, run, the methods) is short.
export function createPostgresConsumer(given: PostgresConsumerOptions): PostgresConsumer {
  const options = readOptions(given, CONSUMER_OPTIONS, 'name, store, pool and handle');
  const name = nameOption(options.name, 'name');
  const store = objectOption(options.store, 'store', 'an event store', ['readAll']);
  const pool = objectOption(options.pool, 'pool', 'a pg.Pool', ['connect', 'query']);
  const handle = functionOption(options.handle, 'handle');
  const schema = options.schema ?? DEFAULT_SCHEMA;
  const s = quoteSchema(schema);
  const batchSize = countOption(options.batchSize ?? DEFAULT_BATCH_SIZE, 'batchSize');
  const pollMs = waitOption(options.pollMs ?? 100, 'pollMs');
  const handleTimeoutMs = waitOption(options.handleTimeoutMs ?? 60_000, 'handleTimeoutMs');
  const lockRetryMs = waitOption(options.lockRetryMs ?? 1000, 'lockRetryMs');
  const backoff = functionOption(options.backoff ?? exponentialBackoff(), 'backoff');
  const clock = clockOption(options.clock, systemClock);
  optionalFunctionOption(options.onError, 'onError');
  optionalFunctionOption(options.onBatch, 'onBatch');
  const lockKey = `milestone-escrow:consumer:${schema}:${name}`;
  const sql = {
    ensure: `INSERT INTO ${s}.consumer_checkpoints (name) VALUES ($1) ON CONFLICT (name) DO NOTHING`,
    read: `SELECT position FROM ${s}.consumer_checkpoints WHERE name = $1`,
    lockRow: `SELECT position FROM ${s}.consumer_checkpoints WHERE name = $1 FOR UPDATE`,
    advance: `UPDATE ${s}.consumer_checkpoints SET position = $2, updated_at = now() WHERE name = $1 AND position = $3 RETURNING name`,
  };

  const lock = createConsumerLock(pool, lockKey, async (client) => {
    await client.query(sql.ensure, [name]);
  });
  let current: Promise<ConsumerStep> | undefined;
  const status = {
    position: -1,
    head: -1,
    failures: 0,
    lastError: undefined as unknown,
    handledEvents: 0,
    handledBatches: 0,
  };

  function snapshot(): ConsumerStatus {
    const known = status.position >= 0 && status.head >= 0;
    return {
      name,
      running: loop.running,
      leader: lock.held,
      position: status.position,
      head: status.head,
      lag: known ? Math.max(0, status.head - status.position) : 0,
      failures: status.failures,
      lastError: status.lastError,
      handledEvents: status.handledEvents,
      handledBatches: status.handledBatches,
    };
  }

  async function readBatch(after: number): Promise<RecordedEvent[]> {
    const events: RecordedEvent[] = [];
    for await (const event of store.readAll({ after })) {
      events.push(event);
      if (events.length >= batchSize) break;
    }
    return events;
  }

  async function runBatch(tx: PgQueryable): Promise<ConsumerStep> {
    const { rows } = await tx.query(sql.read, [name]);
    const row = rows[0] as { position: string | number } | undefined;
    // Deleted by hand (a reset): from the start, as checkpoint() reads it (a TypeError before).
    if (row === undefined) await tx.query(sql.ensure, [name]);
    const after = Number(row?.position ?? 0);
    status.position = after;
    const events = await readBatch(after);
    const last = events.at(-1);
    if (last === undefined) return { kind: 'idle', position: after };
    const to = last.metadata.globalPosition;
    await tx.query('BEGIN');
    try {
      // Moved (or deleted) by a writer without the lock: a conflict, and the batch comes again.
      const moved = (actual?: number): never =>
        fail(
          'CONCURRENCY_CONFLICT',
          `consumer ${name}: its checkpoint moved from ${String(after)} to ${String(actual ?? 'none')} under it (another process without the lock?)`,
          { consumer: name, expected: after, actual },
        );
      const locked = (await tx.query(sql.lockRow, [name])).rows[0] as
        { position: string | number } | undefined;
      const now = locked === undefined ? undefined : Number(locked.position);
      if (now !== after) moved(now);
      // Past the deadline, a hung handle may hold the connection (a ROLLBACK would queue behind
      // its query): the connection is closed instead, which rolls back and frees the lock.
      const handleBatch = (signal: AbortSignal) =>
        handle({ consumer: name, events, after, to, tx, signal });
      if (libraryHandles.has(handle)) await handleBatch(NEVER_ABORTED);
      else
        await within(handleBatch, handleTimeoutMs, clock, `consumer ${name}: handle`, () =>
          lock.markBroken(),
        );
      if ((await tx.query(sql.advance, [name, to, after])).rows.length !== 1) moved();
      await tx.query('COMMIT');
    } catch (error) {
      if (!lock.broken) await tx.query('ROLLBACK').catch(() => lock.markBroken());
      throw error;
    }
    status.position = to;
    status.handledEvents += events.length;
    status.handledBatches += 1;
    return { kind: 'handled', events: events.length, position: to };
  }

  async function stepOnce(): Promise<ConsumerStep> {
    let step: ConsumerStep;
    try {
      const tx = await lock.acquire();
      if (tx === undefined) return { kind: 'standby' };
      step = await runBatch(tx);
      status.failures = 0;
      status.lastError = undefined;
    } catch (error) {
      status.failures += 1;
      status.lastError = error;
      if (lock.broken) await lock.release();
      step = { kind: 'failed', error, position: status.position };
      observe(() => options.onError?.(error, snapshot()));
      return step;
    }
    // Committed: what onBatch throws is reported, never the batch's outcome.
    const handled = step;
    if (handled.kind === 'handled')
      observe(
        () => options.onBatch?.(handled),
        (error) => options.onError?.(error, snapshot()),
      );
    return step;
  }

  function step(): Promise<ConsumerStep> {
    // One step at a time per instance: a direct call during the loop waits for the loop's step.
    const next = (current ?? Promise.resolve()).then(stepOnce, stepOnce);
    current = next;
    return next;
  }

  async function run(signal: AbortSignal): Promise<void> {
    const report = (error: unknown): void => {
      status.lastError = error;
      options.onError?.(error, snapshot());
    };
    while (!signal.aborted) {
      const result = await step();
      // After a batch more may be waiting: go again at once.
      const wait = pacedOrStop(
        result.kind,
        status.failures,
        { pollMs, lockRetryMs, backoff },
        report,
      );
      if (wait > 0) await pause(clock, wait, signal, report);
    }
  }

  /** Lets every step asked for settle (one may be asked while another runs), then unlocks. */
  async function release(): Promise<void> {
    let seen;
    do {
      seen = current;
      await seen;
    } while (seen !== current);
    await lock.release();
  }

  const loop = lifecycle(run, release);

  async function checkpoint(): Promise<number> {
    const { rows } = await pool.query(sql.read, [name]);
    const row = rows[0] as { position: string | number } | undefined;
    return row === undefined ? 0 : Number(row.position);
  }

  async function headPosition(): Promise<number> {
    if (store.headGlobalPosition !== undefined) return store.headGlobalPosition();
    let head = status.position;
    for await (const event of store.readAll({ after: Math.max(0, head) })) {
      head = event.metadata.globalPosition;
    }
    return head;
  }

  return {
    name,
    migrate: () => migrateLive(pool, schema),
    step,
    start: () => loop.start(),
    stop: () => loop.stop(),
    async catchUp() {
      for (;;) {
        const result = await step();
        if (result.kind === 'idle') return result.position;
        if (result.kind === 'failed') throw result.error;
        if (result.kind === 'standby') await pause(clock, lockRetryMs, undefined);
      }
    },
    checkpoint,
    async lag() {
      const [head, position] = await Promise.all([headPosition(), checkpoint()]);
      status.head = head;
      status.position = position;
      return Math.max(0, head - position);
    },
    status: snapshot,
  };
}
