import { exponentialBackoff, nowOf, systemClock, type Clock } from '../live/clock.js';
import { withinUntil } from '../live/deadline.js';
import { inFlight, isStopping, observe, consumerPaced, stepLoop, stopping } from '../live/loop.js';
import {
  clockOption,
  countOption,
  delayFrom,
  functionOption,
  waitOption,
  readOptions,
} from '../shared/options.js';
import { DISPATCHER_OPTIONS } from './option-keys.js';
import { excerpt, thrownText } from '../domain/shared/parse.js';
import { limitOf, runnerOptions, textArgument } from './runner-options.js';
import { outboxProjection, type Notification } from '../projections/outbox.js';
import {
  createPostgresConsumer,
  libraryHandle,
  type ConsumerBatch,
  type ConsumerStep,
  type LiveEventStore,
  type PgPool,
  type PostgresConsumer,
} from './consumer.js';
import { migrateLive } from './live-schema.js';
import { DEFAULT_SCHEMA, quoteSchema } from './schema.js';
import { createStreamCache, type DecodeEvent } from './stream-cache.js';

/*
 * The notifications dispatcher, in two halves that share nothing but a table:
 * - the outbox consumer (a durable consumer) folds the jobs' events into their outbox notifications
 *   and inserts each into `notification_deliveries` in the batch's transaction, keyed by the
 *   notification's stable id: every notification is enqueued exactly once, whatever crashes;
 * - the delivery loop claims due notifications (a lease: `next_attempt_at` moves `leaseMs` ahead,
 *   so no other dispatcher takes them meanwhile), calls the app's `send` with the id as the
 *   idempotency key, and marks each sent, or due again after a backoff, or dead after
 *   `maxAttempts`. A crash between `send` and the mark lets the lease run out and the notification
 *   is sent again: at least once, never lost, the receiver deduplicates by the key.
 */

/** What `send` is told besides the notification. */
export interface DeliveryContext {
  /** The notification's stable id: pass it to the provider as its idempotency key. */
  readonly idempotencyKey: string;
  /** 1 for the first try. */
  readonly attempt: number;
  /**
   * Aborts when the dispatcher gives this send up (`leaseMs` passed): pass it to `fetch` or your
   * client so the call ends too.
   */
  readonly signal: AbortSignal;
}

/** A notification that failed `maxAttempts` times and waits for a person. */
export interface DeadLetter {
  readonly id: string;
  readonly notification: Notification;
  readonly attempts: number;
  readonly lastError: string | null;
}

/** What one delivery step did. */
export interface DeliveryReport {
  readonly claimed: number;
  readonly sent: number;
  /** Failed and due again later. */
  readonly retrying: number;
  /** Failed for the last time: parked as dead letters. */
  readonly dead: number;
  /**
   * Claimed again by another dispatcher before this one's mark (its lease ran out first): what
   * this send did is not recorded, the other claim's outcome counts. Not in `sent`, `retrying`
   * or `dead`; a failed send among them was reported to `onError` all the same.
   */
  readonly reclaimed: number;
}

/** How many notifications are in each state. */
export interface DeliveryCounts {
  readonly pending: number;
  readonly sent: number;
  readonly dead: number;
}

