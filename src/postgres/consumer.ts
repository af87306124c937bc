import { fail } from '../domain/shared/errors.js';
import { thrownText } from '../domain/shared/parse.js';
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
import type { RecordedEvent } from '../store/port.js';
import { createConsumerLock } from './consumer-lock.js';
import { refuseReservedName } from './reserved-names.js';
import { poolOption } from './runner-options.js';
import { outcomeOf, TRANSACTION_ID } from './commit-outcome.js';
import { DEFAULT_SCHEMA, quoteSchema } from './schema.js';
import { migrateLive } from './live-schema.js';
import type { PgQueryable } from './store.js';
import type { ConsumerStatus } from './consumer-status.js';
import type { ConsumerStep, PostgresConsumer, PostgresConsumerOptions } from './consumer-types.js';

export type { PgClient, PgPool } from './consumer-lock.js';
export type { ConsumerStatus } from './consumer-status.js';
export type {
  ConsumerBatch,
  ConsumerStep,
  LiveEventStore,
  PostgresConsumer,
  PostgresConsumerOptions,
} from './consumer-types.js';

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

/** Events per batch when the options do not say: the PostgreSQL store's page. */
export const DEFAULT_BATCH_SIZE = 500;

// The library's own handles (timers, the summary table) get no deadline: they only query
// PostgreSQL, on the app's clock, which may be simulated (examples/live: its sleep wakes early).
const libraryHandles = new WeakSet<object>();
const NEVER_ABORTED = new AbortController().signal;

// What a library consumer a newer one replaces (a summary table's generation) asks, in a
// transaction, to know it still serves: it also locks what keeps it serving until the commit.
const servingChecks = new WeakMap<object, (tx: PgQueryable) => Promise<boolean>>();

/**
 * Marks a consumer's handle as the library's own: the consumer gives it no deadline. With
 * `serves`, the consumer neither makes its checkpoint row nor handles a batch once `serves`
 * answers false: its step is `idle` (the summary table then steps the serving generation).
 */
export function libraryHandle<H extends object>(
  handle: H,
  serves?: (tx: PgQueryable) => Promise<boolean>,
): H {
  libraryHandles.add(handle);
  if (serves !== undefined) servingChecks.set(handle, serves);
  return handle;
}

/**
 * Steps until idle (resolves to the checkpoint) or a failed step (rejects with its error); a
 * standby one waits `lockRetryMs` before the next. Once `stopped` aborts (a `stop()` has begun)
 * it steps no more and resolves to the checkpoint as far as it got (`known` before it handled a
 * batch): it stepped on after the stop, and took the lock again once the stop released it.
 */
export async function catchUpBy(
  step: () => Promise<ConsumerStep>,
  wait: { readonly clock: Clock; readonly lockRetryMs: number },
  stopped: AbortSignal,
  known: number,
): Promise<number> {
  let position = known;
  for (;;) {
    if (stopped.aborted) return position;
    const result = await step();
    if (result.kind === 'idle') return result.position;
    if (result.kind === 'failed') throw result.error;
    if (result.kind === 'handled') position = result.position;
    if (result.kind === 'standby') await pause(wait.clock, wait.lockRetryMs, stopped);
  }
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
  const pool = poolOption(options.pool);
  const handle = functionOption(options.handle, 'handle');
  // The library's runners mark their handles (libraryHandle); an app cannot name one of theirs.
  if (!libraryHandles.has(handle)) refuseReservedName(name);
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
    // Waits for a batch's transaction to end (commitOutcome).
    waitRow: `SELECT 1 FROM ${s}.consumer_checkpoints WHERE name = $1 FOR SHARE`,
    // The transaction's id, to ask whether it committed should the COMMIT's reply be lost.
    advance: `UPDATE ${s}.consumer_checkpoints SET position = $2, updated_at = now() WHERE name = $1 AND position = $3 RETURNING ${TRANSACTION_ID}`,
  };

  const serves = servingChecks.get(handle);
  const lock = createConsumerLock(pool, lockKey, async (client) => {
    await ensureRow(client);
  });

  /** Makes the checkpoint row if missing; false, and nothing made, once `serves` says no. */
  async function ensureRow(client: PgQueryable): Promise<boolean> {
    if (serves === undefined) {
      await client.query(sql.ensure, [name]);
      return true;
    }
    // In one transaction with the check: a retired generation's row, deleted by the rebuild
    // that retired it, was made again (and its batch then failed on the dropped table).
    await client.query('BEGIN');
    try {
      const serving = await serves(client);
      if (serving) await client.query(sql.ensure, [name]);
      await client.query('COMMIT');
      return serving;
    } catch (error) {
      await client.query('ROLLBACK').catch(() => lock.markBroken());
      throw error;
    }
  }
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
    const after = Number(row?.position ?? 0);
    // Deleted by hand (a reset): from the start, as checkpoint() reads it (a TypeError before);
    // deleted by the rebuild that retired it: no more steps.
    if (row === undefined && !(await ensureRow(tx))) return { kind: 'idle', position: after };
    status.position = after;
    const events = await readBatch(after);
    const last = events.at(-1);
    if (last === undefined) return { kind: 'idle', position: after };
    const to = last.metadata.globalPosition;
    let xid: string | undefined;
    await tx.query('BEGIN');
    try {
      // Retired since the step began (a rebuild swapped): its table may be gone already.
      if (serves !== undefined && !(await serves(tx))) {
        await tx.query('ROLLBACK');
        return { kind: 'idle', position: after };
      }
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
      const advanced = (await tx.query(sql.advance, [name, to, after])).rows[0];
      xid = (advanced as { xid: string } | undefined)?.xid ?? moved();
      await tx.query('COMMIT');
    } catch (error) {
      if (!lock.broken) await tx.query('ROLLBACK').catch(() => lock.markBroken());
      // The COMMIT failed: its reply may have been lost after the server committed (the
      // checkpoint moved, the batch is handled). Asked, not assumed.
      const outcome =
        xid === undefined
          ? 'aborted'
          : await outcomeOf(lock, tx, pool, xid, { text: sql.waitRow, values: [name] });
      if (outcome === 'aborted') throw error;
      if (outcome === 'unknown')
        return { kind: 'unknown', error: unknownOutcome(error, after, to), position: after, to };
    }
    status.position = to;
    status.handledEvents += events.length;
    status.handledBatches += 1;
    return { kind: 'handled', events: events.length, position: to };
  }

  /** The error of an `unknown` step: what the lost COMMIT threw, as its cause. */
  function unknownOutcome(error: unknown, after: number, to: number): Error {
    return new Error(
      `consumer ${name}: the COMMIT of the batch after ${String(after)} up to ${String(to)} got no reply, and whether it landed could not be found out (${thrownText(error)}); the next step reads the checkpoint and goes on from there`,
      { cause: error },
    );
  }

  async function stepOnce(): Promise<ConsumerStep> {
    let step: ConsumerStep;
    try {
      const tx = await lock.acquire();
      if (tx === undefined) return { kind: 'standby' };
      step = await runBatch(tx);
      // A lost COMMIT's connection is gone (its lock with it): the next step takes a new one.
      if (lock.broken) await lock.release();
      if (step.kind === 'unknown') {
        status.lastError = step.error;
        const unknown = step;
        observe(() => options.onError?.(unknown.error, snapshot()));
        return step;
      }
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
    catchUp: () => catchUpBy(step, { clock, lockRetryMs }, loop.stopSignal, status.position),
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
