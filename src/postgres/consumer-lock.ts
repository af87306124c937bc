import type { PgQueryable } from './store.js';

/*
 * The consumer's own connection and the session advisory lock it holds on the consumer's name.
 * Only the process holding the lock runs the consumer's batches; PostgreSQL drops the lock when
 * the connection ends (a clean stop, a crash, a SIGKILL), so a waiting process takes over at its
 * next try. A connection that broke is closed rather than given back to the pool.
 */

/** A connection taken from a pool for the consumer's lock and transactions: `pg.PoolClient`. */
export interface PgClient extends PgQueryable {
  /** Gives the connection back to its pool; `true` (or an error) closes it instead. */
  release(destroy?: boolean | Error): void;
  /** `pg.Client` emits `'error'` when its server connection breaks while it is idle. */
  on(event: 'error', listener: (error: Error) => void): unknown;
  /** Stops listening (the consumer's listener goes when it gives the connection back). */
  removeListener(event: 'error', listener: (error: Error) => void): unknown;
}

/** A pool that hands out dedicated connections: `pg.Pool`. */
export interface PgPool extends PgQueryable {
  /** Takes a connection out of the pool, for the caller alone until it is released. */
  connect(): Promise<PgClient>;
}

/** The lock on one consumer name and the connection that holds it. */
export interface ConsumerLock {
  /** The connection holding the lock (taken now if free); `undefined` when another process holds it. */
  acquire(): Promise<PgClient | undefined>;
  /** Unlocks and gives the connection back (closing it if it broke). */
  release(): Promise<void>;
  /** Notes that the connection can no longer be trusted (a failed rollback): it will be closed. */
  markBroken(): void;
  /** True while this process holds the connection (and so, unless it broke, the lock). */
  readonly held: boolean;
  /** True when the held connection broke (its lock is gone with it). */
  readonly broken: boolean;
}

const SQL = {
  tryLock: 'SELECT pg_try_advisory_lock(hashtextextended($1, 0)) AS locked',
  unlock: 'SELECT pg_advisory_unlock(hashtextextended($1, 0))',
};

/**
 * The lock of `lockKey` on a connection of `pool`. `onAcquired` runs on the connection right after
 * the lock is taken (the consumer makes sure its checkpoint row exists).
 */
export function createConsumerLock(
  pool: PgPool,
  lockKey: string,
  onAcquired: (client: PgClient) => Promise<void>,
): ConsumerLock {
  let client: PgClient | undefined;
  let broken = false;
  const onConnectionError = (): void => {
    broken = true;
  };

  async function release(): Promise<void> {
    const held = client;
    client = undefined;
    if (held === undefined) return;
    if (!broken) {
      try {
        await held.query(SQL.unlock, [lockKey]);
      } catch {
        broken = true;
      }
    }
    held.removeListener('error', onConnectionError);
    held.release(broken);
    broken = false;
  }

  async function acquire(): Promise<PgClient | undefined> {
    if (client !== undefined && !broken) return client;
    if (client !== undefined) await release();
    const candidate = await pool.connect();
    // A connection that breaks while idle says so with an 'error' event, which must be listened to.
    const dropped = (): void => undefined;
    candidate.on('error', dropped);
    try {
      const { rows } = await candidate.query(SQL.tryLock, [lockKey]);
      candidate.removeListener('error', dropped);
      if (!(rows[0] as { locked: boolean }).locked) {
        candidate.release();
        return undefined;
      }
      candidate.on('error', onConnectionError);
      client = candidate;
      broken = false;
      await onAcquired(candidate);
      return candidate;
    } catch (error) {
      candidate.removeListener('error', dropped);
      if (client === candidate) {
        broken = true;
        await release();
      } else candidate.release(true);
      throw error;
    }
  }

  return {
    acquire,
    release,
    markBroken() {
      broken = true;
    },
    get held() {
      return client !== undefined;
    },
    get broken() {
      return broken;
    },
  };
}
