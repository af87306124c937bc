import pg from 'pg';
import { checkOut, outcomeAfter } from './commit-outcome.js';
import type { PgPool } from './consumer-lock.js';
import type { PgQueryable } from './store.js';
import { excerpt, isInstance, thrownText } from '../domain/shared/parse.js';

/*
 * An append whose reply is lost (the connection drops after the server got it) is resolved, not
 * guessed (docs/postgres.md, "An append whose reply is lost"). On a pool that hands out
 * connections (`pg.Pool`), each append statement runs in a transaction of its own, BEGIN; the
 * statement, which also returns the transaction's id; COMMIT, so that the id is known before
 * the COMMIT: a lost reply of the statement means no COMMIT was sent (nothing can be written, the
 * error stands), and a lost reply of the COMMIT is asked about (commit-outcome.ts).
 *
 * A single connection (`pg.Client`, whose `connect()` connects itself and returns no client) may
 * be the app's too: a transaction on it would take in whatever else runs on it between the
 * BEGIN and the COMMIT (a read seeing rows that are not committed). There the statement stays
 * auto-committed, and only an error the server sent for it, or pg's refusal to send it on a
 * client already ended or broken, says it did not commit; otherwise the connection is gone (a
 * pg.Client never reconnects), nothing can be asked, and the outcome is unknown.
 */

/**
 * Thrown by the PostgreSQL store's `appendToStream` when the append's reply was lost and the
 * database could not say, within a bounded wait and on a new connection, whether it committed:
 * the events may be in the stream or not. It is not a rejection (not a `DomainError`): do not
 * decide the command again on a guess; read the stream, or retry the command with the same
 * idempotency key (the command handler then returns the first result if the append landed).
 * @category Errors
 */
export class AppendOutcomeUnknownError extends Error {
  /** Always `'AppendOutcomeUnknownError'`. */
  override readonly name = 'AppendOutcomeUnknownError';
  /** A stable code to test for without `instanceof`. */
  readonly code = 'APPEND_OUTCOME_UNKNOWN' as const;
  /** The stream the append was for. */
  readonly streamId: string;

  /** `cause` is the connection's error. */
  constructor(streamId: string, cause: unknown) {
    super(
      `the append to stream ${excerpt(streamId)} may or may not be written: its reply was lost (${excerpt(thrownText(cause))}) and the database could not say; read the stream, or retry with the same idempotency key, before deciding again`,
      { cause },
    );
    this.streamId = streamId;
  }
}

/** What an append statement's rows carry: where its events went (null: nothing written), and the transaction's id. */
interface OutcomeRow {
  readonly last_global_position: string | number | null;
  readonly xid?: string;
}

/** Runs one append statement and resolves to its rows (or throws what the append should throw). */
export type RunAppend = (
  text: string,
  values: unknown[],
  streamId: string,
) => Promise<readonly unknown[]>;

/**
 * The way the store runs its append statements on `pool`: in a transaction of its own when the
 * pool hands out connections (`connect`), whose lost reply is resolved; on a `pg.Client`, as one
 * statement whose lost reply is {@link AppendOutcomeUnknownError}; else (a queryable with only
 * `query`) as one statement whose lost reply stays the error. `locked` is a statement that locks
 * the counter row every writing append updates.
 */
export function appendRunner(pool: PgQueryable, locked: string): RunAppend {
  // Asked first: a pg.Client has a `connect` too, which rejects once it is connected.
  if (isInstance(pool, pg.Client))
    return (text, values, streamId) => appendOnClient(pool, text, values, streamId);
  if (typeof (pool as Partial<PgPool>).connect !== 'function')
    return async (text, values) => (await pool.query(text, values)).rows;
  const pooled = pool as PgPool;
  return (text, values, streamId) =>
    appendInTransaction(pooled, text, values, streamId, { text: locked, values: [] });
}

/** One auto-committed append statement on a single connection (see the top). */
async function appendOnClient(
  client: PgQueryable,
  text: string,
  values: unknown[],
  streamId: string,
): Promise<readonly unknown[]> {
  try {
    return (await client.query(text, values)).rows;
  } catch (error) {
    if (wroteNothing(error)) throw error;
    throw new AppendOutcomeUnknownError(streamId, error);
  }
}

/**
 * Whether `error` says the statement wrote nothing: the server's answer that it failed (a
 * SQLSTATE and a severity: pg's `DatabaseError`, read by shape, since another copy of pg has
 * another class), unless it ends the connection (class 08, or 57P: a shutdown or a terminated
 * backend, which may come after the statement committed); or pg's refusal of a query on a client
 * already ended or broken, made where pg would have queued it, so never sent (matched whole: a
 * message pg changes falls back to unknown, still true).
 */
function wroteNothing(error: unknown): boolean {
  try {
    const { code, severity, message } = error as {
      code?: unknown;
      severity?: unknown;
      message?: unknown;
    };
    return (
      (typeof severity === 'string' &&
        typeof code === 'string' &&
        /^[0-9A-Z]{5}$/.test(code) &&
        !/^(?:08|57P)/.test(code)) ||
      (typeof message === 'string' &&
        /^Client (has encountered a connection error|was closed) and is not queryable$/.test(
          message,
        ))
    );
  } catch {
    return false;
  }
}

/** One append statement in a transaction of its own on a connection of `pool` (see the top). */
async function appendInTransaction(
  pool: PgPool,
  text: string,
  values: unknown[],
  streamId: string,
  locked: { readonly text: string; readonly values: readonly unknown[] },
): Promise<readonly unknown[]> {
  // A failed connect sent nothing: its error stands, as before.
  const held = await checkOut(pool);
  const { client } = held;
  let rows: readonly OutcomeRow[] | undefined;
  try {
    await client.query('BEGIN');
    rows = (await client.query(text, values)).rows as OutcomeRow[];
    await client.query('COMMIT');
    return rows;
  } catch (error) {
    if (rows === undefined) {
      // No COMMIT was sent: whatever the server did is rolled back (now, or when it sees the
      // connection gone), so the error stands and a retry is safe.
      await client.query('ROLLBACK').catch(() => {
        held.markBroken();
      });
      throw error;
    }
    // Nothing was written (every expected version missed): committed or not, the answer is the same.
    if (rows.every((row) => row.last_global_position === null)) return rows;
    const xid = rows[0]?.xid;
    const outcome =
      xid === undefined
        ? 'unknown'
        : await outcomeAfter(client, held.broken, () => held.giveBack(true), pool, xid, locked);
    if (outcome === 'committed') return rows;
    if (outcome === 'aborted') throw error;
    throw new AppendOutcomeUnknownError(streamId, error);
  } finally {
    held.giveBack();
  }
}
