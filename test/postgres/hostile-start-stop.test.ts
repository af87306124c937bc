import { describe, expect, it } from 'vitest';
import { createPostgresConsumer, type PostgresConsumer } from '../../src/postgres/consumer.js';
import { gate } from '../live/promises.js';
import { hostileSetup } from './hostile-setup.js';
import { skipPostgres } from './database.js';

/* Hostile use (hostile-setup.ts says why): the live parts' start, stop and step called together. */

describe.skipIf(skipPostgres)('PostgreSQL live parts, used with hostile input', () => {
  const live = hostileSetup('hostile_start_stop');

  describe('start, stop and step called together', () => {
    /** A consumer on the fake clock that counts the events it handles. */
    function counting(name: string): { consumer: PostgresConsumer; handled: () => number } {
      let handled = 0;
      const consumer = createPostgresConsumer({
        name,
        store: live.db.store(),
        pool: live.db.pool,
        schema: live.db.schema,
        clock: live.clock,
        lockRetryMs: 20,
        handle: ({ events }) => {
          handled += events.length;
          return Promise.resolve();
        },
      });
      live.opened.push(consumer);
      return { consumer, handled: () => handled };
    }

    /** True when another process could take `name`'s lock now. */
    async function lockFree(name: string): Promise<boolean> {
      const other = createPostgresConsumer({
        name,
        store: live.db.store(),
        pool: live.db.pool,
        schema: live.db.schema,
        handle: () => Promise.resolve(),
      });
      const { kind } = await other.step();
      await other.stop();
      return kind !== 'standby';
    }

    it('start() while a stop is under way starts again once it is done (it returned the stopping run: nothing ran after it)', async () => {
      await live.drive();
      const { consumer, handled } = counting('restart');
      const first = consumer.start();
      await expect.poll(handled).toBeGreaterThan(0);
      const stopped = consumer.stop();
      const second = consumer.start();
      await stopped;
      await first;
      // The second run works: it holds the lock and handles what comes next.
      await expect.poll(() => consumer.status().running && consumer.status().leader).toBe(true);
      const before = handled();
      await live.db
        .store()
        .appendToStream('other', [{ type: 'Note', data: {} }], { expectedVersion: 'any' });
      // The idle loop sleeps on the fake clock: move it until the run wakes and reads.
      await expect
        .poll(() => {
          live.clock.advance(100);
          return handled();
        })
        .toBeGreaterThan(before);
      await consumer.stop();
      await second;
      expect(consumer.status()).toMatchObject({ running: false, leader: false });
      expect(await lockFree('restart')).toBe(true);
    });

    it('stop(), start(), stop(): stopped at the end, the lock free', async () => {
      const { consumer } = counting('flip');
      const first = consumer.start();
      await expect.poll(() => consumer.status().leader).toBe(true);
      const stops = [consumer.stop(), consumer.start(), consumer.stop()];
      await Promise.all([...stops, first]);
      expect(consumer.status()).toMatchObject({ running: false, leader: false });
      expect(await lockFree('flip')).toBe(true);
    });

    it('a step() called while stop() waits for the step in hand: the lock is free once stop() resolves (the later step took it again)', async () => {
      await live.drive();
      const { consumer } = counting('step-stop');
      const steps = [consumer.step(), consumer.stop(), consumer.step()];
      await Promise.all(steps);
      expect(consumer.status().leader).toBe(false);
      expect(await lockFree('step-stop')).toBe(true);
    });

    it("the dispatcher's stop() waits for a deliver() asked directly: no mark comes after it (the app may end its pool then)", async () => {
      await live.drive();
      const held = gate();
      let sends = 0;
      const d = live.dispatcher({
        claimSize: 1,
        send: async () => {
          sends += 1;
          await held.promise;
        },
      });
      await d.outbox.catchUp();
      let delivered: unknown;
      const delivering = d.deliver().then((report) => (delivered = report));
      await expect.poll(() => sends).toBe(1);
      let stopped = false;
      const stopping = d.stop().then(() => (stopped = true));
      await new Promise((resolve) => setTimeout(resolve, 50));
      expect(stopped).toBe(false);
      held.open();
      await stopping;
      // Resolved before stop() did: its mark is written.
      expect(delivered).toMatchObject({ sent: 1 });
      await delivering;
    });

    it("the timer runner's stop() waits for a fire() asked directly", async () => {
      const held = gate();
      let calls = 0;
      const runner = live.timers({
        handler: {
          handle: async () => {
            calls += 1;
            await held.promise;
            return { replayed: true };
          },
        } as never,
        deadlines: () => [
          {
            kind: 'review',
            milestoneId: 'm1',
            dueAt: '2020-01-01T00:00:00Z',
            command: { type: 'ExpireReview', data: { milestoneId: 'm1' } },
          },
        ],
      });
      await live.drive();
      await runner.deadlinesConsumer.catchUp();
      let fired: unknown;
      const firing = runner.fire().then((report) => (fired = report));
      await expect.poll(() => calls).toBe(1);
      let stopped = false;
      const stopping = runner.stop().then(() => (stopped = true));
      await new Promise((resolve) => setTimeout(resolve, 50));
      expect(stopped).toBe(false);
      held.open();
      await stopping;
      expect(fired).toMatchObject({ replayed: 1 });
      await firing;
    });

    it('the dispatcher: start() during its stop runs again', async () => {
      await live.drive();
      const sent: string[] = [];
      const d = live.dispatcher({
        send: (n) => {
          sent.push(n.id);
          return Promise.resolve();
        },
      });
      const first = d.start();
      await expect.poll(() => sent.length).toBeGreaterThan(0);
      const stopped = d.stop();
      const second = d.start();
      await Promise.all([stopped, first]);
      await live.db.pool.query(
        `UPDATE "${live.db.schema}".notification_deliveries SET status = 'pending', next_attempt_at = 0`,
      );
      const count = sent.length;
      await expect
        .poll(() => {
          live.clock.advance(100);
          return sent.length;
        })
        .toBeGreaterThan(count);
      await d.stop();
      await second;
    });
  });
});
