import type { Clock } from '../../src/live/clock.js';

/** A clock that moves only when told: `advance(ms)` wakes the sleepers whose time has come. */
export interface FakeClock extends Clock {
  advance(ms: number): void;
  set(ms: number): void;
  /** The sleeps waiting now (their wake-up instants), for asserting a loop's backoff. */
  readonly sleepers: readonly number[];
  /** Every sleep asked for, in order (its length in ms). */
  readonly slept: readonly number[];
}

export function createFakeClock(start = Date.parse('2026-01-01T00:00:00Z')): FakeClock {
  let now = start;
  const waiting: { at: number; wake: () => void }[] = [];
  const slept: number[] = [];
  function wakeDue(): void {
    for (let i = waiting.length - 1; i >= 0; i -= 1) {
      const w = waiting[i]!;
      if (w.at <= now) {
        waiting.splice(i, 1);
        w.wake();
      }
    }
  }
  return {
    now: () => now,
    sleep(ms, signal) {
      slept.push(ms);
      return new Promise<void>((resolve) => {
        if (signal?.aborted === true) {
          resolve();
          return;
        }
        const entry = {
          at: now + ms,
          wake: () => {
            resolve();
          },
        };
        waiting.push(entry);
        signal?.addEventListener(
          'abort',
          () => {
            const i = waiting.indexOf(entry);
            if (i >= 0) waiting.splice(i, 1);
            resolve();
          },
          { once: true },
        );
      });
    },
    advance(ms) {
      now += ms;
      wakeDue();
    },
    set(ms) {
      now = ms;
      wakeDue();
    },
    get sleepers() {
      return waiting.map((w) => w.at);
    },
    get slept() {
      return slept;
    },
  };
}

/**
 * Awaits `promise`, moving the clock by `stepMs` whenever something sleeps on it meanwhile: a
 * call that may have to wait out a lock (its retries sleep on the clock) settles instead of
 * waiting for a tick nobody gives. Polls every millisecond of real time: no timing is asserted.
 */
export async function settledOnClock<T>(
  promise: Promise<T>,
  clock: FakeClock,
  stepMs: number,
): Promise<T> {
  const state: { settled: boolean } = { settled: false };
  const isSettled = (): boolean => state.settled;
  const done = promise.finally(() => {
    state.settled = true;
  });
  while (!isSettled()) {
    await new Promise((resolve) => setTimeout(resolve, 1));
    if (!isSettled() && clock.sleepers.length > 0) clock.advance(stepMs);
  }
  return done;
}
