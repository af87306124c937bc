import { beforeEach, describe, expect, it } from 'vitest';
import type { NotificationDispatcher } from '../../src/postgres/dispatcher.js';
import { outbox } from '../../src/projections/outbox.js';
import type { Notification } from '../../src/projections/outbox.js';
import { currentUpcasters } from '../../src/upcasting/upcasters.js';
import { createFakeClock, type FakeClock } from '../live/fake-clock.js';
import {
  type DispatcherOptions,
  driveJobs,
  jobRange,
  openDispatcher,
  skipPostgres,
  stoppedAfterEach,
  useTestDatabase,
} from './database.js';

/*
 * The notifications dispatcher on a real PostgreSQL: every outbox notification is sent at least
 * once with its stable id as the idempotency key, failures are retried after a backoff on the
 * injected clock, parked after maxAttempts (listable, retryable), and a crash between `send` and
 * its bookkeeping loses nothing (the lease runs out and it is sent again).
 */

describe.skipIf(skipPostgres)('PostgreSQL notifications dispatcher', () => {
  const db = useTestDatabase('dispatcher', { poolSize: 12 });
  let clock: FakeClock;
  const opened = stoppedAfterEach<NotificationDispatcher>();
  beforeEach(async () => {
    clock = createFakeClock();
    await dispatcher({ send: () => Promise.resolve() }).migrate();
    await db.truncate('notification_deliveries', 'consumer_checkpoints');
  });

  const dispatcher = (options: DispatcherOptions): NotificationDispatcher =>
    openDispatcher(db, clock, opened, { batchSize: 9, claimSize: 7, ...options });

  const drive = (jobs: number): Promise<void> => driveJobs(db, jobRange(0, jobs));

  /** Every notification of every job's outbox, from a fresh fold: what must be delivered. */
  async function expected(jobs: number): Promise<string[]> {
    const ids: string[] = [];
    for (let n = 0; n < jobs; n++) {
      const events = [];
      for await (const e of db.store().readStream(`job-job${String(n)}`))
        events.push(currentUpcasters.upcast(e));
      ids.push(...outbox(events).notifications.map((x) => x.id));
    }
    return ids.sort();
  }

  async function drain(d: NotificationDispatcher): Promise<void> {
    for (;;) {
      const { outbox: o, delivery } = await d.step();
      if (o.kind !== 'handled' && delivery.claimed === 0) return;
    }
  }

  it('sends every outbox notification once when nothing fails, with its stable id as the idempotency key', async () => {
    await drive(6);
    const sent: { id: string; key: string; attempt: number }[] = [];
    const d = dispatcher({
      send: (n, context) => {
        sent.push({ id: n.id, key: context.idempotencyKey, attempt: context.attempt });
        return Promise.resolve();
      },
    });
    await drain(d);
    const ids = await expected(6);
    expect(ids.length).toBeGreaterThan(30);
    expect(sent.map((x) => x.id).sort()).toEqual(ids);
    expect(sent.every((x) => x.key === x.id && x.attempt === 1)).toBe(true);
    expect(await d.counts()).toEqual({ pending: 0, sent: ids.length, dead: 0 });
    // A rebuilt outbox consumer (its checkpoint reset) enqueues nothing twice.
    await db.pool.query(`UPDATE "${db.schema}".consumer_checkpoints SET position = 0`);
    await drain(d);
    expect(sent).toHaveLength(ids.length);
  });

  it('retries a failing send after its backoff on the clock, then parks it after maxAttempts; a dead letter is listed and retryable', async () => {
    await drive(1);
    const failing = (await expected(1))[0]!;
    const attempts: number[] = [];
    let down = true;
    const d = dispatcher({
      maxAttempts: 3,
      retryDelay: (n) => 1000 * n,
      send: (n: Notification, context) => {
        if (n.id !== failing) return Promise.resolve();
        attempts.push(context.attempt);
        return down ? Promise.reject(new Error('provider said 503')) : Promise.resolve();
      },
    });
    await drain(d);
    expect(attempts).toEqual([1]);
    // Not due again before its backoff.
    clock.advance(999);
    expect((await d.deliver()).claimed).toBe(0);
    clock.advance(1);
    expect(await d.deliver()).toEqual({ claimed: 1, sent: 0, retrying: 1, dead: 0, reclaimed: 0 });
    clock.advance(1999);
    expect((await d.deliver()).claimed).toBe(0);
    clock.advance(1);
    expect(await d.deliver()).toEqual({ claimed: 1, sent: 0, retrying: 0, dead: 1, reclaimed: 0 });
    expect(attempts).toEqual([1, 2, 3]);
    clock.advance(1_000_000);
    expect((await d.deliver()).claimed).toBe(0);
    const dead = await d.deadLetters();
    expect(dead).toEqual([
      expect.objectContaining({ id: failing, attempts: 3, lastError: 'provider said 503' }),
    ]);
    expect(dead[0]!.notification.id).toBe(failing);
    expect((await d.counts()).dead).toBe(1);
    down = false;
    expect(await d.retry(failing)).toBe(true);
    expect(await d.retry(failing)).toBe(false);
    expect(await d.deliver()).toEqual({ claimed: 1, sent: 1, retrying: 0, dead: 0, reclaimed: 0 });
    expect(attempts).toEqual([1, 2, 3, 1]);
    expect(await d.counts()).toMatchObject({ pending: 0, dead: 0 });
  });

  it('a retryDelay that returns no delay (NaN, 0, -1) stops the dispatcher with INVALID_INPUT instead of resending at once; one past the limit is clamped', async () => {
    await drive(1);
    const failing = (await expected(1))[0]!;
    for (const bad of [Number.NaN, 0, -1]) {
      const errors: unknown[] = [];
      const d = dispatcher({
        retryDelay: () => bad,
        send: (n: Notification) =>
          n.id === failing ? Promise.reject(new Error('provider said 503')) : Promise.resolve(),
        onError: (error) => errors.push(error),
      });
      const stopped = await d.start().then(
        () => undefined,
        (error: unknown) => error,
      );
      expect(stopped).toMatchObject({
        code: 'INVALID_INPUT',
        details: { path: 'retryDelay', failures: 1 },
      });
      // The send's error, then the stop: no second send, no backoff sleep.
      expect(errors).toHaveLength(2);
      expect(errors[1]).toBe(stopped);
      await d.stop();
      // The claim stays leased: the notification is tried again after leaseMs, not lost.
      await db.pool.query(
        `UPDATE "${db.schema}".notification_deliveries SET next_attempt_at = 0, attempts = 0`,
      );
    }
    const d = dispatcher({
      retryDelay: () => Number.POSITIVE_INFINITY,
      send: (n: Notification) =>
        n.id === failing ? Promise.reject(new Error('provider said 503')) : Promise.resolve(),
    });
    await drain(d);
    const { rows } = await db.pool.query(
      `SELECT next_attempt_at FROM "${db.schema}".notification_deliveries WHERE id = $1`,
      [failing],
    );
    expect(Number((rows[0] as { next_attempt_at: string }).next_attempt_at)).toBe(
      clock.now() + 2 ** 31 - 1,
    );
  });

  it('a crash between send and its bookkeeping loses nothing: the lease runs out and another dispatcher sends it again', async () => {
    await drive(1);
    const ids = await expected(1);
    const firstSends: string[] = [];
    // The first dispatcher "dies" inside send: its promises never settle, nothing is marked (its
    // clock stops with it: a live one gives a hung send up at leaseMs, test/postgres/hung-steps).
    const dying = dispatcher({
      clock: { now: () => clock.now(), sleep: () => new Promise<void>(() => undefined) },
      leaseMs: 30_000,
      claimSize: 3,
      send: (n) => {
        firstSends.push(n.id);
        return new Promise<never>(() => undefined);
      },
    });
    await dying.outbox.catchUp();
    void dying.deliver();
    await expect.poll(() => firstSends.length).toBe(3);
    const secondSends: string[] = [];
    const survivor = dispatcher({
      leaseMs: 30_000,
      send: (n) => {
        secondSends.push(n.id);
        return Promise.resolve();
      },
    });
    // The claimed ones are leased: the survivor sends everything else first.
    await drain(survivor);
    expect(secondSends).toHaveLength(ids.length - 3);
    clock.advance(30_000);
    await drain(survivor);
    expect(secondSends.sort()).toEqual(ids);
    expect(await survivor.counts()).toEqual({ pending: 0, sent: ids.length, dead: 0 });
    opened.splice(opened.indexOf(dying), 1);
    await dying.outbox.stop();
  });
});
