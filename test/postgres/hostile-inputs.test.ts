import { describe, expect, it } from 'vitest';
import type { Clock } from '../../src/live/clock.js';
import { createJobSummaryTable } from '../../src/postgres/summary-table.js';
import { hostileSetup } from './hostile-setup.js';
import { skipPostgres } from './database.js';

/*
 * Hostile input (hostile-setup.ts says why): a clock whose now() is not a whole number of
 * milliseconds, and the query methods' arguments.
 */

describe.skipIf(skipPostgres)('PostgreSQL live parts, used with hostile input', () => {
  const live = hostileSetup('hostile_inputs');

  describe('a clock whose now() is not a whole number of milliseconds', () => {
    /** The fake clock, its now() as `shift` makes it. */
    const shifted = (shift: (now: number) => unknown): Clock => ({
      now: () => shift(live.clock.now()) as number,
      sleep: (ms, signal) => live.clock.sleep(ms, signal),
    });

    it('a fraction (performance.timeOrigin + performance.now()) is rounded down: the dispatcher sends, the timers fire (every step failed: "invalid input syntax for type bigint")', async () => {
      await live.drive();
      const fractional = shifted((now) => now + 0.5);
      const sent: string[] = [];
      const d = live.dispatcher({
        clock: fractional,
        send: (n) => {
          sent.push(n.id);
          return Promise.resolve();
        },
      });
      await d.outbox.catchUp();
      const queued = (await d.counts()).pending;
      expect(await d.deliver()).toEqual({
        claimed: queued,
        sent: queued,
        retrying: 0,
        dead: 0,
        reclaimed: 0,
      });
      // Job 0's review is left to run out: a year on, its ExpireReview is due.
      live.clock.set(Date.parse('2027-01-01T00:00:00Z'));
      const timers = live.timers({ clock: fractional });
      await timers.deadlinesConsumer.catchUp();
      expect(await timers.fire()).toMatchObject({ fired: 1, failed: 0 });
      const at: unknown[] = [];
      for await (const e of live.db.store().readStream('job-job0'))
        if (e.type === 'ReviewExpired') at.push((e.data as { at: unknown }).at);
      expect(at).toEqual(['2027-01-01T00:00:00Z']);
    });

    for (const [label, now] of [
      ['NaN', Number.NaN],
      ['a string', '1767225600000'],
      ['-1', -1],
      ['past the year 9999', 2 ** 53],
    ] as const) {
      it(`${label} is INVALID_INPUT at clock.now() (a driver's error, or a RangeError writing the command's at)`, async () => {
        await live.drive();
        const bad = shifted(() => now);
        const d = live.dispatcher({ clock: bad, send: () => Promise.resolve() });
        await expect(d.deliver()).rejects.toMatchObject({
          code: 'INVALID_INPUT',
          details: { path: 'clock.now()' },
        });
        await expect(d.retry('n1')).rejects.toMatchObject({ code: 'INVALID_INPUT' });
        const timers = live.timers({ clock: bad });
        await expect(timers.fire()).rejects.toMatchObject({
          code: 'INVALID_INPUT',
          details: { path: 'clock.now()' },
        });
      });
    }
  });

  describe("the query methods' arguments", () => {
    /** The dispatcher, the timer runner and the summary table on the test schema. */
    async function readers() {
      const d = live.dispatcher({ send: () => Promise.resolve() });
      const timers = live.timers();
      const summaries = createJobSummaryTable({
        store: live.db.store(),
        pool: live.db.pool,
        schema: live.db.schema,
      });
      live.opened.push(summaries);
      await summaries.migrate();
      return { d, timers, summaries };
    }

    it.each([
      ['-1 (PostgreSQL: "LIMIT must not be negative")', { limit: -1 }],
      ['NaN (PostgreSQL: invalid input syntax for type bigint)', { limit: Number.NaN }],
      ['1.5', { limit: 1.5 }],
      ['a string', { limit: '10' }],
      ['a number instead of { limit }', 5],
      [
        'an options object whose limit getter throws',
        Object.defineProperty({}, 'limit', {
          get: () => {
            throw new Error('getter');
          },
        }),
      ],
    ])('a limit that is %s is INVALID_INPUT naming limit', async (_, query) => {
      const { d, timers, summaries } = await readers();
      // Not an object at all: the options are named (path '').
      const invalid = { code: 'INVALID_INPUT', details: { path: query === 5 ? '' : 'limit' } };
      await expect(d.deadLetters(query as never)).rejects.toMatchObject(invalid);
      await expect(timers.pending(query as never)).rejects.toMatchObject(invalid);
      await expect(summaries.byStatus('awarded', query as never)).rejects.toMatchObject(invalid);
    });

    it('options left out or null take the defaults (null was a TypeError); a limit of 0 reads nothing', async () => {
      await live.drive();
      const { d, timers, summaries } = await readers();
      await summaries.catchUp();
      await timers.deadlinesConsumer.catchUp();
      expect(await d.deadLetters(null as never)).toEqual([]);
      expect(await timers.pending(null as never)).toHaveLength(1);
      expect(await timers.pending({ limit: 0 })).toEqual([]);
      const status = (await summaries.get('job0'))?.status;
      expect(status).toBeDefined();
      expect(await summaries.byStatus(status!, null as never)).toHaveLength(1);
      expect(await summaries.rebuild(null as never)).toMatchObject({ generation: 2, retired: 1 });
    });

    it.each([
      ['U+0000 (PostgreSQL: invalid byte sequence)', 'job\u0000'],
      ['a lone surrogate (PostgreSQL reads it as U+FFFD)', 'job\ud800'],
      ['a number', 5],
      ['a Symbol', Symbol('job')],
    ])('an id or a status that is %s is INVALID_INPUT', async (_, value) => {
      const { d, summaries } = await readers();
      const invalid = (path: string) => ({ code: 'INVALID_INPUT', details: { path } });
      await expect(d.retry(value as never)).rejects.toMatchObject(invalid('id'));
      await expect(summaries.get(value as never)).rejects.toMatchObject(invalid('jobId'));
      await expect(summaries.byStatus(value as never)).rejects.toMatchObject(invalid('status'));
    });
  });
});
