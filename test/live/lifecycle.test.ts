import { describe, expect, it } from 'vitest';
import { lifecycle } from '../../src/live/loop.js';

/** A run that goes on until its signal aborts. */
function untilAborted(runs: { count: number }) {
  return (signal: AbortSignal): Promise<void> => {
    runs.count += 1;
    return new Promise((resolve) => {
      signal.addEventListener('abort', () => {
        resolve();
      });
    });
  };
}

describe('lifecycle: start and stop around a run', () => {
  it('a release that fails ends the run all the same: stop() rejects with its error, and start() runs again (the dead run was kept, and start() after it spun on microtasks for ever)', async () => {
    const runs = { count: 0 };
    let fail = true;
    const loop = lifecycle(untilAborted(runs), () =>
      fail ? Promise.reject(new Error('the pool refused the client back')) : Promise.resolve(),
    );
    const first = loop.start();
    first.catch(() => undefined);
    await expect(loop.stop()).rejects.toThrow('the pool refused the client back');
    await expect(first).rejects.toThrow('the pool refused the client back');
    // Checked before start() again: on the code before the fix it would never return.
    expect(loop.running).toBe(false);
    fail = false;
    const second = loop.start();
    expect(loop.running).toBe(true);
    expect(runs.count).toBe(2);
    await loop.stop();
    await second;
    expect(loop.running).toBe(false);
  });
});
