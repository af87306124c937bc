/*
 * Example: the worker process of an app on PostgreSQL (docs/live.md). The HTTP process appends
 * through the command handler and reads the `job_summary` view; this process keeps the view, sends
 * the notifications and fires the timers, until SIGTERM. test/postgres/live-worker.test.ts runs it.
 */
// #region worker
import pg from 'pg';
import { createCommandHandler } from 'milestone-escrow';
import { type Notification } from 'milestone-escrow/projections';
import {
  createJobSummaryTable,
  createNotificationDispatcher,
  createPostgresEventStore,
  createTimerRunner,
  type DeadlinesOf,
} from 'milestone-escrow/postgres';

export interface Worker {
  /** Finishes the batches in hand, releases the locks and the pool. */
  stop(): Promise<void>;
}

export async function startWorker(options: {
  readonly connectionString: string;
  readonly schema?: string;
  /** Delivers one notification (mail, SMS…); the key makes a repeat harmless. */
  readonly send: (notification: Notification, idempotencyKey: string) => Promise<void>;
  /** Timers of the app's own; default: the library's (part two's `ExpireReview`, `ExpireDispute`). */
  readonly deadlines?: DeadlinesOf;
}): Promise<Worker> {
  const pool = new pg.Pool({ connectionString: options.connectionString, max: 8 });
  const schema = options.schema ?? 'milestone_escrow';
  const store = createPostgresEventStore({ pool, schema });
  await store.migrate();

  const summaries = createJobSummaryTable({ store, pool, schema });
  const notifications = createNotificationDispatcher({
    store,
    pool,
    schema,
    send: (notification, { idempotencyKey }) => options.send(notification, idempotencyKey),
    onError: (error, id) => {
      console.error(`notification ${id ?? '(loop)'}:`, error);
    },
  });
  const timers = createTimerRunner({
    store,
    pool,
    schema,
    handler: createCommandHandler({ store }),
    ...(options.deadlines === undefined ? {} : { deadlines: options.deadlines }),
  });
  await summaries.migrate(); // the view, and the live tables all three use
  const loops = [summaries.start(), notifications.start(), timers.start()];

  return {
    async stop() {
      await Promise.all([summaries.stop(), notifications.stop(), timers.stop()]);
      await Promise.all(loops);
      await pool.end();
    },
  };
}
// #endregion worker

if (process.argv[1] === new URL(import.meta.url).pathname) {
  const worker = await startWorker({
    connectionString: process.env['DATABASE_URL'] ?? 'postgres://localhost/escrow',
    send: async (n, key) => {
      console.log(`notify ${n.recipient.partyId}: ${n.kind} (key ${key})`);
      await Promise.resolve();
    },
    deadlines: () => [],
  });
  process.once('SIGTERM', () => void worker.stop());
  process.once('SIGINT', () => void worker.stop());
}
