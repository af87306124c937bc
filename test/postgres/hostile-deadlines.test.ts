import { describe, expect, it } from 'vitest';
import type { ConsumerStep } from '../../src/postgres/consumer.js';
import { deadlineKey, type TimerDeadline } from '../../src/postgres/timer-deadlines.js';
import type { TimerRunnerOptions } from '../../src/postgres/timers.js';
import { hostileSetup } from './hostile-setup.js';
import { skipPostgres } from './database.js';

/* Hostile input (hostile-setup.ts says why): what an app's deadlines, actorOf and jobIdOf give. */

describe.skipIf(skipPostgres)('PostgreSQL live parts, used with hostile input', () => {
  const live = hostileSetup('hostile_deadlines');

  describe("what an app's deadlines, actorOf and jobIdOf return", () => {
    const DUE = '2026-01-20T09:00:00Z';
    const deadline = {
      kind: 'review',
      milestoneId: 'm2',
      dueAt: DUE,
      command: { type: 'ExpireReview', data: { milestoneId: 'm2' } },
    } as const satisfies TimerDeadline;

    /** The deadlines consumer's first step, with the app's functions in `overrides`. */
    async function track(overrides: Partial<TimerRunnerOptions>): Promise<ConsumerStep> {
      await live.drive();
      return live.timers(overrides).deadlinesConsumer.step();
    }

    it.each([
      ['not a list (a TypeError: .map is not a function)', () => 5, 'deadlines'],
      [
        'a dueAt that is no instant (PostgreSQL: bigint "NaN")',
        () => [{ ...deadline, dueAt: 'soon' }],
        'deadlines',
      ],
      [
        "a dueAt without a zone (Date.parse read it in the machine's time zone)",
        () => [{ ...deadline, dueAt: '2026-01-20T09:00:00' }],
        'deadlines',
      ],
      [
        'a BigInt in the command (a TypeError from JSON)',
        () => [{ ...deadline, command: { type: 'X', data: { n: 1n } } }],
        'deadlines',
      ],
      [
        'U+0000 in an id (PostgreSQL: invalid byte sequence)',
        () => [{ ...deadline, milestoneId: 'm\u00002' }],
        'deadlines',
      ],
      ['an id that is a number', () => [{ ...deadline, milestoneId: 2 }], 'deadline'],
      [
        'a Symbol for a kind (a TypeError writing its key)',
        () => [{ ...deadline, kind: Symbol('review') }],
        'deadline',
      ],
    ] as [string, () => unknown, string][])(
      'deadlines(state) returning %s fails the batch with INVALID_INPUT',
      async (_, deadlines, path) => {
        const step = await track({ deadlines: deadlines as never });
        expect(step).toMatchObject({
          kind: 'failed',
          error: { code: 'INVALID_INPUT', details: { path } },
        });
      },
    );

    it.each([
      ['actorOf', { actorOf: () => 'platform\u0000' }],
      ['actorOf', { actorOf: () => ({ id: 'platform' }) }],
      ['jobIdOf', { jobIdOf: () => 7 }],
    ] as [string, Record<string, () => unknown>][])(
      '%s returning something that is not well-formed text fails the batch with INVALID_INPUT (a driver error, or a command no job takes)',
      async (path, overrides) => {
        const step = await track({
          deadlines: () => [deadline],
          ...overrides,
        });
        expect(step).toMatchObject({
          kind: 'failed',
          error: { code: 'INVALID_INPUT', details: { path } },
        });
      },
    );

    it('actorOf and jobIdOf are asked only for a job that has deadlines to write (a job without any failed the batch, and the table stopped for every job)', async () => {
      const asked: string[] = [];
      const step = await track({
        deadlines: () => [],
        actorOf: () => {
          asked.push('actorOf');
          return undefined as never;
        },
        jobIdOf: () => {
          asked.push('jobIdOf');
          return undefined as never;
        },
      });
      expect(step).toMatchObject({ kind: 'handled' });
      expect(asked).toEqual([]);
      const { rows } = await live.db.pool.query(
        `SELECT * FROM "${live.db.schema}".timer_deadlines`,
      );
      expect(rows).toEqual([]);
    });

    it('a deadline past the year 9999 (five digits of year, as the domain writes it) is written at its instant: Date.parse read it as NaN and failed the batch, which stopped the table for every job', async () => {
      const far = '10000-01-13T00:00:00Z';
      const step = await track({ deadlines: () => [{ ...deadline, dueAt: far }] });
      expect(step).toMatchObject({ kind: 'handled' });
      const { rows } = await live.db.pool.query<{ due_at_ms: string }>(
        `SELECT due_at_ms FROM "${live.db.schema}".timer_deadlines`,
      );
      expect(rows.map((r) => Number(r.due_at_ms))).toEqual([Date.UTC(10000, 0, 13)]);
    });

    it('deadlineKey of a deadline whose fields are not text is INVALID_INPUT (a Symbol was a TypeError, a number a key)', () => {
      for (const bad of [
        { ...deadline, dueAt: 5 },
        { ...deadline, disputeId: null },
        { ...deadline, kind: Symbol('k') },
      ])
        expect(() => deadlineKey(bad as never)).toThrow(
          expect.objectContaining({ code: 'INVALID_INPUT', details: { path: 'deadline' } }),
        );
      expect(deadlineKey(deadline)).toBe(`timer:review:milestone:m2:${DUE}`);
    });
  });
});
