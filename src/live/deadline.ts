import { pause } from './loop.js';
import type { Clock } from './clock.js';

/*
 * An app's function (the dispatcher's `send`, a consumer's `handle`) given a deadline on the
 * loop's clock. A promise that never settled held its step, and `stop()` with it, for ever: past
 * the deadline the step goes on without it, and what it settles with later is ignored.
 */

const TIMED_OUT = Symbol('timed out');

/**
 * What `work` resolves to, or what it throws, if it settles within `ms` on `clock`. Past the
 * deadline, `onTimeout` runs, then this throws a `TimeoutError` (a `DOMException`, as
 * `AbortSignal.timeout` gives) that also aborts the signal given to `work`. The wait is cancelled
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
  try {
    const first = await Promise.race([ran, pause(clock, ms, waiting.signal).then(() => TIMED_OUT)]);
    if (first !== TIMED_OUT) return first as T;
  } finally {
    waiting.abort();
  }
  const late = new DOMException(`${what} did not settle within ${String(ms)} ms`, 'TimeoutError');
  given.abort(late);
  onTimeout?.();
  throw late;
}
