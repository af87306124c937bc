/*
 * One process of the live marketplace (examples/live/marketplace.ts starts them):
 *
 *   writer <w> <writers> <jobs>   drives its share of the jobs through the command handler
 *   consumer                      keeps the job summary table (a durable consumer)
 *   dispatcher                    delivers the outbox's notifications to a flaky "provider"
 *   timer                         fires part two's due deadlines on the simulated clock
 *
 * Each reads DATABASE_URL and LIVE_SCHEMA, stops gracefully on SIGTERM, and writes one line per
 * unit of work on stdout (`e` an event folded, `s` a send) so that the orchestrator can SIGKILL
 * it in the middle of a batch.
 */
import pg from 'pg';
import { createCommandHandler } from 'milestone-escrow';
import {
  createJobSummaryTable,
  createNotificationDispatcher,
  createPostgresEventStore,
  createTimerRunner,
  decodeStored,
  systemClock,
  type Clock,
} from 'milestone-escrow/postgres';
import { jobCommands } from './jobs.js';

const url = process.env['DATABASE_URL'] ?? '';
const schema = process.env['LIVE_SCHEMA'] ?? 'live_example';
const [role = '', ...args] = process.argv.slice(2);
const pool = new pg.Pool({ connectionString: url, max: 4 });
const store = createPostgresEventStore({ pool, schema });
const say = (line: string): void => {
  process.stdout.write(`${line}\n`);
};

/** The simulated clock: the orchestrator's `sim_clock` row, read every 50 ms. */
async function simulatedClock(): Promise<Clock & { close(): void }> {
  const read = async (): Promise<number> => {
    const { rows } = await pool.query<{ now_ms: string }>(
      `SELECT now_ms FROM "${schema}".sim_clock`,
    );
    return Number(rows[0]?.now_ms ?? 0);
  };
  let now = await read();
  const timer = setInterval(() => {
    read().then(
      (value) => (now = value),
      () => undefined,
    );
  }, 50);
  return {
    now: () => now,
    // Real waits, at most 50 ms: the simulated time may jump meanwhile.
    sleep: (ms, signal) => systemClock.sleep(Math.min(ms, 50), signal),
    close: () => {
      clearInterval(timer);
    },
  };
}

function onTerm(stop: () => Promise<void>): void {
  process.once('SIGTERM', () => {
    void stop();
  });
}

async function writer(w: number, writers: number, jobs: number): Promise<void> {
  const handler = createCommandHandler({ store });
  const mine: number[] = [];
  for (let n = w; n < jobs; n += writers) mine.push(n);
  // Interleave the writer's jobs step by step, as a marketplace's users do.
  const scripts = mine.map((n) => ({ n, commands: jobCommands(`job${String(n)}`, n) }));
  for (let step = 0; scripts.some((s) => step < s.commands.length); step++) {
    for (const { n, commands } of scripts) {
      const command = commands[step];
      if (command === undefined) continue;
      await handler.handle(`job${String(n)}`, command, {
        idempotencyKey: `script:${String(n)}:${String(step)}`,
      });
    }
  }
}

async function consumer(): Promise<void> {
  const table = createJobSummaryTable({
    store,
    pool,
    schema,
    batchSize: 50,
    pollMs: 50,
    lockRetryMs: 200,
    decode: (event) => {
      say('e');
      return decodeStored(event);
    },
    onError: (error) => {
      console.error('consumer:', error);
    },
  });
  await table.migrate();
  onTerm(() => table.stop());
  await table.start();
}

async function dispatcher(): Promise<void> {
  let sends = 0;
  const d = createNotificationDispatcher({
    store,
    pool,
    schema,
    batchSize: 50,
    pollMs: 50,
    lockRetryMs: 200,
    leaseMs: 2000,
    retryDelay: (attempts) => 100 * attempts,
    maxAttempts: 20,
    send: async (notification, { idempotencyKey }) => {
      say('s');
      sends += 1;
      // A flaky provider: every seventh call fails before it records anything.
      if (sends % 7 === 0) throw new Error('provider: 503');
      await pool.query(
        `INSERT INTO "${schema}".provider_log (notification_id, idempotency_key) VALUES ($1, $2)`,
        [notification.id, idempotencyKey],
      );
    },
  });
  onTerm(() => d.stop());
  await d.start();
}

async function timer(): Promise<void> {
  const clock = await simulatedClock();
  const runner = createTimerRunner({
    store,
    pool,
    schema,
    handler: createCommandHandler({ store }),
    // No `deadlines`: the library's own (part two's `ExpireReview` and `ExpireDispute`).
    clock,
    pollMs: 50,
    lockRetryMs: 200,
    // The simulated time jumps a day at a time: a command in flight at a jump would pass a
    // shorter deadline (measured by the clock's now()) in an instant.
    handleTimeoutMs: 2 * 24 * 3_600_000,
    // A deadline a person beat is not an error (`overtaken`): whatever lands here is one.
    onError: (error) => {
      console.error('timer:', error);
    },
  });
  onTerm(async () => {
    await runner.stop();
    clock.close();
  });
  await runner.start();
}

async function main(): Promise<void> {
  switch (role) {
    case 'writer':
      await writer(Number(args[0]), Number(args[1]), Number(args[2]));
      break;
    case 'consumer':
      await consumer();
      break;
    case 'dispatcher':
      await dispatcher();
      break;
    case 'timer':
      await timer();
      break;
    default:
      throw new Error(`unknown role ${role}`);
  }
  await pool.end();
}

await main();
