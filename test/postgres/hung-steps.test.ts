import { beforeEach, describe, expect, it, vi } from 'vitest';
import type { Clock } from '../../src/live/clock.js';
import type { PgPool } from '../../src/postgres/consumer.js';
import type { NotificationDispatcher } from '../../src/postgres/dispatcher.js';
import { createFakeClock, type FakeClock } from '../live/fake-clock.js';
import { gate, never } from '../live/promises.js';
import {
  type DispatcherOptions,
  driveJobs,
  openDispatcher,
  skipPostgres,
  stoppedAfterEach,
  useTestDatabase,
} from './database.js';

/*
 * A `send` or a `handle` that never settles (a hung webhook call) held its step for ever, and
 * `stop()` waited for it: an app could not shut down. Past its deadline (the dispatcher's
 * `leaseMs`, the consumer's `handleTimeoutMs`, on the injected clock) the call is given up as a
 * failure, retried as failures are, and what it settles with later is ignored; a dispatcher's
 * mark never overwrites a newer claim of the same row.
 */

describe.skipIf(skipPostgres)('PostgreSQL live runners whose app function hangs', () => {
  const db = useTestDatabase('hung', {
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

  /** One job's notifications queued (its outbox consumed), their ids in claim order. */
  async function queued(): Promise<string[]> {
    await driveJobs(db, [0]);
    const d = dispatcher({ send: never });
    await d.outbox.catchUp();
    const { rows } = await db.pool.query<{ id: string }>(
      `SELECT id FROM ${deliveries()} ORDER BY next_attempt_at, id`,
    );
    return rows.map((r) => r.id);
  }

  async function row(id: string) {
    const { rows } = await db.pool.query<{
      status: string;
      attempts: number;
      next_attempt_at: string;
      last_error: string | null;
    }>(`SELECT status, attempts, next_attempt_at, last_error FROM ${deliveries()} WHERE id = $1`, [
      id,
    ]);
    const r = rows[0]!;
    return { ...r, next_attempt_at: Number(r.next_attempt_at) };
  }

  it("the dispatcher's outbox consumer, the library's own, has no handle deadline: a batch in flight while the clock jumps is queued (it was given up with a TimeoutError)", async () => {
    await driveJobs(db, [0]);
    // A simulated clock whose every sleep is a jump to its end, as the live example's at a day.
    const jumping: Clock = {
      now: () => clock.now(),
      sleep: (ms) => {
        clock.advance(ms);
        return Promise.resolve();
      },
    };
    const d = dispatcher({ send: never, clock: jumping });
    expect(await d.outbox.step()).toMatchObject({ kind: 'handled' });
    const { rows } = await db.pool.query(`SELECT id FROM ${deliveries()}`);
    expect(rows.length).toBeGreaterThan(0);
  });

  it('a send that never settles is given up at leaseMs: a failed try (counted, retried after retryDelay), the others sent', async () => {
    const ids = await queued();
    const hung = ids[0]!;
    const errors: [unknown, string | undefined][] = [];
    const tries: number[] = [];
    const d = dispatcher({
      send: (n, { attempt }) => {
        if (n.id !== hung) return Promise.resolve();
        tries.push(attempt);
        return attempt === 1 ? never() : Promise.resolve();
      },
      onError: (error, id) => errors.push([error, id]),
    });
    const t0 = clock.now();
    const delivering = d.deliver();
    await vi.waitFor(() => {
      expect(tries).toEqual([1]);
      expect(clock.sleepers).toContain(t0 + 30_000);
    });
    clock.advance(30_000);
    expect(await delivering).toEqual({
      claimed: ids.length,
      sent: ids.length - 1,
      retrying: 1,
      dead: 0,
      reclaimed: 0,
    });
    expect(errors).toEqual([[expect.objectContaining({ name: 'TimeoutError' }), hung]]);
    const given = await row(hung);
    expect(given).toMatchObject({ status: 'pending', attempts: 1, next_attempt_at: t0 + 31_000 });
    expect(given.last_error).toContain(
      `send of notification ${hung} did not settle within 30000 ms`,
    );
    clock.advance(1000);
    expect(await d.deliver()).toEqual({ claimed: 1, sent: 1, retrying: 0, dead: 0, reclaimed: 0 });
    expect(tries).toEqual([1, 2]);
    expect(await d.counts()).toEqual({ pending: 0, sent: ids.length, dead: 0 });
  });

  /**
   * The database, each claim's query taking `ms` of the fake clock (a busy
   * database, a paused process).
   */
  const claimTaking = (ms: number): PgPool => ({
    connect: () => db.pool.connect(),
    query: async (text, values) => {
      const result = await db.pool.query(text, values);
      if (text.includes('attempts = attempts + 1')) clock.advance(ms);
      return result;
    },
  });

  it('a send is given up when its lease ends, not leaseMs after it began: a claim that took 10 s leaves 20 s of a 30 s lease (it was given 30 s more, while another dispatcher could claim and send it)', async () => {
    const target = (await queued())[0]!;
    await db.pool.query(`DELETE FROM ${deliveries()} WHERE id <> $1`, [target]);
    // The claim's query takes 10 s of the fake clock.
    const slowClaim = claimTaking(10_000);
    let sends = 0;
    const d = dispatcher({
      pool: slowClaim,
      send: () => {
        sends += 1;
        return never();
      },
      onError: () => undefined,
    });
    const t0 = clock.now();
    const delivering = d.deliver();
    await vi.waitFor(() => {
      expect(sends).toBe(1);
      expect(clock.sleepers).toEqual([t0 + 30_000]);
    });
    clock.set(t0 + 30_000);
    expect(await delivering).toMatchObject({ claimed: 1, retrying: 1 });
  });

  it('a claim whose lease ran out before its send began does not send it (another dispatcher may have): a failed try', async () => {
    const target = (await queued())[0]!;
    await db.pool.query(`DELETE FROM ${deliveries()} WHERE id <> $1`, [target]);
    const slowClaim = claimTaking(30_000);
    let sends = 0;
    const errors: [unknown, string | undefined][] = [];
    const d = dispatcher({
      pool: slowClaim,
      send: () => {
        sends += 1;
        return Promise.resolve();
      },
      onError: (error, id) => errors.push([error, id]),
    });
    expect(await d.deliver()).toMatchObject({ claimed: 1, sent: 0, retrying: 1 });
    expect(sends).toBe(0);
    expect(errors).toEqual([[expect.objectContaining({ name: 'TimeoutError' }), target]]);
  });

  it("a send given up (or settling) after its lease ran out never overwrites another dispatcher's newer claim", async () => {
    const target = (await queued())[0]!;
    await db.pool.query(`DELETE FROM ${deliveries()} WHERE id <> $1`, [target]);
    // The first dispatcher's deadline fires only when told: another claims the row before it.
    const deadline = gate();
    const lateClock: Clock = {
      now: () => clock.now(),
      sleep: (ms, signal) => (ms === 30_000 ? deadline.promise : clock.sleep(ms, signal)),
    };
    const late = gate();
    let firstCalled = false;
    const first = dispatcher({
      clock: lateClock,
      claimSize: 1,
      send: async () => {
        firstCalled = true;
        await late.promise;
      },
    });
    const t0 = clock.now();
    const firstDelivering = first.deliver();
    await vi.waitFor(() => {
      expect(firstCalled).toBe(true);
    });
    // The lease runs out while the first send still hangs: a second dispatcher claims the row.
    clock.advance(30_000);
    const second = gate();
    let secondCalled = false;
    const other = dispatcher({
      claimSize: 1,
      send: async () => {
        secondCalled = true;
        await second.promise;
      },
    });
    const otherDelivering = other.deliver();
    await vi.waitFor(() => {
      expect(secondCalled).toBe(true);
    });
    const claimed = { status: 'pending', attempts: 2, next_attempt_at: t0 + 60_000 };
    expect(await row(target)).toMatchObject({ ...claimed, last_error: null });
    // The first gives up: its failure mark must leave the second's claim alone, and its step
    // says so (reclaimed), not that it queued a retry (truth11).
    deadline.open();
    expect(await firstDelivering).toEqual({
      claimed: 1,
      sent: 0,
      retrying: 0,
      dead: 0,
      reclaimed: 1,
    });
    expect(await row(target)).toMatchObject({ ...claimed, last_error: null });
    // Its send settles late (a success): ignored, the row is still the second's.
    late.open();
    await new Promise((resolve) => setImmediate(resolve));
    expect(await row(target)).toMatchObject({ ...claimed, last_error: null });
    second.open();
    expect(await otherDelivering).toEqual({
      claimed: 1,
      sent: 1,
      retrying: 0,
      dead: 0,
      reclaimed: 0,
    });
    expect(await row(target)).toMatchObject({ status: 'sent', attempts: 2 });
  });

  it('stop() while a send hangs returns once leaseMs passes; the hung notification is retried by whoever claims it next', async () => {
    const ids = await queued();
    let calls = 0;
    const d = dispatcher({
      send: () => {
        calls += 1;
        return never();
      },
    });
    const t0 = clock.now();
    const run = d.start();
    await vi.waitFor(() => {
      expect(calls).toBe(ids.length);
      expect(clock.sleepers).toContain(t0 + 30_000);
    });
    let stopped = false;
    const stopping = d.stop().then(() => {
      stopped = true;
    });
    await new Promise((resolve) => setImmediate(resolve));
    expect(stopped).toBe(false);
    clock.advance(30_000);
    await stopping;
    await run;
    expect(await row(ids[0]!)).toMatchObject({ status: 'pending', attempts: 1 });
    clock.advance(1000);
    const sent: string[] = [];
    const next = dispatcher({
      send: (n) => {
        sent.push(n.id);
        return Promise.resolve();
      },
    });
    expect(await next.deliver()).toMatchObject({ claimed: ids.length, sent: ids.length });
    expect(sent.sort()).toEqual([...ids].sort());
  });
});
