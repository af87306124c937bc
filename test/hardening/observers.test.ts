import { describe, expect, it, vi } from 'vitest';
import { stepLoop } from '../../src/live/loop.js';
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
