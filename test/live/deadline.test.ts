import { describe, expect, it, vi } from 'vitest';
import { within } from '../../src/live/deadline.js';
import { stepLoop } from '../../src/live/loop.js';
import { createFakeClock } from './fake-clock.js';
import { never } from './promises.js';

/*
 * An app's `send` or `handle` that never settles held its step, and `stop()` with it, for ever.
 * `within` gives it a deadline on the loop's clock (a fake one here: no real timer, no timed
 * test). The runners' cases against PostgreSQL are in test/postgres/hung-steps.test.ts.
 */

/** What `promise` settled with, as a value (a rejection's error tagged). */
const outcomeOf = <T>(promise: Promise<T>): Promise<T | { rejected: unknown }> =>
  promise.then(
    (value) => value,
    (error: unknown) => ({ rejected: error }),
  );

describe('within: an app function given a deadline on the loop clock', () => {
  it('gives up a promise that never settles once the deadline passes: onTimeout, then a TimeoutError that also aborts its signal', async () => {
    const clock = createFakeClock();
    let given: AbortSignal | undefined;
    const onTimeout = vi.fn();
    const outcome = outcomeOf(
      within(
        (signal) => {
          given = signal;
          return never();
        },
        5000,
        clock,
        'send of n1',
        onTimeout,
      ),
    );
    await vi.waitFor(() => {
      expect(clock.sleepers).toEqual([clock.now() + 5000]);
    });
    clock.advance(4999);
    expect(given?.aborted).toBe(false);
    clock.advance(1);
    const { rejected } = await outcome;
    expect(rejected).toBeInstanceOf(DOMException);
    expect(rejected).toMatchObject({
      name: 'TimeoutError',
      message: 'send of n1 did not settle within 5000 ms',
    });
    expect(onTimeout).toHaveBeenCalledTimes(1);
    expect(given?.aborted).toBe(true);
    expect(given?.reason).toBe(rejected);
  });

  it('returns what settles in time and cancels its wait (no sleeper left behind, the signal not aborted, no onTimeout)', async () => {
    const clock = createFakeClock();
    let given: AbortSignal | undefined;
    const onTimeout = vi.fn();
    const value = await within(
      (signal) => {
        given = signal;
        return Promise.resolve(7);
      },
      5000,
      clock,
      'x',
      onTimeout,
    );
    expect(value).toBe(7);
    expect(clock.sleepers).toEqual([]);
    expect(given?.aborted).toBe(false);
    const failed = new Error('provider said 503');
    expect(await outcomeOf(within(() => Promise.reject(failed), 5000, clock, 'x'))).toEqual({
      rejected: failed,
    });
    // A function that throws at once is a failure too, not a crash of the step.
    const throws = (): never => {
      throw failed;
    };
    expect(await outcomeOf(within(throws, 5000, clock, 'x', onTimeout))).toEqual({
      rejected: failed,
    });
    expect(await within(() => 3, 10, clock, 'x', onTimeout)).toBe(3);
    expect(clock.sleepers).toEqual([]);
    expect(onTimeout).not.toHaveBeenCalled();
  });

  it('ignores what settles after the deadline, a rejection included (no unhandled rejection)', async () => {
    const clock = createFakeClock();
    let rejectLate: (error: Error) => void = () => undefined;
    const outcome = outcomeOf(
      within(
        () =>
          new Promise<number>((_, reject) => {
            rejectLate = reject;
          }),
        100,
        clock,
        'x',
      ),
    );
    await vi.waitFor(() => {
      expect(clock.sleepers).toHaveLength(1);
    });
    clock.advance(100);
    const seen: unknown[] = [];
    const listener = (reason: unknown) => seen.push(reason);
    process.on('unhandledRejection', listener);
    try {
      expect(((await outcome) as { rejected: unknown }).rejected).toMatchObject({
        name: 'TimeoutError',
      });
      rejectLate(new Error('late'));
      await new Promise((resolve) => setImmediate(resolve));
      await new Promise((resolve) => setImmediate(resolve));
    } finally {
      process.off('unhandledRejection', listener);
    }
    expect(seen).toEqual([]);
  });
});

describe('a live loop whose step hangs in an app function', () => {
  it('stop() returns once the deadline gives the hung call up, and the failure goes to onError', async () => {
    const clock = createFakeClock();
    const errors: unknown[] = [];
    let calls = 0;
    const loop = stepLoop({
      clock,
      pacing: { pollMs: 10, lockRetryMs: 10, backoff: () => 100 },
      step: () =>
        within(
          () => {
            calls += 1;
            return never<boolean>();
          },
          1000,
          clock,
          'send',
        ),
      onError: (error) => errors.push(error),
      release: () => Promise.resolve(),
    });
    const run = loop.start();
    await vi.waitFor(() => {
      expect(calls).toBe(1);
      expect(clock.sleepers).toHaveLength(1);
    });
    let stopped = false;
    const stopping = loop.stop().then(() => {
      stopped = true;
    });
    await new Promise((resolve) => setImmediate(resolve));
    expect(stopped).toBe(false);
    clock.advance(1000);
    await stopping;
    await run;
    expect(calls).toBe(1);
    expect(errors).toEqual([expect.objectContaining({ name: 'TimeoutError' })]);
  });
});

