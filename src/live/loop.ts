import { DomainError } from '../domain/shared/errors.js';
import { assertNever } from '../domain/shared/never.js';
import { describe, readsAsFunction } from '../domain/shared/parse.js';
import { delayFrom } from '../shared/options.js';
import type { Clock } from './clock.js';

/*
 * The pacing every live loop shares: what to wait after a step, by what the step did.
 */

/**
 * What a step of a live loop did, as far as pacing goes (`unknown`: a batch whose COMMIT's
 * outcome could not be found out, paced as idle: the next step finds out).
 */
export type StepKind = 'standby' | 'idle' | 'handled' | 'failed' | 'unknown';

/** The waits of a live loop. */
export interface Pacing {
  /** After an idle step (nothing to do). */
  readonly pollMs: number;
  /** After a standby step (another process holds the lock). */
  readonly lockRetryMs: number;
  /** After `failures` failed steps in a row. */
  readonly backoff: (failures: number) => number;
}

/**
 * Milliseconds to wait after a step: none after work (more may be waiting). After a failure, what
 * `backoff` says, within the wait limits; a `backoff` that says `NaN`, 0 or less is
 * `INVALID_INPUT`, which stops the loop ({@link delayFrom}).
 */
export function waitAfter(kind: StepKind, failures: number, pacing: Pacing): number {
  switch (kind) {
    case 'handled':
      return 0;
    case 'idle':
    case 'unknown':
      return pacing.pollMs;
    case 'standby':
      return pacing.lockRetryMs;
    case 'failed':
      return delayFrom(pacing.backoff, failures, 'backoff');
    default:
      return assertNever(kind, 'step kind');
  }
}

/** A loop's `start` and `stop`, as the dispatcher and the timer runner expose them. */
export interface StepLoop {
  /**
   * Runs steps until `stop`; calling it again while running returns the same run, and while a
   * stop is under way, a new run once it is done.
   */
  start(): Promise<void>;
  /** Lets the running step finish, then releases what `release` releases. */
  stop(): Promise<void>;
}

/**
 * Calls an app's observer (`onError`, `onBatch`): what it throws cannot change what it observes.
 * A throwing `onBatch` reported a committed batch as failed and ended the loop, a throwing
 * `onError` ended it too. What the observer throws goes to `report` (`onError`, for `onBatch`);
 * what `onError` itself throws has nowhere left to go and is dropped.
 */
export function observe(call: () => unknown, report?: (error: unknown) => void): void {
  const fallout = (error: unknown): void => {
    if (report !== undefined)
      observe(() => {
        report(error);
      });
  };
  try {
    const result = call();
    // An async observer's rejection is what it threw: unhandled, it ended the process.
    if (readsAsFunction(() => (result as { then?: unknown } | null)?.then))
      (result as PromiseLike<unknown>).then(undefined, fallout);
  } catch (error) {
    fallout(error);
  }
}

/**
 * Waits `ms` on the loop's clock. A `sleep` that returns no promise did not wait, and the loop
 * asked the database again at once, for ever: `INVALID_INPUT` at `clock.sleep`, reported to
 * `onError`, and the loop ends with it (as with a `backoff` that gives no wait). A `sleep` that
 * throws or rejects ends it the same way, its error reported as it came (it ended the loop
 * unreported: `start()` rejected, `onError` never heard of it).
 */
export async function pause(
  clock: Clock,
  ms: number,
  signal: AbortSignal | undefined,
  onError?: (error: unknown) => void,
): Promise<void> {
  const ended = (error: unknown): never => {
    observe(() => onError?.(error));
    throw error;
  };
  let slept: unknown;
  try {
    slept = clock.sleep(ms, signal);
  } catch (error) {
    ended(error);
  }
  if (!readsAsFunction(() => (slept as { then?: unknown } | null)?.then))
    ended(
      new DomainError(
        'INVALID_INPUT',
        `clock.sleep(${String(ms)}) must return a Promise that resolves after the wait, not ${describe(slept)}`,
        { path: 'clock.sleep' },
      ),
    );
  // Adopted, not called: a thenable whose `then` throws (or whose getter does, read again) rejects
  // here and is reported; calling its `then` let that error end the loop unreported.
  await new Promise<void>((resolve) => {
    resolve(slept as Promise<void>);
  }).then(undefined, ended);
}

// The errors that end a loop rather than being retried: the pacing's own (see stopping).
const fatal = new WeakSet<object>();

/**
 * Marks an error of a step as one that ends the loop (reported to `onError`, then `start()`
 * rejects with it): the dispatcher's `retryDelay` that returned no delay. Returns the error.
 */
export function stopping(error: unknown): unknown {
  if (typeof error === 'object' && error !== null) fatal.add(error);
  return error;
}

/** Whether `error` was marked by {@link stopping}: it ends the loop rather than being retried. */
export function isStopping(error: unknown): boolean {
  return typeof error === 'object' && error !== null && fatal.has(error);
}

/**
 * {@link waitAfter}, for a loop: an error of the pacing itself (a `backoff` that returned no
 * wait) is reported to `onError`, then ends the loop with it (`start()` rejects with it), since
 * a loop that cannot pace itself would retry without pause.
 */
export function pacedOrStop(
  kind: StepKind,
  failures: number,
  pacing: Pacing,
  onError: ((error: unknown) => void) | undefined,
): number {
  try {
    return waitAfter(kind, failures, pacing);
  } catch (error) {
    observe(() => onError?.(error));
    throw error;
  }
}

