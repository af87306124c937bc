import { describe, expect, it } from 'vitest';
import { isDomainError } from '../../src/domain/shared/errors.js';
import type { CommandHandler } from '../../src/handler/command-handler.js';
import { createPostgresEventStore, createTimerRunner } from '../../src/postgres/index.js';
import { createFakeClock } from './fake-clock.js';

/*
 * What the timer runner's `handler.handle` resolves to must be the command handler's result (its
 * type, `Promise<HandleResult>`): anything else (undefined, a string, an object without a
 * boolean `replayed`) is a failed command, reported to `onError` as INVALID_INPUT at
 * `handler.handle` saying what to return, and tried again at the next step under the same key
 * (docs/live.md, "Timers"). It was a TypeError ("Cannot read properties of undefined") counted
 * as failed. No database: the pool answers the due-rows query with one row.
 */

const key = 'timer:review:milestone:m1:2026-01-12T09:08:00Z';
const row = {
  stream_id: 'job-logo',
  job_id: 'logo',
  deadline_key: key,
  deadline: {
    kind: 'review',
    milestoneId: 'm1',
    dueAt: '2026-01-12T09:08:00Z',
    command: { type: 'ExpireReview', data: { milestoneId: 'm1' } },
  },
  actor: 'platform',
  version: 3,
};
const pool = {
  connect: () => Promise.reject(new Error('not used')),
  query: () => Promise.resolve({ rows: [row] }),
};
const store = createPostgresEventStore({ pool });

function runnerAnswering(answer: () => unknown, errors: unknown[], calls: { n: number }) {
  const handler = {
    handle: () => {
      calls.n += 1;
      return Promise.resolve(answer());
    },
  } as unknown as CommandHandler;
  return createTimerRunner({
    store,
    pool,
    handler,
    clock: createFakeClock(Date.parse('2026-01-13T00:00:00Z')),
    onError: (e) => errors.push(e),
  });
}

describe("the timer runner's handler.handle must resolve to a HandleResult", () => {
  const NOT_RESULTS: readonly (readonly [string, unknown, string])[] = [
    ['undefined', undefined, 'undefined'],
    ['null', null, 'null'],
    ['a string', 'done', '"done"'],
    ['true', true, 'true'],
    ['an object without replayed', { ok: true }, 'object'],
    ['an object whose replayed is not a boolean', { replayed: 'no' }, 'object'],
    [
      'an object whose replayed getter throws',
      {
        get replayed(): boolean {
          throw new Error('revoked');
        },
      },
      'object',
    ],
  ];
  it.each(NOT_RESULTS)(
    '%s: a failed command, INVALID_INPUT saying what to return, tried again at the next fire',
    async (_, answer, described) => {
      const errors: unknown[] = [];
      const calls = { n: 0 };
      const runner = runnerAnswering(() => answer, errors, calls);
      expect(await runner.fire()).toEqual({
        fired: 0,
        replayed: 0,
        overtaken: 0,
        rejected: 0,
        failed: 1,
      });
      expect(errors).toHaveLength(1);
      const error = errors[0];
      expect(isDomainError(error)).toBe(true);
      expect(error).toMatchObject({
        code: 'INVALID_INPUT',
        details: { path: 'handler.handle', deadlineKey: key },
      });
      expect((error as Error).message).toBe(
        `timer ${key}: handler.handle must resolve to the command handler's result (an object with replayed: true or false, as createCommandHandler's handle returns), not ${described}; the command counts as failed and is tried again under the same idempotency key`,
      );
      // Not settled: the same deadline is sent again (under its key) at the next step.
      await runner.fire();
      expect(calls.n).toBe(2);
    },
  );

  it('a result with replayed counts as fired or replayed, and is settled (not sent again)', async () => {
    const errors: unknown[] = [];
    const calls = { n: 0 };
    const runner = runnerAnswering(() => ({ replayed: calls.n > 1 }), errors, calls);
    expect(await runner.fire()).toMatchObject({ fired: 1, replayed: 0, failed: 0 });
    expect(await runner.fire()).toMatchObject({ fired: 0, replayed: 0, failed: 0 });
    expect(calls.n).toBe(1);
    expect(errors).toEqual([]);
  });
});
