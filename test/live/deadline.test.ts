import { describe, expect, it, vi } from 'vitest';
import { within } from '../../src/live/deadline.js';
import { stepLoop } from '../../src/live/loop.js';
import { createFakeClock } from './fake-clock.js';

/*
 * An app's `send` or `handle` that never settles held its step, and `stop()` with it, for ever.
 * `within` gives it a deadline on the loop's clock (a fake one here: no real timer, no timed
 * test). The runners' cases against PostgreSQL are in test/postgres/hung-steps.test.ts.
 */

const never = <T = never>(): Promise<T> => new Promise<T>(() => undefined);

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
