import { describe, expect, it } from 'vitest';
import { createInMemoryEventStore, isDomainError } from '../../src/index.js';
import { createPostgresConsumer } from '../../src/postgres/index.js';

/*
 * Session 14, item 2: the library's own consumers are named `timers:deadlines`,
 * `notifications:outbox` and `read-model:<table>:g<n>`. An app's consumer of one of these names
 * shared their checkpoint row (and lock): its batches moved the timer runner's checkpoint past
 * deadlines it never tracked. Names in that namespace are refused when the consumer is made (no
 * database needed: the options are checked before anything is asked of the pool).
 */

const store = createInMemoryEventStore();
const pool = {
  connect: () => Promise.reject(new Error('not used')),
  query: () => Promise.reject(new Error('not used')),
};
const handle = (): Promise<void> => Promise.resolve();

function refusal(name: string): unknown {
  try {
    createPostgresConsumer({ name, store, pool, handle });
    return 'accepted';
  } catch (error) {
    return isDomainError(error)
      ? { code: error.code, error: error.message, ...error.details }
      : error;
  }
}

describe("an app consumer named in the library's namespace", () => {
  it.each([
    'timers:deadlines',
    'notifications:outbox',
    'read-model:job_summaries:g1',
    'read-model:job_summaries:g2',
    'timers:',
    'notifications:email',
  ])('%s is INVALID_INPUT at name, naming the reserved prefixes', (name) => {
    expect(refusal(name)).toEqual({
      code: 'INVALID_INPUT',
      path: 'name',
      error: expect.stringMatching(
        /^name ".+" is reserved: names beginning with "timers:", "notifications:", "read-model:" are the library's own consumers'/,
      ) as unknown,
    });
  });

  it.each(['timers', 'Timers:deadlines', 'app:timers:deadlines', 'read-model', 'audit-log'])(
    '%s is an app name: accepted',
    (name) => {
      expect(refusal(name)).toBe('accepted');
    },
  );
});
