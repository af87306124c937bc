import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createCommandHandler } from '../../src/handler/command-handler.js';
import type { NotificationDispatcher } from '../../src/postgres/dispatcher.js';
import { createTimerRunner, type TimerRunnerOptions } from '../../src/postgres/timers.js';
import { deadlineKey, type TimerDeadline } from '../../src/postgres/timer-deadlines.js';
import { createJobSummaryTable } from '../../src/postgres/summary-table.js';
import {
  createPostgresConsumer,
  type ConsumerStep,
  type PostgresConsumer,
} from '../../src/postgres/consumer.js';
import type { Clock } from '../../src/live/clock.js';
import type { RecordedEvent } from '../../src/store/port.js';
import { createFakeClock, type FakeClock } from '../live/fake-clock.js';
import { gate } from '../live/promises.js';
import {
  type DispatcherOptions,
  driveJobs,
  openDispatcher,
  openTestDatabase,
  skipPostgres,
  type TestDatabase,
} from './database.js';

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
    clock = createFakeClock();
    await dispatcher({ send: () => Promise.resolve() }).migrate();
    await db.truncate('notification_deliveries', 'consumer_checkpoints', 'timer_deadlines');
  });
  afterEach(async () => {
    await Promise.all(opened.splice(0).map((d) => d.stop()));
  });

  const dispatcher = (options: DispatcherOptions): NotificationDispatcher =>
    openDispatcher(db, clock, opened, options);

  /** Job 0 of examples/live/jobs.ts (its outbox holds several notifications). */
  const drive = (): Promise<void> => driveJobs(db, [0]);

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
        expect(await d.deliver()).toEqual({
          claimed: queued,
          sent: 0,
          retrying: queued,
          dead: 0,
          reclaimed: 0,
        });
        clock.advance(10);
        expect(await d.deliver()).toEqual({
          claimed: queued,
          sent: 0,
          retrying: 0,
          dead: queued,
          reclaimed: 0,
        });
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
      expect(await d.deliver()).toEqual({
        claimed: queued,
        sent: queued,
        retrying: 0,
        dead: 0,
        reclaimed: 0,
      });
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

  describe('start, stop and step called together', () => {
    /** A consumer on the fake clock that counts the events it handles. */
    function counting(name: string): { consumer: PostgresConsumer; handled: () => number } {
      let handled = 0;
      const consumer = createPostgresConsumer({
        name,
        store: db.store(),
        pool: db.pool,
        schema: db.schema,
        clock,
        lockRetryMs: 20,
        handle: ({ events }) => {
          handled += events.length;
          return Promise.resolve();
        },
      });
      opened.push(consumer);
      return { consumer, handled: () => handled };
    }

    /** True when another process could take `name`'s lock now. */
    async function lockFree(name: string): Promise<boolean> {
      const other = createPostgresConsumer({
        name,
        store: db.store(),
        pool: db.pool,
        schema: db.schema,
        handle: () => Promise.resolve(),
      });
      const { kind } = await other.step();
      await other.stop();
      return kind !== 'standby';
    }

    it('start() while a stop is under way starts again once it is done (it returned the stopping run: nothing ran after it)', async () => {
      await drive();
      const { consumer, handled } = counting('restart');
      const first = consumer.start();
      await expect.poll(handled).toBeGreaterThan(0);
      const stopped = consumer.stop();
      const second = consumer.start();
      await stopped;
      await first;
      // The second run works: it holds the lock and handles what comes next.
      await expect.poll(() => consumer.status().running && consumer.status().leader).toBe(true);
      const before = handled();
      await db
        .store()
        .appendToStream('other', [{ type: 'Note', data: {} }], { expectedVersion: 'any' });
      // The idle loop sleeps on the fake clock: move it until the run wakes and reads.
      await expect
        .poll(() => {
          clock.advance(100);
          return handled();
        })
        .toBeGreaterThan(before);
      await consumer.stop();
      await second;
      expect(consumer.status()).toMatchObject({ running: false, leader: false });
      expect(await lockFree('restart')).toBe(true);
    });

    it('stop(), start(), stop(): stopped at the end, the lock free', async () => {
      const { consumer } = counting('flip');
      const first = consumer.start();
      await expect.poll(() => consumer.status().leader).toBe(true);
      const stops = [consumer.stop(), consumer.start(), consumer.stop()];
      await Promise.all([...stops, first]);
      expect(consumer.status()).toMatchObject({ running: false, leader: false });
      expect(await lockFree('flip')).toBe(true);
    });

    it('a step() called while stop() waits for the step in hand: the lock is free once stop() resolves (the later step took it again)', async () => {
      await drive();
      const { consumer } = counting('step-stop');
      const steps = [consumer.step(), consumer.stop(), consumer.step()];
      await Promise.all(steps);
      expect(consumer.status().leader).toBe(false);
      expect(await lockFree('step-stop')).toBe(true);
    });

    it("the dispatcher's stop() waits for a deliver() asked directly: no mark comes after it (the app may end its pool then)", async () => {
      await drive();
      const held = gate();
      let sends = 0;
      const d = dispatcher({
        claimSize: 1,
        send: async () => {
          sends += 1;
          await held.promise;
        },
      });
      await d.outbox.catchUp();
      let delivered: unknown;
      const delivering = d.deliver().then((report) => (delivered = report));
      await expect.poll(() => sends).toBe(1);
      let stopped = false;
      const stopping = d.stop().then(() => (stopped = true));
      await new Promise((resolve) => setTimeout(resolve, 50));
      expect(stopped).toBe(false);
      held.open();
      await stopping;
      // Resolved before stop() did: its mark is written.
      expect(delivered).toMatchObject({ sent: 1 });
      await delivering;
    });

    it("the timer runner's stop() waits for a fire() asked directly", async () => {
      const held = gate();
      let calls = 0;
      const runner = createTimerRunner({
        store: db.store(),
        pool: db.pool,
        schema: db.schema,
        handler: {
          handle: async () => {
            calls += 1;
            await held.promise;
            return { replayed: true };
          },
        } as never,
        clock,
        deadlines: () => [
          {
            kind: 'review',
            milestoneId: 'm1',
            dueAt: '2020-01-01T00:00:00Z',
            command: { type: 'ExpireReview', data: { milestoneId: 'm1' } },
          },
        ],
      });
      opened.push(runner);
      await drive();
      await runner.deadlinesConsumer.catchUp();
      let fired: unknown;
      const firing = runner.fire().then((report) => (fired = report));
      await expect.poll(() => calls).toBe(1);
      let stopped = false;
      const stopping = runner.stop().then(() => (stopped = true));
      await new Promise((resolve) => setTimeout(resolve, 50));
      expect(stopped).toBe(false);
      held.open();
      await stopping;
      expect(fired).toMatchObject({ replayed: 1 });
      await firing;
    });

    it('the dispatcher: start() during its stop runs again', async () => {
      await drive();
      const sent: string[] = [];
      const d = dispatcher({
        send: (n) => {
          sent.push(n.id);
          return Promise.resolve();
        },
      });
      const first = d.start();
      await expect.poll(() => sent.length).toBeGreaterThan(0);
      const stopped = d.stop();
      const second = d.start();
      await Promise.all([stopped, first]);
      await db.pool.query(
        `UPDATE "${db.schema}".notification_deliveries SET status = 'pending', next_attempt_at = 0`,
      );
      const count = sent.length;
      await expect
        .poll(() => {
          clock.advance(100);
          return sent.length;
        })
        .toBeGreaterThan(count);
      await d.stop();
      await second;
    });
  });

  it('a consumer whose checkpoint row was deleted (a reset by hand) starts again from 0, as checkpoint() says (a TypeError at every step)', async () => {
    await drive();
    const batches: number[] = [];
    const consumer = createPostgresConsumer({
      name: 'reset',
      store: db.store(),
      pool: db.pool,
      schema: db.schema,
      clock,
      handle: ({ after }) => {
        batches.push(after);
        return Promise.resolve();
      },
    });
    opened.push(consumer);
    const head = await consumer.catchUp();
    expect(head).toBeGreaterThan(0);
    await db.pool.query(`DELETE FROM "${db.schema}".consumer_checkpoints WHERE name = 'reset'`);
    expect(await consumer.checkpoint()).toBe(0);
    expect(await consumer.step()).toMatchObject({ kind: 'handled', position: head });
    expect(batches).toEqual([0, 0]);
    expect(await consumer.checkpoint()).toBe(head);
  });

  describe("what an app's deadlines, actorOf and jobIdOf return", () => {
    const DUE = '2026-01-20T09:00:00Z';
    const deadline = {
      kind: 'review',
      milestoneId: 'm2',
      dueAt: DUE,
      command: { type: 'ExpireReview', data: { milestoneId: 'm2' } },
    } as const satisfies TimerDeadline;

    /** The deadlines consumer's first step, with the app's functions in `overrides`. */
    async function track(overrides: Partial<TimerRunnerOptions>): Promise<ConsumerStep> {
      await drive();
      const timers = createTimerRunner({
        store: db.store(),
        pool: db.pool,
        schema: db.schema,
        handler: createCommandHandler({ store: db.store() }),
        clock,
        ...overrides,
      });
      opened.push(timers);
      return timers.deadlinesConsumer.step();
    }

    it.each([
      ['not a list (a TypeError: .map is not a function)', () => 5, 'deadlines'],
      [
        'a dueAt that is no instant (PostgreSQL: bigint "NaN")',
        () => [{ ...deadline, dueAt: 'soon' }],
        'deadlines',
      ],
      [
        "a dueAt without a zone (Date.parse read it in the machine's time zone)",
        () => [{ ...deadline, dueAt: '2026-01-20T09:00:00' }],
        'deadlines',
      ],
      [
        'a BigInt in the command (a TypeError from JSON)',
        () => [{ ...deadline, command: { type: 'X', data: { n: 1n } } }],
        'deadlines',
      ],
      [
        'U+0000 in an id (PostgreSQL: invalid byte sequence)',
        () => [{ ...deadline, milestoneId: 'm\u00002' }],
        'deadlines',
      ],
      ['an id that is a number', () => [{ ...deadline, milestoneId: 2 }], 'deadline'],
      [
        'a Symbol for a kind (a TypeError writing its key)',
        () => [{ ...deadline, kind: Symbol('review') }],
        'deadline',
      ],
    ] as [string, () => unknown, string][])(
      'deadlines(state) returning %s fails the batch with INVALID_INPUT',
      async (_, deadlines, path) => {
        const step = await track({ deadlines: deadlines as never });
        expect(step).toMatchObject({
          kind: 'failed',
          error: { code: 'INVALID_INPUT', details: { path } },
        });
      },
    );

    it.each([
      ['actorOf', { actorOf: () => 'platform\u0000' }],
      ['actorOf', { actorOf: () => ({ id: 'platform' }) }],
      ['jobIdOf', { jobIdOf: () => 7 }],
    ] as [string, Record<string, () => unknown>][])(
      '%s returning something that is not well-formed text fails the batch with INVALID_INPUT (a driver error, or a command no job takes)',
      async (path, overrides) => {
        const step = await track({
          deadlines: () => [deadline],
          ...overrides,
        });
        expect(step).toMatchObject({
          kind: 'failed',
          error: { code: 'INVALID_INPUT', details: { path } },
        });
      },
    );

    it('actorOf and jobIdOf are asked only for a job that has deadlines to write (a job without any failed the batch, and the table stopped for every job)', async () => {
      const asked: string[] = [];
      const step = await track({
        deadlines: () => [],
        actorOf: () => {
          asked.push('actorOf');
          return undefined as never;
        },
        jobIdOf: () => {
          asked.push('jobIdOf');
          return undefined as never;
        },
      });
      expect(step).toMatchObject({ kind: 'handled' });
      expect(asked).toEqual([]);
      const { rows } = await db.pool.query(`SELECT * FROM "${db.schema}".timer_deadlines`);
      expect(rows).toEqual([]);
    });

    it('a deadline past the year 9999 (five digits of year, as the domain writes it) is written at its instant: Date.parse read it as NaN and failed the batch, which stopped the table for every job', async () => {
      const far = '10000-01-13T00:00:00Z';
      const step = await track({ deadlines: () => [{ ...deadline, dueAt: far }] });
      expect(step).toMatchObject({ kind: 'handled' });
      const { rows } = await db.pool.query<{ due_at_ms: string }>(
        `SELECT due_at_ms FROM "${db.schema}".timer_deadlines`,
      );
      expect(rows.map((r) => Number(r.due_at_ms))).toEqual([Date.UTC(10000, 0, 13)]);
    });

    it('deadlineKey of a deadline whose fields are not text is INVALID_INPUT (a Symbol was a TypeError, a number a key)', () => {
      for (const bad of [
        { ...deadline, dueAt: 5 },
        { ...deadline, disputeId: null },
        { ...deadline, kind: Symbol('k') },
      ])
        expect(() => deadlineKey(bad as never)).toThrow(
          expect.objectContaining({ code: 'INVALID_INPUT', details: { path: 'deadline' } }),
        );
      expect(deadlineKey(deadline)).toBe(`timer:review:milestone:m2:${DUE}`);
    });
  });

  describe('what moved under a consumer or a rebuild is CONCURRENCY_CONFLICT (it was a plain Error)', () => {
    /** The test store, running `meanwhile` (another process's write) before each readAll. */
    function storeWith(meanwhile: () => Promise<unknown>) {
      const store = db.store();
      return {
        ...store,
        readStream: store.readStream.bind(store),
        async *readAll(options?: { after?: number }): AsyncGenerator<RecordedEvent> {
          await meanwhile();
          yield* store.readAll(options);
        },
      };
    }

    it("a consumer's checkpoint moved by another writer between its read and its batch", async () => {
      await drive();
      const table = `"${db.schema}".consumer_checkpoints`;
      const consumer = createPostgresConsumer({
        name: 'moved',
        store: storeWith(() =>
          db.pool.query(`UPDATE ${table} SET position = position + 1 WHERE name = 'moved'`),
        ),
        pool: db.pool,
        schema: db.schema,
        clock,
        handle: () => Promise.resolve(),
      });
      opened.push(consumer);
      const step = await consumer.step();
      expect(step).toMatchObject({
        kind: 'failed',
        error: {
          code: 'CONCURRENCY_CONFLICT',
          details: { consumer: 'moved', expected: 0, actual: 1 },
        },
      });
      await expect(consumer.catchUp()).rejects.toMatchObject({ code: 'CONCURRENCY_CONFLICT' });
    });

    it('a rebuild whose generation another rebuild swapped meanwhile', async () => {
      await drive();
      const generations = `"${db.schema}".read_model_generations`;
      let swapped = false;
      const summaries = createJobSummaryTable({
        store: storeWith(async () => {
          if (swapped) return;
          swapped = true;
          await db.pool.query(`UPDATE ${generations} SET generation = 7 WHERE name = 'rebuilt'`);
        }),
        pool: db.pool,
        schema: db.schema,
        name: 'rebuilt',
        clock,
      });
      opened.push(summaries);
      await summaries.migrate();
      await expect(summaries.rebuild()).rejects.toMatchObject({
        code: 'CONCURRENCY_CONFLICT',
        details: { expected: 1, actual: 7 },
      });
    });
  });

  describe("what an app's decode and accepts return", () => {
    /** The summary table's first step over job 0 and a stream that is no job's. */
    async function firstStep(overrides: Record<string, unknown>): Promise<ConsumerStep> {
      await drive();
      await db.store().appendToStream('audit-1', [{ type: 'Note', data: {} }], {
        expectedVersion: 'any',
      });
      const summaries = createJobSummaryTable({
        store: db.store(),
        pool: db.pool,
        schema: db.schema,
        name: 'decoded',
        clock,
        ...overrides,
      });
      opened.push(summaries);
      await summaries.migrate();
      return summaries.step();
    }

    it.each([
      ['a Promise (an async decode)', (e: RecordedEvent) => Promise.resolve(e)],
      ['null', () => null],
      ['an event of no known type', () => ({ type: 'Nothing', data: {} })],
    ])(
      'a decode that returns %s fails the batch with INVALID_HISTORY naming the stream and position (a plain Error: "Unhandled event")',
      async (_, decode) => {
        const step = await firstStep({ decode });
        expect(step).toMatchObject({
          kind: 'failed',
          error: { code: 'INVALID_HISTORY', details: { streamId: 'job-job0', position: 1 } },
        });
      },
    );

    it('an accepts that returns a Promise (an async accepts: every stream accepted) is INVALID_INPUT at accepts', async () => {
      const step = await firstStep({
        accepts: (id: string) => Promise.resolve(id.startsWith('job-')),
      });
      expect(step).toMatchObject({
        kind: 'failed',
        error: { code: 'INVALID_INPUT', details: { path: 'accepts' } },
      });
    });
  });
});
