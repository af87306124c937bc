import { describe, expect, it } from 'vitest';
import { isDomainError } from '../../src/domain/shared/errors.js';
import type { CommandHandler } from '../../src/handler/command-handler.js';
import { createPostgresEventStore, createTimerRunner } from '../../src/postgres/index.js';
import { createFakeClock } from './fake-clock.js';
import { revoked } from '../hardening/hostile.js';

/*
 * A timer `handler.handle` that rejects with a revoked Proxy (or one whose getPrototypeOf trap
 * throws): `isDomainError` asked `instanceof` outside its guard, so the runner's `fire()` rejected
 * with a TypeError, unreported, and the deadlines due after that one never fired while it kept
 * failing so. It is a failed command like any other thrown value: counted, reported to
 * `onError`, the others fired. No database: the pool answers the due-rows query with two rows.
 */

const row = (key: string) => ({
  stream_id: `job-${key}`,
  job_id: key,
  deadline_key: `timer:review:milestone:m1:${key}`,
  deadline: {
    kind: 'review',
    milestoneId: 'm1',
    dueAt: '2026-01-12T09:08:00Z',
    command: { type: 'ExpireReview', data: { milestoneId: 'm1' } },
  },
  actor: 'platform',
  version: 3,
});
const pool = {
  connect: () => Promise.reject(new Error('not used')),
  query: () => Promise.resolve({ rows: [row('first'), row('second')] }),
};

const trapping = (): object =>
  new Proxy(
    {},
    {
      getPrototypeOf() {
        throw new Error('trap');
      },
    },
  );

describe.each([
  ['a revoked Proxy', revoked],
  ['a Proxy whose getPrototypeOf throws', trapping],
])('a timer handler.handle that rejects with %s', (_, thrown) => {
  it('is a failed command, reported; the next deadline still fires', async () => {
    const errors: unknown[] = [];
    const sent: string[] = [];
    const handler = {
      handle: async (jobId: string) => {
        sent.push(jobId);
        // What the app's handler throws is its own: here, no Error at all.
        // eslint-disable-next-line @typescript-eslint/only-throw-error
        if (jobId === 'first') throw thrown();
        return { replayed: false };
      },
    } as unknown as CommandHandler;
    const runner = createTimerRunner({
      store: createPostgresEventStore({ pool }),
      pool,
      handler,
      clock: createFakeClock(Date.parse('2026-01-13T00:00:00Z')),
      onError: (e) => errors.push(e),
    });
    expect(await runner.fire()).toEqual({
      fired: 1,
      replayed: 0,
      overtaken: 0,
      rejected: 0,
      failed: 1,
    });
    expect(sent).toEqual(['first', 'second']);
    expect(errors).toHaveLength(1);
    expect(isDomainError(errors[0])).toBe(false);
  });
});

it('isDomainError answers false for such a Proxy rather than throwing', () => {
  expect(isDomainError(revoked())).toBe(false);
  expect(isDomainError(trapping())).toBe(false);
});
