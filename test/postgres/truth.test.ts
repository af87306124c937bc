import { beforeEach, describe, expect, it, vi } from 'vitest';
import type { Clock } from '../../src/live/clock.js';
import type { PgPool } from '../../src/postgres/consumer.js';
import type { NotificationDispatcher } from '../../src/postgres/dispatcher.js';
import { createFakeClock, type FakeClock } from '../live/fake-clock.js';
import { gate, never } from '../live/promises.js';
import {
  type DispatcherOptions,
  driveJobs,
  failingQueries,
  openDispatcher,
  skipPostgres,
  stoppedAfterEach,
  useTestDatabase,
} from './database.js';

/*
 * What a live runner reports is what happened. A send that resolved is sent, whatever
 * fails after it (the clock, the mark); a fatal error of a step is not hidden behind another
 * send's failure; a mark that found its row claimed again reports that, not its own send.
 * (The summary table's rebuild and the timer runner's deadline: truth-runners.test.ts.)
 */

describe.skipIf(skipPostgres)('the live runners report what happened', () => {
  const db = useTestDatabase('truth', {
    poolSize: 12,
    live: true,
    truncate: ['notification_deliveries', 'consumer_checkpoints'],
  });
  let clock: FakeClock;
  const stops = stoppedAfterEach();
  beforeEach(() => {
    clock = createFakeClock();
  });
  const deliveries = (): string => `"${db.schema}".notification_deliveries`;

  const dispatcher = (options: DispatcherOptions): NotificationDispatcher =>
    openDispatcher(db, clock, stops, { leaseMs: 30_000, retryDelay: () => 1000, ...options });

  /** One job's notifications queued (its outbox consumed); only the first `keep` left, in claim order. */
  async function queued(keep: number): Promise<string[]> {
    await driveJobs(db, [0]);
    await dispatcher({ send: never }).outbox.catchUp();
    const { rows } = await db.pool.query<{ id: string }>(
      `SELECT id FROM ${deliveries()} ORDER BY next_attempt_at, id`,
    );
    const ids = rows.map((r) => r.id).slice(0, keep);
    await db.pool.query(`DELETE FROM ${deliveries()} WHERE NOT (id = ANY($1))`, [ids]);
    return ids;
  }

  async function row(id: string) {
    const { rows } = await db.pool.query<{
      status: string;
      attempts: number;
      sent_at: string | null;
    }>(`SELECT status, attempts, sent_at FROM ${deliveries()} WHERE id = $1`, [id]);
    const r = rows[0]!;
    return { ...r, sent_at: r.sent_at === null ? null : Number(r.sent_at) };
  }

  const failingPool = (fails: (text: string) => boolean): PgPool => failingQueries(db, fails);

  describe('1. once send resolved, the notification is sent', () => {
    it('a clock.now() that fails after the send: marked sent at the claim instant, counted sent, the clock error reported without the id; not sent again', async () => {
      const [id] = await queued(1);
      let broken = false;
      const breaking: Clock = {
        now: () => {
          if (broken) throw new Error('clock gone');
          return clock.now();
        },
        sleep: (ms, signal) => clock.sleep(ms, signal),
      };
      const errors: [unknown, string | undefined][] = [];
      let sends = 0;
      const d = dispatcher({
        clock: breaking,
        send: () => {
          sends += 1;
          broken = true;
          return Promise.resolve();
        },
        onError: (error, notification) => errors.push([error, notification]),
      });
      const t0 = clock.now();
      expect(await d.deliver()).toEqual({
        claimed: 1,
        sent: 1,
        retrying: 0,
        dead: 0,
        reclaimed: 0,
      });
      broken = false;
      expect(await row(id!)).toEqual({ status: 'sent', attempts: 1, sent_at: t0 });
      expect(errors).toEqual([[expect.objectContaining({ message: 'clock gone' }), undefined]]);
      clock.advance(60_000);
      expect((await d.deliver()).claimed).toBe(0);
      expect(sends).toBe(1);
    });

    it('a sent mark that cannot be written: counted sent, reported without the id as a mark that failed (not a failed send); sent again once its lease runs out', async () => {
      const [id] = await queued(1);
      const errors: [unknown, string | undefined][] = [];
      let sends = 0;
      const d = dispatcher({
        pool: failingPool((text) => text.includes("SET status = 'sent'")),
        send: () => {
          sends += 1;
          return Promise.resolve();
        },
        onError: (error, notification) => errors.push([error, notification]),
      });
      expect(await d.deliver()).toEqual({
        claimed: 1,
        sent: 1,
        retrying: 0,
        dead: 0,
        reclaimed: 0,
      });
      expect(errors).toHaveLength(1);
      const [error, notification] = errors[0]!;
      expect(notification).toBeUndefined();
      expect((error as Error).message).toContain(`notification ${id!} was sent`);
      expect((error as Error).cause).toMatchObject({
        message: 'connection terminated unexpectedly',
      });
      expect(await row(id!)).toMatchObject({ status: 'pending', attempts: 1 });
      // At least once: the lease runs out and it is sent again (the key deduplicates).
      clock.advance(30_000);
      expect((await d.deliver()).claimed).toBe(1);
      expect(sends).toBe(2);
    });
  });

  describe('1b. after a failed send, a clock that fails does not fail the step', () => {
    /** A clock that throws from the moment the send fails, as long as `broken` says. */
    function breakingAfterSend() {
      const state = { broken: false };
      const breaking: Clock = {
        now: () => {
          if (state.broken) throw new Error('clock gone');
          return clock.now();
        },
        sleep: (ms, signal) => clock.sleep(ms, signal),
      };
      return { state, breaking };
    }

    async function lease(id: string) {
      const { rows } = await db.pool.query<{ next_attempt_at: string; last_error: string | null }>(
        `SELECT next_attempt_at, last_error FROM ${deliveries()} WHERE id = $1`,
        [id],
      );
      return { due: Number(rows[0]!.next_attempt_at), lastError: rows[0]!.last_error };
    }

    it('the retry is due when the lease ends (the row stays claimed), counted retrying, the clock error reported; sent again after the lease', async () => {
      const [id] = await queued(1);
      const { state, breaking } = breakingAfterSend();
      const errors: [unknown, string | undefined][] = [];
      let sends = 0;
      const d = dispatcher({
        clock: breaking,
        send: () => {
          sends += 1;
          state.broken = sends === 1;
          return sends === 1 ? Promise.reject(new Error('provider said 503')) : Promise.resolve();
        },
        onError: (error, notification) => errors.push([error, notification]),
      });
      const t0 = clock.now();
      expect(await d.deliver()).toEqual({
        claimed: 1,
        sent: 0,
        retrying: 1,
        dead: 0,
        reclaimed: 0,
      });
      state.broken = false;
      expect(errors).toEqual([
        [expect.objectContaining({ message: 'provider said 503' }), id],
        [expect.objectContaining({ message: 'clock gone' }), undefined],
      ]);
      expect(await row(id!)).toMatchObject({ status: 'pending', attempts: 1 });
      expect(await lease(id!)).toEqual({ due: t0 + 30_000, lastError: 'provider said 503' });
      clock.advance(29_999);
      expect((await d.deliver()).claimed).toBe(0);
      clock.advance(1);
      expect(await d.deliver()).toMatchObject({ claimed: 1, sent: 1 });
      expect(sends).toBe(2);
    });

    it('the last try is parked as dead all the same', async () => {
      const [id] = await queued(1);
      const { state, breaking } = breakingAfterSend();
      const errors: unknown[] = [];
      const d = dispatcher({
        clock: breaking,
        maxAttempts: 1,
        send: () => {
          state.broken = true;
          return Promise.reject(new Error('provider said 503'));
        },
        onError: (error) => errors.push(error),
      });
      expect(await d.deliver()).toMatchObject({ claimed: 1, dead: 1, retrying: 0 });
      state.broken = false;
      expect(await row(id!)).toMatchObject({ status: 'dead', attempts: 1 });
      expect(errors).toHaveLength(2);
    });
  });

  describe('2. a fatal error of a delivery step wins over another send failure', () => {
    it('a retryDelay that returns NaN stops the loop even when an earlier send of the step failed its mark; both are reported', async () => {
      await queued(2);
      const second = gate();
      let calls = 0;
      let delays = 0;
      const errors: unknown[] = [];
      const d = dispatcher({
        claimSize: 2,
        // The retry marks cannot be written: the first send's failure rejects (not fatal), and
        // then the second send fails, its retryDelay saying NaN (fatal).
        pool: failingPool((text) => {
          const retryMark = text.includes('SET status = $4');
          if (retryMark) second.open();
          return retryMark;
        }),
        retryDelay: () => {
          delays += 1;
          return delays === 1 ? 1000 : Number.NaN;
        },
        send: async () => {
          calls += 1;
          if (calls === 1) throw new Error('provider said 503');
          await second.promise;
          throw new Error('provider said 503 again');
        },
        onError: (error) => errors.push(error),
      });
      let outcome: unknown;
      const run = d.start().then(
        () => (outcome = 'resolved'),
        (error: unknown) => (outcome = error),
      );
      await vi.waitFor(() => {
        expect(outcome).toMatchObject({
          code: 'INVALID_INPUT',
          details: { path: 'retryDelay', failures: 1 },
        });
      });
      await run;
      expect(errors).toContainEqual(outcome);
      expect(errors).toContainEqual(
        expect.objectContaining({ message: 'connection terminated unexpectedly' }),
      );
    });
  });

  describe('3. a mark that found the row claimed again is reported as such', () => {
    it('a send that resolves after its lease ran out and another dispatcher claimed the row: reclaimed, not sent', async () => {
      const [id] = await queued(1);
      // The first dispatcher's deadline never fires: its send resolves late, after another claim.
      const held: Clock = {
        now: () => clock.now(),
        sleep: (ms, signal) => (ms === 30_000 ? never() : clock.sleep(ms, signal)),
      };
      const late = gate();
      let firstCalled = false;
      const first = dispatcher({
        clock: held,
        send: async () => {
          firstCalled = true;
          await late.promise;
        },
      });
      const firstDelivering = first.deliver();
      await vi.waitFor(() => {
        expect(firstCalled).toBe(true);
      });
      clock.advance(30_000);
      const other = gate();
      let otherCalled = false;
      const next = dispatcher({
        send: async () => {
          otherCalled = true;
          await other.promise;
        },
      });
      const nextDelivering = next.deliver();
      await vi.waitFor(() => {
        expect(otherCalled).toBe(true);
      });
      late.open();
      expect(await firstDelivering).toEqual({
        claimed: 1,
        sent: 0,
        retrying: 0,
        dead: 0,
        reclaimed: 1,
      });
      expect(await row(id!)).toMatchObject({ status: 'pending', attempts: 2 });
      other.open();
      expect(await nextDelivering).toEqual({
        claimed: 1,
        sent: 1,
        retrying: 0,
        dead: 0,
        reclaimed: 0,
      });
      expect(await row(id!)).toMatchObject({ status: 'sent', attempts: 2 });
    });
  });
});
