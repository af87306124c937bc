import fc from 'fast-check';
import { describe, expect, it, vi } from 'vitest';
import { isDomainError } from '../../src/domain/shared/errors.js';
import { stepLoop, stopping } from '../../src/live/loop.js';
import {
  createJobSummaryTable,
  createPostgresConsumer,
  createPostgresEventStore,
} from '../../src/postgres/index.js';
import { MAX_WAIT_MS } from '../../src/shared/options.js';
import { createFakeClock, type FakeClock } from './fake-clock.js';

/*
 * What an app's `backoff` returns is checked when a loop uses it (docs/live.md, Decisions): a wait
 * past the longest `setTimeout` takes (Infinity included) is that wait, a fraction is rounded up;
 * NaN, 0, a negative or a non-number stops the runner with INVALID_INPUT at `backoff`, reported to
 * onError (start() rejects with it), where it used to retry without pause, forever. No database:
 * every step fails, as against a database that is down.
 */

const down = new Error('database down');
const pool = {
  connect: () => Promise.reject(down),
  query: () => Promise.reject(down),
};
const store = createPostgresEventStore({ pool });

type Runner = 'consumer' | 'summary table';

/** A runner whose every step fails, with `backoff`, reporting errors to `errors`. */
function runner(kind: Runner, clock: FakeClock, backoff: (n: number) => number, errors: unknown[]) {
  const common = { store, pool, clock, backoff, onError: (e: unknown) => errors.push(e) };
  return kind === 'consumer'
    ? createPostgresConsumer({ ...common, name: 'backoff', handle: async () => {} })
    : createJobSummaryTable(common);
}

/** Starts a runner; resolves to what start() rejected with, after it stopped itself. */
async function stopsWith(kind: Runner, backoff: (n: number) => unknown) {
  const clock = createFakeClock();
  const errors: unknown[] = [];
  const r = runner(kind, clock, backoff as (n: number) => number, errors);
  const outcome = await r.start().then(
    () => undefined,
    (error: unknown) => error,
  );
  return { outcome, errors, clock };
}

const RUNNERS: readonly Runner[] = ['consumer', 'summary table'];

const BAD: readonly (readonly [string, unknown])[] = [
  ['NaN', Number.NaN],
  ['zero', 0],
  ['negative', -1],
  ['-Infinity', Number.NEGATIVE_INFINITY],
  ['a fraction below 1', 0.5],
  ['a string', '100'],
  ['undefined', undefined],
];

describe('a backoff that returns no wait stops the runner with INVALID_INPUT', () => {
  const cases = RUNNERS.flatMap((kind) => BAD.map(([name, value]) => [kind, name, value] as const));
  it.each(cases)('%s: a backoff returning %s', async (kind, _, value) => {
    const { outcome, errors, clock } = await stopsWith(kind, () => value);
    expect(isDomainError(outcome)).toBe(true);
    expect(outcome).toMatchObject({
      code: 'INVALID_INPUT',
      details: { path: 'backoff', failures: 1 },
    });
    expect((outcome as Error).message).toMatch(
      /^backoff\(1\) must return a number of milliseconds ≥ 1, not /,
    );
    // Reported like every error of the loop: the step's, then the pacing's; and it never slept.
    expect(errors).toEqual([down, outcome]);
    expect(clock.slept).toEqual([]);
  });
});

describe('a backoff past the limits is clamped to them', () => {
  const cases = RUNNERS.flatMap((kind) =>
    (
      [
        ['Infinity', Number.POSITIVE_INFINITY, MAX_WAIT_MS],
        ['2^40', 2 ** 40, MAX_WAIT_MS],
        ['1.5', 1.5, 2],
        ['exactly the limit', MAX_WAIT_MS, MAX_WAIT_MS],
      ] as const
    ).map(([name, value, wait]) => [kind, name, value, wait] as const),
  );
  it.each(cases)('%s: a backoff returning %s sleeps %s ms', async (kind, _, value, wait) => {
    const clock = createFakeClock();
    const errors: unknown[] = [];
    const r = runner(kind, clock, () => value, errors);
    const loop = r.start();
    await vi.waitFor(() => {
      expect(clock.sleepers).toHaveLength(1);
    });
    expect(clock.slept).toEqual([wait]);
    await r.stop();
    await loop;
    expect(errors).toEqual([down]);
  });
});

describe('the step loop of the dispatcher and the timer runner', () => {
  it('property: after a failure it sleeps a whole number of ms from 1 to the limit, or stops with INVALID_INPUT', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(fc.double(), fc.integer(), fc.constantFrom(Number.NaN, 0, -0, Infinity)),
        async (delay) => {
          const clock = createFakeClock();
          const errors: unknown[] = [];
          let steps = 0;
          const loop = stepLoop({
            clock,
            pacing: { pollMs: 10, lockRetryMs: 10, backoff: () => delay },
            step: () => {
              steps += 1;
              return Promise.reject(down);
            },
            onError: (e) => errors.push(e),
            release: () => Promise.resolve(),
          });
          const run = loop.start().then(
            () => undefined,
            (error: unknown) => error,
          );
          if (delay >= 1) {
            await vi.waitFor(() => {
              expect(clock.sleepers).toHaveLength(1);
            });
            expect(clock.slept).toEqual([Math.min(MAX_WAIT_MS, Math.ceil(delay))]);
            await loop.stop();
            expect(await run).toBeUndefined();
          } else {
            const error = await run;
            expect(error).toMatchObject({ code: 'INVALID_INPUT', details: { path: 'backoff' } });
            expect(errors).toEqual([down, error]);
            expect(clock.slept).toEqual([]);
          }
          expect(steps).toBe(1);
        },
      ),
      { numRuns: 60 },
    );
  });

  it("a step that says 'failed' (a consumer half's failure, reported already) waits backoff(failures), not pollMs, and is not reported again", async () => {
    const clock = createFakeClock();
    const errors: unknown[] = [];
    let steps = 0;
    const loop = stepLoop({
      clock,
      pacing: { pollMs: 10, lockRetryMs: 10, backoff: (n) => 100 * n },
      step: () => {
        steps += 1;
        return Promise.resolve(steps <= 2 ? 'failed' : false);
      },
      onError: (e) => errors.push(e),
      release: () => Promise.resolve(),
    });
    const run = loop.start();
    for (const wait of [100, 200]) {
      await vi.waitFor(() => {
        expect(clock.sleepers).toHaveLength(1);
      });
      clock.advance(wait);
    }
    await vi.waitFor(() => {
      expect(clock.slept).toEqual([100, 200, 10]);
    });
    await loop.stop();
    await run;
    expect(errors).toEqual([]);
  });

  it('an error marked as stopping ends the loop after it is reported, without a backoff', async () => {
    const clock = createFakeClock();
    const errors: unknown[] = [];
    const fatal = stopping(new Error('retryDelay said NaN')) as Error;
    const loop = stepLoop({
      clock,
      pacing: { pollMs: 10, lockRetryMs: 10, backoff: () => 100 },
      step: () => Promise.reject(fatal),
      onError: (e) => errors.push(e),
      release: () => Promise.resolve(),
    });
    await expect(loop.start()).rejects.toBe(fatal);
    expect(errors).toEqual([fatal]);
    expect(clock.slept).toEqual([]);
  });
});
