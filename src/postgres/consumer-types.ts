import type { Clock } from '../live/clock.js';
import type { EventStore, RecordedEvent } from '../store/port.js';
import type { PgPool } from './consumer-lock.js';
import type { ConsumerStatus } from './consumer-status.js';
import type { PgQueryable } from './store.js';

/* The durable consumer's public types: its options, a batch, a step, the consumer (consumer.ts). */

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
  /**
   * The batch failed (the handler threw, or the connection broke): the checkpoint stayed. A
   * COMMIT whose reply was lost counts as failed only once the database says it did not land.
   */
  | { readonly kind: 'failed'; readonly error: unknown; readonly position: number }
  /**
   * The batch's COMMIT got no reply and whether it landed could not be found out (the database
   * did not answer on another connection either, or the transaction was still in progress): the
   * checkpoint is `position` (the batch's `after`) or `to`. Not a failure: the next step reads
   * the checkpoint and goes on from there, so nothing is skipped or handled twice. `error` (also
   * given to `onError`) says so.
   */
  | {
      readonly kind: 'unknown';
      readonly error: unknown;
      readonly position: number;
      readonly to: number;
    };

/** Options of {@link createPostgresConsumer}. */
export interface PostgresConsumerOptions {
  /** The consumer's name: its checkpoint and its lock. 1–200 characters of well-formed text without U+0000. */
  readonly name: string;
  /** Where the events come from: only `readAll({ after })` is used (and `headGlobalPosition` for lag). */
  readonly store: LiveEventStore;
  /** The pool for the consumer's own connection (lock, checkpoint, transactions): `pg.Pool` (a `pg.Client` is `INVALID_INPUT`). */
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
  /**
   * Called with every failed batch (after the rollback), and with a batch whose COMMIT's outcome
   * could not be found out (an `unknown` step). Default: nothing (see `status()`).
   */
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
  /**
   * Handles every event up to the head as it is now (steps until idle); resolves to the
   * checkpoint. A `stop()` begun meanwhile ends it after the step in hand: it resolves to the
   * checkpoint as far as it got (-1 if this process never read it). One asked while a `stop()` is
   * under way ends at once, stepping nothing.
   */
  catchUp(): Promise<number>;
  /** The stored checkpoint (0 for a consumer that never ran). */
  checkpoint(): Promise<number>;
  /** Asks the store for its head and returns the lag (events behind it). */
  lag(): Promise<number>;
  /** What this process knows of the consumer now (no query). */
  status(): ConsumerStatus;
}
