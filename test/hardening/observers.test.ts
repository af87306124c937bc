import { describe, expect, it, vi } from 'vitest';
import { observe, stepLoop, stopping } from '../../src/live/loop.js';
import { createFakeClock } from '../live/fake-clock.js';

/*
 * An app's observers (`onError`, `onBatch`) watch a live loop; what one throws cannot change
 * what it watches. A throwing `onError` ended the dispatcher's and the timer runner's loop
 * (`start()` rejected with the observer's error) on the first failed step, where the loop backs
 * off and tries again. The PostgreSQL consumer's cases are in test/postgres/consumer.test.ts.
 */

describe('a live loop whose onError throws', () => {
  it('goes on stepping after a failed step, with its backoff', async () => {
    const clock = createFakeClock();
    let steps = 0;
    const loop = stepLoop({
      clock,
      pacing: { pollMs: 10, lockRetryMs: 10, backoff: () => 100 },
      step: () => {
        steps += 1;
        return steps === 1 ? Promise.reject(new Error('provider down')) : Promise.resolve(false);
      },
      onError: () => {
        throw new Error('the logger is down too');
      },
      release: () => Promise.resolve(),
    });
    const run = loop.start().then(
      () => 'stopped',
      (error: unknown) => error,
    );
    await vi.waitFor(() => {
      expect(clock.sleepers).toHaveLength(1);
    });
    expect(clock.slept).toEqual([100]);
    clock.advance(100);
    await vi.waitFor(() => {
      expect(steps).toBe(2);
    });
    await loop.stop();
    expect(await run).toBe('stopped');
  });
});

describe('observers that are async functions (hostile9)', () => {
  /** The unhandled rejections while `run` runs (Node ends a process on one by default). */
  async function unhandledDuring(run: () => Promise<void>): Promise<unknown[]> {
    const seen: unknown[] = [];
    const listener = (reason: unknown) => seen.push(reason);
    process.on('unhandledRejection', listener);
    try {
      await run();
      // Rejections are reported after the microtasks of their turn: wait for two turns.
      await new Promise((resolve) => setImmediate(resolve));
      await new Promise((resolve) => setImmediate(resolve));
    } finally {
      process.off('unhandledRejection', listener);
    }
    return seen;
  }

  it('an async onError that rejects is dropped, as one that throws, never an unhandled rejection (it ended the process)', async () => {
    const clock = createFakeClock();
    let steps = 0;
    const loop = stepLoop({
      clock,
      pacing: { pollMs: 10, lockRetryMs: 10, backoff: () => 100 },
      step: () => {
        steps += 1;
        return Promise.reject(new Error('provider down'));
      },
      // eslint-disable-next-line @typescript-eslint/no-misused-promises -- the point: an app's async logger
      onError: async () => {
        await Promise.resolve();
        throw new Error('the logger is down too');
      },
      release: () => Promise.resolve(),
    });
    const unhandled = await unhandledDuring(async () => {
      const run = loop.start();
      await vi.waitFor(() => {
        expect(clock.sleepers).toHaveLength(1);
      });
      await loop.stop();
      await run;
    });
    expect(steps).toBe(1);
    expect(unhandled).toEqual([]);
  });

  it('what an async observer rejects with goes where what it throws goes (onBatch: to onError)', async () => {
    const reported: unknown[] = [];
    const rejected = new Error('onBatch rejected');
    const unhandled = await unhandledDuring(async () => {
      observe(
        () => Promise.reject(rejected),
        (error) => reported.push(error),
      );
      await Promise.resolve();
    });
    expect(unhandled).toEqual([]);
    expect(reported).toEqual([rejected]);
  });
});

describe('a clock whose sleep returns no promise (hostile9)', () => {
  it('stops the loop with INVALID_INPUT at clock.sleep, reported to onError (it did not wait: the loop spun, asking the database without pause)', async () => {
    const fake = createFakeClock();
    let sleeps = 0;
    let steps = 0;
    const errors: unknown[] = [];
    const loop = stepLoop({
      clock: {
        now: () => fake.now(),
        sleep: () => {
          sleeps += 1;
          return undefined as unknown as Promise<void>;
        },
      },
      pacing: { pollMs: 10, lockRetryMs: 10, backoff: () => 100 },
      // Without the check it never waited: the hundredth step ends the spin (test only).
      step: () => {
        steps += 1;
        const spun = new Error('spun');
        stopping(spun);
        return steps < 100 ? Promise.resolve(false) : Promise.reject(spun);
      },
      onError: (e) => errors.push(e),
      release: () => Promise.resolve(),
    });
    const outcome = await loop.start().then(
      () => undefined,
      (error: unknown) => error,
    );
    expect(outcome).toMatchObject({ code: 'INVALID_INPUT', details: { path: 'clock.sleep' } });
    expect(errors).toEqual([outcome]);
    expect(sleeps).toBe(1);
  });
});
