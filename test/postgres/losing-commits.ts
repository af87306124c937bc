import pg from 'pg';
import type { PgClient, PgPool } from '../../src/postgres/consumer-lock.js';
import { clientWith, DATABASE_URL, type TestDatabase } from './database.js';

/*
 * A pool whose connections lose a chosen statement's reply, as a dropped connection does: the
 * consumers' and the rebuild's lost COMMITs (commit-outcome.test.ts), the store's lost appends
 * (append-outcome.test.ts), and a single pg.Client's (single-client.test.ts).
 */

/** What pg says when the server connection drops under a query. */
export const LOST = 'Connection terminated unexpectedly';

/**
 * A pool of the test database whose connections answer a COMMIT with a dropped connection when
 * `loses` (made once per connection, shown every statement) picks it: after the server committed
 * (`landed`) or rolled back it. With `outOfReach`, the `connect()` right after the loss fails too
 * (the database cannot be asked).
 */
export function losingCommits(
  db: TestDatabase,
  mode: 'landed' | 'rolled back',
  outOfReach: boolean,
  loses: () => (text: string) => boolean,
): PgPool {
  let refuse = false;
  return {
    query: (text: string, values?: unknown[]) => db.pool.query(text, values),
    async connect(): Promise<PgClient> {
      if (refuse) {
        refuse = false;
        throw new Error('connect ECONNREFUSED');
      }
      const client = await db.pool.connect();
      const { rows } = await client.query<{ pid: number }>('SELECT pg_backend_pid() AS pid');
      const pid = rows[0]!.pid;
      const lost = loses();
      return clientWith(client, async (text, values) => {
        if (lost(text)) {
          await client.query(mode === 'landed' ? 'COMMIT' : 'ROLLBACK');
          await cut(db, client, pid);
          refuse = outOfReach;
          throw new Error(LOST);
        }
        return client.query(text, values);
      });
    },
  };
}

/** Ends `client`'s server connection (backend `pid`), as a dropped connection does. */
async function cut(db: TestDatabase, client: pg.ClientBase, pid: number): Promise<void> {
  const ended = new Promise((resolve) => client.once('end', resolve));
  await db.pool.query('SELECT pg_terminate_backend($1)', [pid]);
  // The connection's 'error' event is out before the call fails (one unheard ends the process).
  await ended;
}

/**
 * A connected `pg.Client` of the test database (a real one: the store tells a single connection
 * by its class) whose next statement that `loses` picks gets a dropped connection in place of its
 * reply: after it ran on its own, auto-committed (`landed`), or before it was sent (`not sent`).
 * Its 'error' event is listened to, as an app must. The caller ends it.
 */
export async function losingClient(
  db: TestDatabase,
  mode: 'landed' | 'not sent',
  loses: (text: string) => boolean,
): Promise<pg.Client> {
  const client = new pg.Client({ connectionString: DATABASE_URL });
  await client.connect();
  client.on('error', () => undefined);
  const { rows } = await client.query<{ pid: number }>('SELECT pg_backend_pid() AS pid');
  const pid = rows[0]!.pid;
  const query = client.query.bind(client) as (text: string, values?: unknown[]) => Promise<unknown>;
  let armed = true;
  const lossy = async (text: string, values?: unknown[]): Promise<unknown> => {
    if (armed && typeof text === 'string' && loses(text)) {
      armed = false;
      if (mode === 'landed') await query(text, values);
      await cut(db, client, pid);
      throw new Error(LOST);
    }
    return query(text, values);
  };
  return Object.assign(client, { query: lossy });
}
