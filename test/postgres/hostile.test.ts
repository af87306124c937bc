import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createCommandHandler } from '../../src/handler/command-handler.js';
import {
  createNotificationDispatcher,
  type NotificationDispatcher,
  type NotificationDispatcherOptions,
} from '../../src/postgres/dispatcher.js';
import { createTimerRunner } from '../../src/postgres/timers.js';
import { createJobSummaryTable } from '../../src/postgres/summary-table.js';
import type { Clock } from '../../src/live/clock.js';
import { createFakeClock, type FakeClock } from '../live/fake-clock.js';
import { jobCommands } from '../../examples/live/jobs.js';
import { openTestDatabase, skipPostgres, type TestDatabase } from './database.js';

/*
 * The live parts used as a hostile user (or a hostile provider) would (hostile9): what a failed
 * `send` rejects with, a clock that is not `Date.now()`, query arguments of the wrong kind. Each
 * case failed before its fix: a TypeError or a driver's error, or a notification tried for ever.
 */

describe.skipIf(skipPostgres)('PostgreSQL live parts, used with hostile input', () => {
  let db: TestDatabase;
  let clock: FakeClock;
  const opened: { stop(): Promise<void> }[] = [];
  beforeAll(async () => {
    db = await openTestDatabase('hostile', 12);
  });
  afterAll(async () => {
    await db.drop();
  });
  beforeEach(async () => {
    await db.truncate();
    clock = createFakeClock();
    await dispatcher({ send: () => Promise.resolve() }).migrate();
    await db.pool.query(
      `TRUNCATE "${db.schema}".notification_deliveries, "${db.schema}".consumer_checkpoints, "${db.schema}".timer_deadlines`,
    );
  });
  afterEach(async () => {
    await Promise.all(opened.splice(0).map((d) => d.stop()));
  });

  function dispatcher(
    overrides: Partial<NotificationDispatcherOptions> & Pick<NotificationDispatcherOptions, 'send'>,
  ): NotificationDispatcher {
    const d = createNotificationDispatcher({
      store: db.store(),
      pool: db.pool,
      schema: db.schema,
      clock,
      lockRetryMs: 20,
      ...overrides,
    });
    opened.push(d);
    return d;
  }

  /** Job 0 of examples/live/jobs.ts (its outbox holds several notifications). */
  async function drive(): Promise<void> {
    const handler = createCommandHandler({ store: db.store() });
    for (const command of jobCommands('job0', 0)) await handler.handle('job0', command);
  }

  describe('a send that rejects with something that is not a plain Error', () => {
    const reasons: Record<string, () => unknown> = {
      'an object without a prototype (String() throws)': (): unknown => Object.create(null),
      'an Error whose message holds U+0000 (a text column refuses it)': () =>
        new Error('provider said \u0000 503'),
      'an Error whose message getter throws': () =>
        Object.defineProperty(new Error('x'), 'message', {
          get() {
            throw new Error('getter');
          },
        }),
      'an Error whose message is an object': () =>
        Object.assign(new Error('x'), { message: { status: 503 } }),
    };
    for (const [label, reason] of Object.entries(reasons)) {
      it(`${label}: recorded, retried after its delay and parked after maxAttempts (it was tried for ever)`, async () => {
        await drive();
        let sends = 0;
        const d = dispatcher({
          maxAttempts: 2,
          retryDelay: () => 10,
          send: () => {
            sends += 1;
            // eslint-disable-next-line @typescript-eslint/prefer-promise-reject-errors -- the point: a provider's SDK rejecting with anything
            return Promise.reject(reason());
          },
        });
        await d.outbox.catchUp();
        const queued = (await d.counts()).pending;
        expect(queued).toBeGreaterThan(1);
        expect(await d.deliver()).toEqual({ claimed: queued, sent: 0, retrying: queued, dead: 0 });
        clock.advance(10);
        expect(await d.deliver()).toEqual({ claimed: queued, sent: 0, retrying: 0, dead: queued });
        clock.advance(1_000_000);
        expect((await d.deliver()).claimed).toBe(0);
        expect(sends).toBe(2 * queued);
        const dead = await d.deadLetters();
        expect(dead).toHaveLength(queued);
        for (const letter of dead) {
          expect(typeof letter.lastError).toBe('string');
          expect(letter.lastError).not.toContain('\u0000');
        }
      });
    }
  });

  it('a dispatcher that stops on a failed send stops once its other claimed sends have finished (it stopped with one in flight)', async () => {
    await drive();
    let release: (() => void) | undefined;
    let sends = 0;
    let slowDone = false;
    const errors: unknown[] = [];
    const slowDoneAtStop: boolean[] = [];
    const d = dispatcher({
      claimSize: 2,
      // No delay: a stop (INVALID_INPUT). Let every promise step of the failure run first.
      retryDelay: () => {
        setImmediate(() => release?.());
        return Number.NaN;
      },
      send: async () => {
        sends += 1;
        if (sends === 1) {
          await new Promise<void>((resolve) => {
            release = resolve;
          });
          slowDone = true;
          return;
        }
        throw new Error('provider said 503');
      },
      onError: (error) => {
        errors.push(error);
        if (errors.length === 2) slowDoneAtStop.push(slowDone);
      },
    });
    const stopped = await d.start().then(
      () => undefined,
      (error: unknown) => error,
    );
    expect(stopped).toMatchObject({ code: 'INVALID_INPUT', details: { path: 'retryDelay' } });
    expect(slowDone).toBe(true);
    expect(slowDoneAtStop).toEqual([true]);
    const { rows } = await db.pool.query(
      `SELECT status FROM "${db.schema}".notification_deliveries WHERE status = 'sent'`,
    );
    expect(rows).toHaveLength(1);
  });

  describe('a clock whose now() is not a whole number of milliseconds', () => {
    /** The fake clock, its now() as `shift` makes it. */
    const shifted = (shift: (now: number) => unknown): Clock => ({
      now: () => shift(clock.now()) as number,
      sleep: (ms, signal) => clock.sleep(ms, signal),
    });

    it('a fraction (performance.timeOrigin + performance.now()) is rounded down: the dispatcher sends, the timers fire (every step failed: "invalid input syntax for type bigint")', async () => {
      await drive();
      const fractional = shifted((now) => now + 0.5);
      const sent: string[] = [];
      const d = dispatcher({
        clock: fractional,
        send: (n) => {
          sent.push(n.id);
          return Promise.resolve();
        },
      });
      await d.outbox.catchUp();
      const queued = (await d.counts()).pending;
      expect(await d.deliver()).toEqual({ claimed: queued, sent: queued, retrying: 0, dead: 0 });
      // Job 0's review is left to run out: a year on, its ExpireReview is due.
      clock.set(Date.parse('2027-01-01T00:00:00Z'));
      const timers = createTimerRunner({
        store: db.store(),
        pool: db.pool,
        schema: db.schema,
        handler: createCommandHandler({ store: db.store() }),
        clock: fractional,
      });
      opened.push(timers);
      await timers.deadlinesConsumer.catchUp();
      expect(await timers.fire()).toMatchObject({ fired: 1, failed: 0 });
      const at: unknown[] = [];
      for await (const e of db.store().readStream('job-job0'))
        if (e.type === 'ReviewExpired') at.push((e.data as { at: unknown }).at);
      expect(at).toEqual(['2027-01-01T00:00:00Z']);
    });

    for (const [label, now] of [
      ['NaN', Number.NaN],
      ['a string', '1767225600000'],
      ['-1', -1],
      ['past the year 9999', 2 ** 53],
    ] as const) {
      it(`${label} is INVALID_INPUT at clock.now() (a driver's error, or a RangeError writing the command's at)`, async () => {
        await drive();
        const bad = shifted(() => now);
        const d = dispatcher({ clock: bad, send: () => Promise.resolve() });
        await expect(d.deliver()).rejects.toMatchObject({
          code: 'INVALID_INPUT',
          details: { path: 'clock.now()' },
        });
        await expect(d.retry('n1')).rejects.toMatchObject({ code: 'INVALID_INPUT' });
        const timers = createTimerRunner({
          store: db.store(),
          pool: db.pool,
          schema: db.schema,
          handler: createCommandHandler({ store: db.store() }),
          clock: bad,
        });
        opened.push(timers);
        await expect(timers.fire()).rejects.toMatchObject({
          code: 'INVALID_INPUT',
          details: { path: 'clock.now()' },
        });
      });
    }
  });

  describe("the query methods' arguments", () => {
    /** The dispatcher, the timer runner and the summary table on the test schema. */
    async function readers() {
      const d = dispatcher({ send: () => Promise.resolve() });
      const timers = createTimerRunner({
        store: db.store(),
        pool: db.pool,
        schema: db.schema,
        handler: createCommandHandler({ store: db.store() }),
        clock,
      });
      const summaries = createJobSummaryTable({
        store: db.store(),
        pool: db.pool,
        schema: db.schema,
      });
      opened.push(timers, summaries);
      await summaries.migrate();
      return { d, timers, summaries };
    }

    it.each([
      ['-1 (PostgreSQL: "LIMIT must not be negative")', { limit: -1 }],
      ['NaN (PostgreSQL: invalid input syntax for type bigint)', { limit: Number.NaN }],
      ['1.5', { limit: 1.5 }],
      ['a string', { limit: '10' }],
      ['a number instead of { limit }', 5],
      [
        'an options object whose limit getter throws',
        Object.defineProperty({}, 'limit', {
          get: () => {
            throw new Error('getter');
          },
        }),
      ],
    ])('a limit that is %s is INVALID_INPUT naming limit', async (_, query) => {
      const { d, timers, summaries } = await readers();
      // Not an object at all: the options are named (path '').
      const invalid = { code: 'INVALID_INPUT', details: { path: query === 5 ? '' : 'limit' } };
      await expect(d.deadLetters(query as never)).rejects.toMatchObject(invalid);
      await expect(timers.pending(query as never)).rejects.toMatchObject(invalid);
      await expect(summaries.byStatus('awarded', query as never)).rejects.toMatchObject(invalid);
    });

    it('options left out or null take the defaults (null was a TypeError); a limit of 0 reads nothing', async () => {
      await drive();
      const { d, timers, summaries } = await readers();
      await summaries.catchUp();
      await timers.deadlinesConsumer.catchUp();
      expect(await d.deadLetters(null as never)).toEqual([]);
      expect(await timers.pending(null as never)).toHaveLength(1);
      expect(await timers.pending({ limit: 0 })).toEqual([]);
      const status = (await summaries.get('job0'))?.status;
      expect(status).toBeDefined();
      expect(await summaries.byStatus(status!, null as never)).toHaveLength(1);
      expect(await summaries.rebuild(null as never)).toMatchObject({ generation: 2, retired: 1 });
    });

    it.each([
      ['U+0000 (PostgreSQL: invalid byte sequence)', 'job\u0000'],
      ['a lone surrogate (PostgreSQL reads it as U+FFFD)', 'job\ud800'],
      ['a number', 5],
      ['a Symbol', Symbol('job')],
    ])('an id or a status that is %s is INVALID_INPUT', async (_, value) => {
      const { d, summaries } = await readers();
      const invalid = (path: string) => ({ code: 'INVALID_INPUT', details: { path } });
      await expect(d.retry(value as never)).rejects.toMatchObject(invalid('id'));
      await expect(summaries.get(value as never)).rejects.toMatchObject(invalid('jobId'));
      await expect(summaries.byStatus(value as never)).rejects.toMatchObject(invalid('status'));
    });
  });
});
