import type { PgPool } from './consumer-lock.js';

/*
 * A COMMIT that got no reply (the connection dropped after the server got it, or before): the
 * error alone cannot say whether the transaction committed. Its id, read inside it, can be asked
 * about on another connection (`pg_xact_status`, PostgreSQL 13+, made for this), once the
 * transaction has ended: the question waits for a row lock the transaction held (its backend may
 * still be finishing the COMMIT, or the abort of a connection just cut), at most `WAIT_MS`.
 */

/** What became of a transaction whose COMMIT failed. */
export type CommitOutcome = 'committed' | 'aborted' | 'unknown';

/** A select-list item that reads the transaction's id as text (`xid`): add it to a statement inside it. */
export const TRANSACTION_ID = 'pg_current_xact_id()::text AS xid';

// How long the question waits for the transaction to end: a COMMIT or an abort takes
// milliseconds; a backend that has not noticed its client is gone may hold on for much longer.
const WAIT_MS = 2000;

/**
 * Whether the transaction `xid` committed, asked on a connection of `pool` once the statement
 * `locked` has locked a row the transaction updated (`… FOR SHARE`, which waits for it to end). `'unknown'` when it is still in progress after `WAIT_MS`, or the question fails (the
 * database does not answer on a new connection either).
 */
export async function commitOutcome(
  pool: PgPool,
  xid: string,
  locked: { readonly text: string; readonly values: readonly unknown[] },
): Promise<CommitOutcome> {
  let client;
  try {
    client = await pool.connect();
  } catch {
    return 'unknown';
  }
  // An 'error' event of the connection while it is idle must be listened to (pg.Client).
  const ignore = (): void => undefined;
  client.on('error', ignore);
  let healthy = true;
  try {
    await client.query('BEGIN');
    await client.query(`SET LOCAL lock_timeout = ${String(WAIT_MS)}`);
    await client.query(locked.text, [...locked.values]);
    const { rows } = await client.query('SELECT pg_xact_status($1::xid8) AS status', [xid]);
    const status = (rows[0] as { status?: unknown } | undefined)?.status;
    return status === 'committed' || status === 'aborted' ? status : 'unknown';
  } catch {
    return 'unknown';
  } finally {
    await client.query('ROLLBACK').catch(() => {
      healthy = false;
    });
    client.removeListener('error', ignore);
    client.release(!healthy);
  }
}