/**
 * A loop's `start` and `stop` around `run`: `release` frees what the loop held when the run ends,
 * or on a `stop()` when none runs. A `start()` while a stop is under way starts a new run once the
 * stop is done, unless `stop()` is called again first: it returned the stopping run, and nothing
 * ran after it.
 */
export function lifecycle(
  run: (signal: AbortSignal) => Promise<void>,
  release: () => Promise<void>,
): StepLoop & { readonly running: boolean; readonly stopSignal: AbortSignal } {
  let stopping = new AbortController();
  let loop: Promise<void> | undefined;
  // Counts stop() calls: a start() that waits for a stop runs only if none came after it.
  let stops = 0;
  // Aborts when the next stop() begins, whether a run is under way or not (catchUp's end); a
  // new one only once no stop is under way: a catchUp() asked during a stop ends at once, where
  // it stepped on past the stop's release and held the lock after stop() resolved.
  let nextStop = new AbortController();
  let stopsUnderWay = 0;
  const self = {
    get running() {
      return loop !== undefined;
    },
    /** Aborts when the next `stop()` begins: what a `catchUp()` asked before it watches. */
    get stopSignal() {
      return nextStop.signal;
    },
    start(): Promise<void> {
      if (loop === undefined) {
        stopping = new AbortController();
        loop = run(stopping.signal).finally(async () => {
          // Ended even when `release` fails (start() and stop() reject with its error): left
          // set, start() returned the dead run for ever, or (after a stop) waited on it in a
          // loop of microtasks that never let the process go on.
          try {
            await release();
          } finally {
            loop = undefined;
          }
        });
      } else if (stopping.signal.aborted) {
        const asked = stops;
        const again = () => (stops === asked ? self.start() : undefined);
        return loop.then(again, again);
      }
      return loop;
    },
    async stop() {
      stops += 1;
      stopping.abort();
      nextStop.abort();
      stopsUnderWay += 1;
      try {
        await (loop ?? release());
      } finally {
        stopsUnderWay -= 1;
        if (stopsUnderWay === 0) nextStop = new AbortController();
      }
    },
  };
  return self;
}

/**
 * Runs `step` over and over: again at once after a step that did work (more may be waiting),
 * after `pollMs` when it found nothing, with backoff after failures (reported to `onError`).
 * When the loop ends, or on `stop` when it never started, `release` frees what the loop held.
 */
export function stepLoop(options: {
  readonly clock: Clock;
  readonly pacing: Pacing;
  /**
   * One step; true when it did work, `'failed'` when it did none and a part of it failed (a
   * consumer's batch, reported already): paced as a failure, or it was retried every `pollMs`.
   */
  readonly step: () => Promise<boolean | 'failed'>;
  readonly onError?: ((error: unknown) => void) | undefined;
  readonly release: () => Promise<void>;
}): StepLoop {
  const { clock, pacing, step, onError, release } = options;

  async function run(signal: AbortSignal): Promise<void> {
    let failures = 0;
    while (!signal.aborted) {
      let busy: boolean | 'failed';
      try {
        busy = await step();
      } catch (error) {
        observe(() => onError?.(error));
        if (isStopping(error)) throw error;
        busy = 'failed';
      }
      failures = busy === 'failed' ? failures + 1 : 0;
      const wait =
        busy === 'failed'
          ? pacedOrStop('failed', failures, pacing, onError)
          : busy
            ? 0
            : pacing.pollMs;
      if (wait > 0) await pause(clock, wait, signal, onError);
    }
  }

  return lifecycle(run, release);
}

/**
 * The calls of a runner's own methods in flight (`deliver()`, `fire()`, `step()` asked
 * directly): its `stop()` waits for them as for the loop's step, so no mark or command comes
 * after it (the app may end its pool once `stop()` resolves).
 */
export function inFlight(): {
  track<T>(call: Promise<T>): Promise<T>;
  settled(): Promise<void>;
} {
  const calls = new Set<Promise<unknown>>();
  return {
    track(call) {
      calls.add(call);
      const done = (): void => {
        calls.delete(call);
      };
      call.then(done, done);
      return call;
    },
    async settled() {
      while (calls.size > 0) await Promise.allSettled([...calls]);
    },
  };
}

/** The clock's now, or undefined when it is not a number (what waits on it is then taken at its word). */
export function readNow(clock: Clock): number | undefined {
  try {
    const now: unknown = clock.now();
    return typeof now === 'number' && Number.isFinite(now) ? now : undefined;
  } catch {
    return undefined;
  }
}

/**
 * A runner's consumer half as its loop steps it: after a standby, standby again without asking
 * for the lock until `lockRetryMs` has passed on the clock; after a failure, that failure again
 * until `backoff(failures)` has. The loop steps every `pollMs` for its other half (deliveries,
 * timers), and asked for the lock (a connection, a query) or retried a batch it cannot handle
 * (read, folded, reported) at each.
 */
export function consumerPaced<S extends { readonly kind: string }>(
  step: () => Promise<S>,
  clock: Clock,
  pacing: Pacing,
): () => Promise<S> {
  let held: { readonly step: S; readonly until: number } | undefined;
  let failures = 0;
  return async () => {
    const now = readNow(clock);
    if (held !== undefined && now !== undefined && now < held.until) return held.step;
    const result = await step();
    failures = result.kind === 'failed' ? failures + 1 : 0;
    const kind = result.kind === 'standby' || result.kind === 'failed' ? result.kind : 'handled';
    const wait = waitAfter(kind, failures, pacing);
    held = wait > 0 && now !== undefined ? { step: result, until: now + wait } : undefined;
    return result;
  };
}