/** Options of {@link createNotificationDispatcher}. */
export interface NotificationDispatcherOptions {
  /** Where the events come from. */
  readonly store: LiveEventStore;
  /** The pool for the tables and the outbox consumer's connection: `pg.Pool` (a `pg.Client` is `INVALID_INPUT`). */
  readonly pool: PgPool;
  /** The schema of the tables (default `milestone_escrow`). */
  readonly schema?: string;
  /** Delivers one notification; throw (or reject) to have it retried. */
  readonly send: (notification: Notification, context: DeliveryContext) => Promise<void>;
  /** Tries before a notification is parked (default 5). */
  readonly maxAttempts?: number;
  /** The wait before try `n + 1` after `n` failed tries (default 1 s doubling up to 1 h). */
  readonly retryDelay?: (attempts: number) => number;
  /**
   * How long a claimed notification is left to its dispatcher before another may send it (default
   * 60 s): longer than `send` ever takes. A `send` not settled by then is given up: a failed try
   * (retried after `retryDelay`, or parked), its late result ignored.
   */
  readonly leaseMs?: number;
  /** Notifications claimed (and sent concurrently) per delivery step (default 20). */
  readonly claimSize?: number;
  /** Events per outbox batch (default 500, as the consumer's). */
  readonly batchSize?: number;
  /** Wait when there is nothing to queue or send (default 100 ms). */
  readonly pollMs?: number;
  /** Wait of a standby outbox consumer before trying the lock again (default 1000 ms). */
  readonly lockRetryMs?: number;
  /**
   * Called with every failed step and every failed `send` (with its notification's id). What
   * fails after a `send` resolved (the clock, the sent mark) comes without an id: the
   * notification was sent, and is counted `sent`. So does a clock that fails while a failed
   * send's retry is scheduled (the retry is due when the lease ends).
   */
  readonly onError?: (error: unknown, notificationId?: string) => void;
  /** Turns a stored event into a job event (default: upcast and validate). */
  readonly decode?: DecodeEvent;
  /** Which streams are jobs' (default: ids starting with `job-`). */
  readonly accepts?: (streamId: string) => boolean;
  /** The clock of leases, retries and the loop (default the system clock). */
  readonly clock?: Clock;
}

/** The notifications dispatcher (see {@link createNotificationDispatcher}). */
export interface NotificationDispatcher {
  /** The consumer that enqueues the outbox's notifications. */
  readonly outbox: PostgresConsumer;
  /** Creates the live tables if missing. */
  migrate(): Promise<void>;
  /** One delivery step: claims due notifications and sends them. */
  deliver(): Promise<DeliveryReport>;
  /** One step of both halves: an outbox batch, then a delivery step. */
  step(): Promise<{ readonly outbox: ConsumerStep; readonly delivery: DeliveryReport }>;
  /** Runs both halves until `stop()`. */
  start(): Promise<void>;
  /**
   * Stops after the current step (the outbox batch commits, the claimed sends settle or are given
   * up at `leaseMs`): within `leaseMs` even while a `send` hangs.
   */
  stop(): Promise<void>;
  /** The parked notifications, oldest first. */
  deadLetters(options?: { readonly limit?: number }): Promise<DeadLetter[]>;
  /** Puts a dead letter back in the queue, due now, with its tries reset; false if it is not dead. */
  retry(id: string): Promise<boolean>;
  /** Notifications per state. */
  counts(): Promise<DeliveryCounts>;
}

/**
 * A failed send's error as its row keeps it: text whatever was thrown, without the U+0000 a text
 * column refuses (the row was never marked, and the notification was sent for ever).
 */
const lastError = (error: unknown): string =>
  excerpt(thrownText(error).replaceAll('\0', '\ufffd'), 2000);

