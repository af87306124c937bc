import { beforeEach, describe, expect, it, vi } from 'vitest';
import { createCommandHandler } from '../../src/handler/command-handler.js';
import type { PgPool } from '../../src/postgres/consumer.js';
import { createTimerRunner } from '../../src/postgres/timers.js';
import { createFakeClock, type FakeClock } from '../live/fake-clock.js';
import {
  driveJobs,
  openDispatcher,
  skipPostgres,
  stoppedAfterEach,
  useTestDatabase,
} from './database.js';

/*
 * The dispatcher's and the timer runner's loops step their consumer half with their other half,
 * every `pollMs`. A failing consumer half is retried after the backoff (100 ms doubling), as a
 * consumer's own loop does, while the other half goes on polling: a batch that cannot be handled
 * (an event the app's decode refuses, a deadlines function that answers wrong) was read, folded
 * and reported every `pollMs` for ever. A standby one asks for the lock every `lockRetryMs`. A
 * firing step whose every command failed backs the whole loop off.
 */

describe.skipIf(skipPostgres)('a failing consumer half is retried with backoff', () => {
  // Job 0 is driven once; each test empties only the checkpoints, so its consumers start at 0.
  const db = useTestDatabase('paced', {
    poolSize: 6,
    live: true,
    prepare: (db) => driveJobs(db, [0]),
  });
  let clock: FakeClock;
  const stops = stoppedAfterEach();
  beforeEach(async () => {
    await db.pool.query(`TRUNCATE "${db.schema}".consumer_checkpoints`);
    clock = createFakeClock();
  });

  /** Runs a loop for three failed steps, advancing the fake clock past each wait: the waits. */
  async function waitsOf(start: () => Promise<void>, errors: unknown[]): Promise<number[]> {
    const run = start();
    const waits: number[] = [];
    for (let n = 1; n <= 3; n += 1) {
      await vi.waitFor(() => {
        expect(clock.sleepers).toHaveLength(1);
        expect(errors).toHaveLength(n);
      });
      // The loop's own sleep (a call's deadline sleeps too, cancelled once the call settles).
      const wait = clock.sleepers[0]! - clock.now();
      waits.push(wait);
      clock.advance(wait);
    }
    await vi.waitFor(() => {
      expect(clock.sleepers).toHaveLength(1);
    });
    stops.splice(0).forEach((s) => void s.stop());
    await run;
    return waits;
  }

  /** Steps a started loop through `ms` of its polls (pollMs 50) on the fake clock. */
  async function pollFor(ms: number): Promise<void> {
    for (let t = 0; t < ms; t += 50) {
      await vi.waitFor(() => {
        expect(clock.sleepers).toHaveLength(1);
      });
      clock.advance(50);
    }
    await vi.waitFor(() => {
      expect(clock.sleepers).toHaveLength(1);
    });
  }

  /** Runs a loop for 750 ms of 50 ms polls: the instants (from its start) its errors came at. */
  async function errorInstants(start: () => Promise<void>, at: number[]): Promise<number[]> {
    const run = start();
    await pollFor(750);
    stops.splice(0).forEach((s) => void s.stop());
    await run;
    return at;
  }

  it('the timer runner whose deadlines function answers wrong: the batch is tried at 0, 100, 300, 700 ms (it was every pollMs)', async () => {
    const t0 = clock.now();
    const at: number[] = [];
    const errors: unknown[] = [];
    const runner = createTimerRunner({
      store: db.store(),
      pool: db.pool,
      schema: db.schema,
      handler: createCommandHandler({ store: db.store() }),
      deadlines: () => 'no list' as never,
      clock,
      pollMs: 50,
      onError: (error) => {
        errors.push(error);
        at.push(clock.now() - t0);
      },
    });
    stops.push(runner);
    expect(await errorInstants(() => runner.start(), at)).toEqual([0, 100, 300, 700]);
    expect(errors[0]).toMatchObject({ code: 'INVALID_INPUT', details: { path: 'deadlines' } });
  });

  it('the dispatcher whose decode refuses an event: the same, and its deliveries are still polled every pollMs', async () => {
    const t0 = clock.now();
    const at: number[] = [];
    const errors: unknown[] = [];
    const dispatcher = openDispatcher(db, clock, stops, {
      send: () => Promise.resolve(),
      decode: () => {
        throw new Error('cannot decode');
      },
      pollMs: 50,
      onError: (error) => {
        errors.push(error);
        at.push(clock.now() - t0);
      },
    });
    expect(await errorInstants(() => dispatcher.start(), at)).toEqual([0, 100, 300, 700]);
    expect(errors[0]).toMatchObject({ message: 'cannot decode' });
    expect(clock.slept.filter((ms) => ms !== 50)).toEqual([]);
  });

  it('the timer runner whose every due command fails (a crash, not a refusal): 100, 200, 400 ms (it retried them every pollMs, reporting each)', async () => {
    const errors: unknown[] = [];
    const runner = createTimerRunner({
      store: db.store(),
      pool: db.pool,
      schema: db.schema,
      handler: { handle: () => Promise.reject(new Error('store down')) } as never,
      deadlines: () => [
        {
          kind: 'review',
          milestoneId: 'm1',
          dueAt: '2020-01-01T00:00:00Z',
          command: { type: 'ExpireReview', data: { milestoneId: 'm1' } },
        },
      ],
      clock,
      pollMs: 50,
      onError: (error) => errors.push(error),
    });
    stops.push(runner);
    await runner.deadlinesConsumer.catchUp();
    expect(await waitsOf(() => runner.start(), errors)).toEqual([100, 200, 400]);
    expect(errors[0]).toMatchObject({ message: 'store down' });
  });
  describe('a standby consumer half tries the lock every lockRetryMs, not every pollMs', () => {
    /** db.pool, counting the consumer lock's tries on the connections it hands out. */
    function countingTries(): { pool: PgPool; tries: () => number } {
      let tries = 0;
      const pool: PgPool = {
        query: (text, values) => db.pool.query(text, values),
        connect: async () => {
          const client = await db.pool.connect();
          return new Proxy(client, {
            get(target, key) {
              if (key === 'query')
                return (text: string, values?: unknown[]) => {
                  if (text.includes('pg_try_advisory_lock')) tries += 1;
                  return target.query(text, values);
                };
              const value: unknown = Reflect.get(target, key);
              return typeof value === 'function' ? (value as () => unknown).bind(target) : value;
            },
          });
        },
      };
      return { pool, tries: () => tries };
    }

    it('the dispatcher: one try in the first 950 ms, the next at 1000 ms (it tried at every poll)', async () => {
      const holder = openDispatcher(db, clock, stops, { send: () => Promise.resolve() });
      await holder.outbox.step();
      const { pool, tries } = countingTries();
      const standby = openDispatcher(db, clock, [], {
        send: () => Promise.resolve(),
        pool,
        pollMs: 50,
        lockRetryMs: 1000,
      });
      const run = standby.start();
      await pollFor(950);
      expect(tries()).toBe(1);
      await pollFor(50);
      expect(tries()).toBe(2);
      await standby.stop();
      await run;
    });

    it('the timer runner: the same', async () => {
      const runner = (pool: PgPool) =>
        createTimerRunner({
          store: db.store(),
          pool,
          schema: db.schema,
          handler: createCommandHandler({ store: db.store() }),
          clock,
          pollMs: 50,
          lockRetryMs: 1000,
        });
      const holder = runner(db.pool);
      stops.push(holder);
      await holder.deadlinesConsumer.step();
      const { pool, tries } = countingTries();
      const standby = runner(pool);
      const run = standby.start();
      await pollFor(950);
      expect(tries()).toBe(1);
      await pollFor(50);
      expect(tries()).toBe(2);
      await standby.stop();
      await run;
    });
  });
});
