import { pause, readNow } from './loop.js';
import type { Clock } from './clock.js';

/*
 * An app's function (the dispatcher's `send`, a consumer's `handle`) given a deadline on the
 * loop's clock. A promise that never settled held its step, and `stop()` with it, for ever: past
 * the deadline the step goes on without it, and what it settles with later is ignored.
 */

const TIMED_OUT = Symbol('timed out');

// Sleeps in a row that waited (the event loop turned) while now() stood still: a simulated
// clock between its jumps, or one that resolves every sleep on the next turn. Past this many the
// wait is over, so a hung call is given up rather than slept on for ever.
const STILL_SLEEPS = 1000;

/** Sleeps `ms` on `clock`, and says whether the event loop turned meanwhile (the sleep waited). */
async function sleepTurned(clock: Clock, ms: number, signal: AbortSignal): Promise<boolean> {
  let turned = false;
  const tick = setImmediate(() => {
    turned = true;
  });
  try {
    await pause(clock, ms, signal);
  } finally {
    clearImmediate(tick);
  }
  return turned;
}

/**
 * Resolves once `clock.now()` has reached `ms` after the start, or when `signal` aborts. A sleep
 * that wakes early (a clock that caps its waits, as the live example's simulated one does) is
 * followed by one for the rest: taken as the whole wait, it gave an app's `send` 50 ms of a 60 s
 * deadline. A sleep that returned before the event loop turned without moving now() did not wait
 * (a fake clock that resolves at once): it is taken as the whole wait, or this would spin.
 */
async function deadline(clock: Clock, ms: number, signal: AbortSignal): Promise<void> {
  let last = readNow(clock);
  const end = last === undefined ? undefined : last + ms;
  let left = ms;
  let still = 0;
  for (;;) {
    const turned = await sleepTurned(clock, left, signal);
    if (signal.aborted || last === undefined || end === undefined) return;
    const now = readNow(clock);
    if (now === undefined || now >= end) return;
    if (now - last >= 1) {
      still = 0;
      last = now;
      left = Math.ceil(end - now);
    } else if (!turned || ++still >= STILL_SLEEPS) return;
  }
}

/**
 * What `work` resolves to, or what it throws, if it settles within `ms` on `clock` (by its
 * `now()`: an early wake of its `sleep` is slept again for the rest). Past the deadline,
 * `onTimeout` runs, then this throws a `TimeoutError` (a `DOMException`, as
 * `AbortSignal.timeout` gives) that also aborts the signal given to `work`; a `clock.sleep`
 * that fails meanwhile ends the wait the same way, with its error. The wait is cancelled
 * as soon as `work` settles (the system clock's timer does not hold the process).
 */
export async function within<T>(
  work: (signal: AbortSignal) => Promise<T> | T,
  ms: number,
  clock: Clock,
  what: string,
  onTimeout?: () => void,
): Promise<T> {
  const given = new AbortController();
  const waiting = new AbortController();
  // Raced, so a rejection after the deadline is handled (ignored), never unhandled.
  const ran = Promise.resolve().then(() => work(given.signal));
  // A clock whose sleep fails ends the wait with its error: `work` is given up then too, as at
  // the deadline (it was left running, and a consumer's handler wrote on after its batch failed).
  let late: unknown;
  try {
    const first = await Promise.race([
      ran,
      deadline(clock, ms, waiting.signal).then(
        () => TIMED_OUT,
        (error: unknown) => {
          late = error;
          return TIMED_OUT;
        },
      ),
    ]);
    if (first !== TIMED_OUT) return first as T;
  } finally {
    waiting.abort();
  }
  late ??= new DOMException(`${what} did not settle within ${String(ms)} ms`, 'TimeoutError');
  given.abort(late);
  onTimeout?.();
  throw late;
}

/**
 * {@link within}, ending at the clock's instant `end` (a lease's end) rather than `ms` from now:
 * what ran before the call (the claim's query, a pause) is taken off. An `end` already passed
 * throws the `TimeoutError` without calling `work`. A clock that cannot be read gives `ms`.
 */
export async function withinUntil<T>(
  work: (signal: AbortSignal) => Promise<T> | T,
  end: number,
  ms: number,
  clock: Clock,
  what: string,
): Promise<T> {
  const now = readNow(clock);
  const left = now === undefined ? ms : Math.min(ms, Math.ceil(end - now));
  if (left <= 0)
    throw new DOMException(`${what}: its time ran out before it began`, 'TimeoutError');
  return within(work, left, clock, what);
}