/** Creates the notifications dispatcher (see docs/live.md). */
// eslint-disable-next-line max-lines-per-function -- a factory: its closure is the dispatcher (its outbox consumer, its pacing); each part (enqueue, deliverOne, deliver, step, the methods) is short.
export function createNotificationDispatcher(
  given: NotificationDispatcherOptions,
): NotificationDispatcher {
  const options = readOptions(given, DISPATCHER_OPTIONS, 'store, pool and send');
  const { store, pool } = runnerOptions(options, 'store, pool and send');
  const send = functionOption(options.send, 'send');
  const schema = options.schema ?? DEFAULT_SCHEMA;
  const s = quoteSchema(schema);
  const table = `${s}.notification_deliveries`;
  const maxAttempts = countOption(options.maxAttempts ?? 5, 'maxAttempts');
  const retryDelay = functionOption(
    options.retryDelay ?? exponentialBackoff(1000, 3_600_000),
    'retryDelay',
  );
  const leaseMs = waitOption(options.leaseMs ?? 60_000, 'leaseMs');
  const claimSize = countOption(options.claimSize ?? 20, 'claimSize');
  const clock = clockOption(options.clock, systemClock);
  const pacing = {
    pollMs: waitOption(options.pollMs ?? 100, 'pollMs'),
    lockRetryMs: waitOption(options.lockRetryMs ?? 1000, 'lockRetryMs'),
    backoff: exponentialBackoff(),
  };
  const cache = createStreamCache(outboxProjection, {
    store,
    ...(options.decode === undefined ? {} : { decode: options.decode }),
    ...(options.accepts === undefined ? {} : { accepts: options.accepts }),
  });

  async function enqueue({ events, tx }: ConsumerBatch): Promise<void> {
    // Only the batch's own notifications: what the history before it made was enqueued already.
    const work = await cache.apply(events, (acc) => {
      acc.notifications.length = 0;
    });
    const fresh = work.flatMap((w) => w.acc.notifications);
    if (fresh.length === 0) return;
    await tx.query(
      `INSERT INTO ${table} (id, job_id, notification)
       SELECT * FROM unnest($1::text[], $2::text[], $3::jsonb[])
       ON CONFLICT (id) DO NOTHING`,
      [fresh.map((n) => n.id), fresh.map((n) => n.jobId), fresh.map((n) => JSON.stringify(n))],
    );
  }

  const outbox = createPostgresConsumer({
    name: 'notifications:outbox',
    store,
    pool,
    schema,
    handle: libraryHandle(enqueue),
    // batchSize: checked (and defaulted) by the consumer, created here.
    ...(options.batchSize === undefined ? {} : { batchSize: options.batchSize }),
    pollMs: pacing.pollMs,
    lockRetryMs: pacing.lockRetryMs,
    clock,
    ...(options.onError === undefined ? {} : { onError: (e: unknown) => options.onError?.(e) }),
  });

  type Outcome = 'sent' | 'retrying' | 'dead' | 'reclaimed';
  // A mark ($1 id, $2 attempts, $3 lease) applies only while the row is still this claim's: past
  // the lease another dispatcher may have claimed it (attempts and lease moved on), and the mark
  // would overwrite its claim with a stale result.
  const mine = `id = $1 AND status = 'pending' AND attempts = $2 AND next_attempt_at = $3`;

  /**
   * Marks a notification whose `send` resolved: it is sent, whatever fails from here on.
   * A clock that cannot be read dates it at the claim; a mark that cannot be written is reported
   * (without the id, which `onError` gives only for a failed send) and the lease brings it back.
   */
  async function markSent(row: { id: string; attempts: number }, claimedAt: number) {
    const report = (error: unknown): void => {
      observe(() => options.onError?.(error));
    };
    let at = claimedAt;
    try {
      at = nowOf(clock);
    } catch (error) {
      report(error);
    }
    try {
      const marked = await pool.query(
        `UPDATE ${table} SET status = 'sent', sent_at = $4, last_error = NULL WHERE ${mine} RETURNING id`,
        [row.id, row.attempts, claimedAt + leaseMs, at],
      );
      return marked.rows.length === 0 ? 'reclaimed' : 'sent';
    } catch (error) {
      const text = `notification ${row.id} was sent, but its mark could not be written (it is sent again once its lease runs out): ${thrownText(error)}`;
      report(new Error(text, { cause: error }));
      return 'sent';
    }
  }

  /** Sends one claimed notification and records what came of it. */
  async function deliverOne(
    row: { id: string; notification: Notification; attempts: number },
    claimedAt: number,
  ): Promise<Outcome> {
    const lease = claimedAt + leaseMs;
    try {
      // Until the lease ends, not leaseMs from now: another dispatcher may claim it from then.
      await withinUntil(
        (signal) =>
          send(row.notification, { idempotencyKey: row.id, attempt: row.attempts, signal }),
        lease,
        leaseMs,
        clock,
        `send of notification ${row.id}`,
      );
    } catch (error) {
      observe(() => options.onError?.(error, row.id));
      const parked = row.attempts >= maxAttempts;
      let delay: number;
      try {
        delay = delayFrom(retryDelay, row.attempts, 'retryDelay');
      } catch (bad) {
        // A retry at once, every time, would resend in a loop: the dispatcher stops instead.
        throw stopping(bad);
      }
      // A clock that cannot be read leaves the retry due when the lease ends, as an unmarked
      // claim would be: the step goes on, the clock's error is reported (without the id).
      let due = lease;
      try {
        due = nowOf(clock) + delay;
      } catch (clockError) {
        observe(() => options.onError?.(clockError));
      }
      const marked = await pool.query(
        `UPDATE ${table} SET status = $4, next_attempt_at = $5, last_error = $6 WHERE ${mine} RETURNING id`,
        [row.id, row.attempts, lease, parked ? 'dead' : 'pending', due, lastError(error)],
      );
      if (marked.rows.length === 0) return 'reclaimed';
      return parked ? 'dead' : 'retrying';
    }
    return markSent(row, claimedAt);
  }

  async function deliver(): Promise<DeliveryReport> {
    const now = nowOf(clock);
    const { rows } = await pool.query(
      `UPDATE ${table} SET next_attempt_at = $2, attempts = attempts + 1
        WHERE id IN (SELECT id FROM ${table}
                      WHERE status = 'pending' AND next_attempt_at <= $1
                      ORDER BY next_attempt_at, id LIMIT $3 FOR UPDATE SKIP LOCKED)
        RETURNING id, notification, attempts`,
      [now, now + leaseMs, claimSize],
    );
    // Every claimed send settles (or is given up at leaseMs) before the step does: a stop (or a
    // failed mark) must not leave marks to come behind a stopped dispatcher, whose app may then
    // end the pool.
    const settled = await Promise.allSettled(
      (rows as { id: string; notification: Notification; attempts: number }[]).map((row) =>
        deliverOne(row, now),
      ),
    );
    const failed = settled.flatMap((s) => (s.status === 'rejected' ? [s.reason as unknown] : []));
    if (failed.length > 0) {
      // A stopping error (the retryDelay's) ends the loop whichever send failed first: thrown
      // after another send's failed mark, it was retried as that one. The failures
      // not thrown are reported, not dropped.
      const thrown = failed.find(isStopping) ?? failed[0];
      for (const error of failed) if (error !== thrown) observe(() => options.onError?.(error));
      throw thrown;
    }
    const outcomes = settled.flatMap((s) => (s.status === 'fulfilled' ? [s.value] : []));
    const count = (outcome: Outcome): number => outcomes.filter((o) => o === outcome).length;
    const sent = count('sent');
    const retrying = count('retrying');
    const dead = count('dead');
    return { claimed: rows.length, sent, retrying, dead, reclaimed: count('reclaimed') };
  }

  // The loop's outbox step: standby or failed, tried again after lockRetryMs or the backoff.
  const loopOutbox = consumerPaced(() => outbox.step(), clock, pacing);
  async function step(consume = () => outbox.step()) {
    const consumed = await consume();
    const delivery = await deliver();
    return { outbox: consumed, delivery };
  }

  const lifecycle = stepLoop({
    clock,
    pacing,
    step: async () => {
      const { outbox: consumed, delivery } = await step(loopOutbox);
      return consumed.kind === 'handled' || delivery.claimed > 0;
    },
    onError: (error: unknown) => options.onError?.(error),
    // The loop's step, then the calls asked directly: no mark or command after the stop.
    release: () => asked.settled().then(() => outbox.stop()),
  });
  const asked = inFlight();

  return {
    outbox,
    migrate: () => migrateLive(pool, schema),
    deliver: () => asked.track(deliver()),
    step: () => asked.track(step()),
    start: () => lifecycle.start(),
    stop: () => lifecycle.stop(),
    async deadLetters(query) {
      const { rows } = await pool.query(
        `SELECT id, notification, attempts, last_error FROM ${table}
          WHERE status = 'dead' ORDER BY created_at, id LIMIT $1`,
        [limitOf(query, 100)],
      );
      return (
        rows as {
          id: string;
          notification: Notification;
          attempts: number;
          last_error: string | null;
        }[]
      ).map((r) => ({
        id: r.id,
        notification: r.notification,
        attempts: r.attempts,
        lastError: r.last_error,
      }));
    },
    async retry(id) {
      const { rows } = await pool.query(
        `UPDATE ${table} SET status = 'pending', attempts = 0, next_attempt_at = $2
          WHERE id = $1 AND status = 'dead' RETURNING id`,
        [textArgument(id, 'id'), nowOf(clock)],
      );
      return rows.length === 1;
    },
    async counts() {
      const { rows } = await pool.query(
        `SELECT status, count(*)::integer AS n FROM ${table} GROUP BY status`,
      );
      const out = { pending: 0, sent: 0, dead: 0 };
      for (const r of rows as { status: keyof DeliveryCounts; n: number }[]) out[r.status] = r.n;
      return out;
    },
  };
}
