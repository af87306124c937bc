import type { ConsumerLock, PgClient, PgPool } from './consumer-lock.js';
import type { PgQueryable } from './store.js';

/*
 * A COMMIT that got no reply (the connection dropped after the server got it, or before): the
 * error alone cannot say whether the transaction committed. Its id, read inside it, can be asked
 * about (`pg_xact_status`, PostgreSQL 13+, made for this) once the transaction has ended: on its
 * own connection if that still answers (the COMMIT is over before the next query runs), else on
 * another, which waits for a row lock the transaction held if it is still in progress (its
 * backend may still be finishing the COMMIT, or the abort of a connection just cut), at most
 * `WAIT_MS`.
 */

/** What became of a transaction whose COMMIT failed. */
export type CommitOutcome = 'committed' | 'aborted' | 'unknown';

/** A select-list item that reads the transaction's id as text (`xid`): add it to a statement inside it. */
export const TRANSACTION_ID = 'pg_current_xact_id()::text AS xid';

// How long the question waits for the transaction to end: a COMMIT or an abort takes
// milliseconds; a backend that has not noticed its client is gone may hold on for much longer.
const WAIT_MS = 2000;

/**
 * What `pg_xact_status` says of `xid` on `client`: `'unknown'` while it is in progress (or too
 * old to say). Rejects when the connection does.
 */
async function transactionStatus(client: PgQueryable, xid: string): Promise<CommitOutcome> {
  const { rows } = await client.query('SELECT pg_xact_status($1::xid8) AS status', [xid]);
  const status = (rows[0] as { status?: unknown } | undefined)?.status;
  return status === 'committed' || status === 'aborted' ? status : 'unknown';
}

/**
 * Whether the transaction `xid` committed, asked on a new connection of `pool`: at once, and if
 * it is still in progress, again once the statement `locked` has locked a row the transaction
 * updated (`… FOR SHARE`, which waits for it to end). Asked first without the wait: another
 * process that took the row over since (a standby taking the consumer's lock) holds it through
 * its batch, and the wait gave up on a transaction long ended. `'unknown'` when it is still in
 * progress after `WAIT_MS`, or the question fails (the database does not answer on a new
 * connection either). The caller gives back a broken connection first: with a pool of one (or
 * all checked out) the question waited for it, for ever.
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
    const now = await transactionStatus(client, xid);
    if (now !== 'unknown') return now;
    await client.query('BEGIN');
    await client.query(`SET LOCAL lock_timeout = ${String(WAIT_MS)}`);
    await client.query(locked.text, [...locked.values]);
    return await transactionStatus(client, xid);
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

/**
 * Whether the transaction `xid`, whose COMMIT threw on a connection the caller holds (`client`),
 * committed: asked on that connection while it answers (`broken` false: a COMMIT the server
 * refused, such as a deferred constraint's), else on a new one of `pool` once `giveBack` has
 * returned the broken one (a pool of one, or one whose every connection is out, waited for it for
 * ever). `giveBack` is called only then.
 */
export async function outcomeAfter(
  client: PgQueryable,
  broken: boolean,
  giveBack: () => void | Promise<void>,
  pool: PgPool,
  xid: string,
  locked: { readonly text: string; readonly values: readonly unknown[] },
): Promise<CommitOutcome> {
  if (!broken) {
    const said = await transactionStatus(client, xid).catch(() => undefined);
    if (said !== undefined) return said;
  }
  await giveBack();
  return commitOutcome(pool, xid, locked);
}

/** A connection checked out of a pool for one transaction (see {@link checkOut}). */
export interface CheckedOut {
  readonly client: PgClient;
  /** True once the connection emitted 'error', or the caller marked it. */
  readonly broken: boolean;
  /** Notes that the connection cannot be trusted (a failed ROLLBACK): it will be destroyed. */
  markBroken(): void;
  /** Gives the connection back, the first call only; destroyed when `destroy` (default: broken). */
  giveBack(destroy?: boolean): void;
}

/**
 * Checks a connection out of `pool` (a failed connect rejects, nothing taken), listening for its
 * 'error' event meanwhile: a pg.Client's unheard one ends the process, and a connection that
 * had one is broken. {@link outcomeAfter}'s `giveBack` may return it early, so it goes back once.
 */
export async function checkOut(pool: PgPool): Promise<CheckedOut> {
  const client = await pool.connect();
  let broken = false;
  let given = false;
  const onError = (): void => {
    broken = true;
  };
  client.on('error', onError);
  return {
    client,
    get broken() {
      return broken;
    },
    markBroken() {
      broken = true;
    },
    giveBack(destroy = broken) {
      if (given) return;
      given = true;
      client.removeListener('error', onError);
      client.release(destroy);
    },
  };
}

/** {@link outcomeAfter} for a consumer's batch, on the connection `lock` holds (`tx`). */
export function outcomeOf(
  lock: ConsumerLock,
  tx: PgQueryable,
  pool: PgPool,
  xid: string,
  locked: { readonly text: string; readonly values: readonly unknown[] },
): Promise<CommitOutcome> {
  const giveBack = async (): Promise<void> => {
    lock.markBroken();
    await lock.release();
  };
  return outcomeAfter(tx, lock.broken, giveBack, pool, xid, locked);
}