describe('within on a clock whose sleep wakes early (truth11)', () => {
  /** The fake clock, but every sleep wakes after at most `cap` ms of its time (as the live example's does). */
  function earlyWaking(cap: number) {
    const fake = createFakeClock();
    const clock = {
      now: () => fake.now(),
      sleep: (ms: number, signal?: AbortSignal) => fake.sleep(Math.min(ms, cap), signal),
    };
    return { fake, clock };
  }

  it('sleeps again for the rest while now() is before the deadline: an early wake does not shorten it', async () => {
    const { fake, clock } = earlyWaking(50);
    const outcome = outcomeOf(within(() => never(), 1000, clock, 'send of n1'));
    let settled = false;
    void outcome.then(() => (settled = true));
    const t0 = fake.now();
    // 19 early wakes of 50 ms: still before the deadline, so the call is still given its time.
    for (let i = 1; i < 20; i++) {
      await vi.waitFor(() => {
        expect(fake.sleepers).toEqual([t0 + 50 * i]);
      });
      fake.advance(50);
    }
    await new Promise((resolve) => setImmediate(resolve));
    expect(settled).toBe(false);
    await vi.waitFor(() => {
      expect(fake.sleepers).toEqual([t0 + 1000]);
    });
    fake.advance(50);
    expect((await outcome).rejected).toMatchObject({
      name: 'TimeoutError',
      message: 'send of n1 did not settle within 1000 ms',
    });
  });

  it('asks the clock only for the rest after an early wake, and stops waiting when the call settles', async () => {
    const { fake, clock } = earlyWaking(300);
    const asked: number[] = [];
    const counting = {
      now: clock.now,
      sleep: (ms: number, signal?: AbortSignal) => {
        asked.push(ms);
        return clock.sleep(ms, signal);
      },
    };
    let finish: (value: number) => void = () => undefined;
    const result = outcomeOf(
      within(
        () =>
          new Promise<number>((resolve) => {
            finish = resolve;
          }),
        1000,
        counting,
        'x',
      ),
    );
    await vi.waitFor(() => {
      expect(fake.sleepers).toHaveLength(1);
    });
    fake.advance(300);
    await vi.waitFor(() => {
      expect(asked).toEqual([1000, 700]);
    });
    finish(5);
    expect(await result).toBe(5);
    expect(fake.sleepers).toEqual([]);
  });

  it('takes a sleep that returned without moving now() as elapsed (a fake clock that does not wait): no spin', async () => {
    let sleeps = 0;
    const frozen = {
      now: () => 1_000_000,
      sleep: () => {
        sleeps += 1;
        return Promise.resolve();
      },
    };
    const outcome = await outcomeOf(within(() => never(), 60_000, frozen, 'handle'));
    expect(outcome.rejected).toMatchObject({ name: 'TimeoutError' });
    expect(sleeps).toBe(1);
    // The same for a clock whose now() cannot be read: its sleep's word is taken.
    let bad = 0;
    const unreadable = {
      now: () => Number.NaN,
      sleep: () => {
        bad += 1;
        return Promise.resolve();
      },
    };
    const unread = await outcomeOf(within(() => never(), 60_000, unreadable, 'handle'));
    expect(unread.rejected).toMatchObject({ name: 'TimeoutError' });
    expect(bad).toBe(1);
  });

  it('a clock whose time stands still while its sleeps really wait (the live example between its jumps): waits until now() reaches the deadline, at most 1000 such sleeps', async () => {
    let now = 1_000_000;
    const asleep: (() => void)[] = [];
    const standing = {
      now: () => now,
      sleep: () =>
        new Promise<void>((resolve) => {
          asleep.push(resolve);
        }),
    };
    /** Wakes the one sleeper once the event loop has turned (a real wait), time standing still. */
    async function wake(): Promise<void> {
      await vi.waitFor(() => {
        expect(asleep).toHaveLength(1);
      });
      await new Promise((resolve) => setImmediate(resolve));
      asleep.shift()?.();
    }
    let settled = false;
    const outcome = outcomeOf(within(() => never(), 60_000, standing, 'handle'));
    void outcome.then(() => (settled = true));
    for (let i = 0; i < 5; i++) await wake();
    await vi.waitFor(() => {
      expect(asleep).toHaveLength(1);
    });
    expect(settled).toBe(false);
    // The simulated time jumps past the deadline: given up at the next wake.
    now += 60_000;
    await wake();
    expect((await outcome).rejected).toMatchObject({
      name: 'TimeoutError',
    });
    // Time that never moves: given up after 1000 sleeps in a row, not slept on for ever.
    let sleeps = 0;
    const frozen = {
      now: () => now,
      sleep: () =>
        new Promise<void>((resolve) => {
          sleeps += 1;
          setImmediate(resolve);
        }),
    };
    const still = await outcomeOf(within(() => never(), 60_000, frozen, 'handle'));
    expect(still.rejected).toMatchObject({ name: 'TimeoutError' });
    expect(sleeps).toBe(1000);
  });

  it('a sleep that wakes at once while now() creeps (under 1 ms a wake) is taken as elapsed too', async () => {
    let now = 1_000_000;
    let sleeps = 0;
    const creeping = {
      now: () => now,
      sleep: () => {
        sleeps += 1;
        now += 0.001;
        return Promise.resolve();
      },
    };
    const outcome = await outcomeOf(within(() => never(), 60_000, creeping, 'handle'));
    expect(outcome.rejected).toMatchObject({ name: 'TimeoutError' });
    expect(sleeps).toBe(1);
  });
});
