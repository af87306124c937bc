import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { JobState } from '../../src/domain/state.js';
import { escrowOf } from '../../src/domain/escrow/state.js';
import { tableGet } from '../../src/domain/shared/table.js';
import { createCommandHandler } from '../../src/handler/command-handler.js';
import {
  createTimerRunner,
  deadlineKey,
  type TimerDeadline,
  type TimerRunner,
} from '../../src/postgres/timers.js';
import { createFakeClock, type FakeClock } from '../live/fake-clock.js';
import { jobCommands } from '../../examples/live/jobs.js';
import { openTestDatabase, skipPostgres, type TestDatabase } from './database.js';

/*
 * The timer runner on a real PostgreSQL and a fake clock, in two copies. The deadlines here come
 * from a stand-in for part two's `deadlines(state)` (same shape, spec §11): a submitted, fully
 * funded milestone falls due at a fixed instant and its command is the client's `ReleaseFunds`,
 * a v1 command, so the runner's mechanics are tested without part two's events.
 */

const DUE = '2026-01-20T09:00:00Z';

/** Stand-in for part two's `deadlines(state)`: one review deadline per submitted, funded milestone. */
function standInDeadlines(state: JobState): TimerDeadline[] {
  const out: TimerDeadline[] = [];
  for (const m of state.terms.active?.milestones ?? []) {
    const money = escrowOf(state.escrow, m.milestoneId);
    if (tableGet(state.job.reviews, m.milestoneId) !== 'submitted') continue;
    if (money.released > 0 || money.held < m.amount) continue;
    out.push({
      kind: 'review',
      milestoneId: m.milestoneId,
      dueAt: DUE,
      command: { type: 'ReleaseFunds', data: { milestoneId: m.milestoneId } },
    });
  }
  return out;
}

describe.skipIf(skipPostgres)('PostgreSQL timer runner (fake clock, two copies)', () => {
  let db: TestDatabase;
  let clock: FakeClock;
  const opened: TimerRunner[] = [];
  beforeAll(async () => {
    db = await openTestDatabase('timers', 12);
  });
  afterAll(async () => {
    await db.drop();
  });
  beforeEach(async () => {
    await db.truncate();
    clock = createFakeClock(Date.parse('2026-01-10T00:00:00Z'));
    await runner().migrate();
    await db.pool.query(
      `TRUNCATE "${db.schema}".timer_deadlines, "${db.schema}".consumer_checkpoints`,
    );
  });
  afterEach(async () => {
    await Promise.all(opened.splice(0).map((r) => r.stop()));
  });

  function runner(): TimerRunner {
    const r = createTimerRunner({
      store: db.store(),
      pool: db.pool,
      schema: db.schema,
      handler: createCommandHandler({ store: db.store() }),
      deadlines: standInDeadlines,
      // The stand-in's command is the client's; part two's are the platform's (the default).
      actorOf: (state) => state.job.award?.clientId ?? 'platform',
      clock,
      batchSize: 10,
      lockRetryMs: 20,
    });
    opened.push(r);
    return r;
  }

  async function drive(jobs: number): Promise<void> {
    const handler = createCommandHandler({ store: db.store() });
    for (let n = 0; n < jobs; n++) {
      for (const command of jobCommands(`job${String(n)}`, n)) {
        await handler.handle(`job${String(n)}`, command);
      }
    }
  }

  /** How many times each job's `m2` was released, from the events themselves. */
  async function releasesOfM2(): Promise<Map<string, number>> {
    const out = new Map<string, number>();
    for await (const e of db.store().readAll()) {
      const data = e.data as { milestoneId?: string };
      if (e.type === 'FundsReleased' && data.milestoneId === 'm2')
        out.set(e.metadata.streamId, (out.get(e.metadata.streamId) ?? 0) + 1);
    }
    return out;
  }

  it('the idempotency key is made of the deadline alone', () => {
    const review: TimerDeadline = {
      kind: 'review',
      milestoneId: 'm1',
      dueAt: DUE,
      command: { type: 'ExpireReview', data: { milestoneId: 'm1' } },
    };
    expect(deadlineKey(review)).toBe(`timer:review:milestone:m1:${DUE}`);
    expect(deadlineKey({ ...review, kind: 'dispute', disputeId: 'd1' })).toBe(
      `timer:dispute:dispute:d1:${DUE}`,
    );
  });

  it('two runners fire each due deadline once through the handler, at or after dueAt, never before', async () => {
    await drive(8);
    const a = runner();
    const b = runner();
    // Both try to keep the deadlines table; one holds the consumer's lock.
    await Promise.all([a.step(), b.step()]);
    const leader = a.deadlinesConsumer.status().leader ? a : b;
    expect((leader === a ? b : a).deadlinesConsumer.status().leader).toBe(false);
    await leader.deadlinesConsumer.catchUp();
    const pending = await a.pending();
    expect(pending.map((d) => d.jobId)).toEqual(['job0', 'job4']);
    // Before dueAt: nothing.
    clock.set(Date.parse(DUE) - 1);
    expect(await a.fire()).toEqual({ fired: 0, replayed: 0, rejected: 0, failed: 0 });
    expect(await releasesOfM2()).toEqual(
      new Map([
        ['job-job1', 1],
        ['job-job5', 1],
      ]),
    );
    // At dueAt both runners race on the same rows: one decides, the other gets its result back.
    clock.set(Date.parse(DUE));
    const [ra, rb] = await Promise.all([a.fire(), b.fire()]);
    expect(ra.fired + rb.fired).toBe(2);
    expect(ra.replayed + rb.replayed).toBe(2);
    expect(ra.rejected + rb.rejected + ra.failed + rb.failed).toBe(0);
    // A third copy started after a crash, before the table caught up, replays too.
    const restarted = runner();
    expect(await restarted.fire()).toEqual({ fired: 0, replayed: 2, rejected: 0, failed: 0 });
    const released = await releasesOfM2();
    expect(released.get('job-job0')).toBe(1);
    expect(released.get('job-job4')).toBe(1);
    // The consumer sees the releases: the deadlines are gone.
    await leader.deadlinesConsumer.catchUp();
    expect(await a.pending()).toEqual([]);
  });

  it('a runner loop on the fake clock fires when the clock reaches dueAt', async () => {
    await drive(4);
    const a = runner();
    const b = runner();
    const loops = [a.start(), b.start()];
    await expect.poll(() => a.pending().then((p) => p.length)).toBe(1);
    clock.set(Date.parse(DUE) - 1000);
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect((await releasesOfM2()).get('job-job0')).toBeUndefined();
    clock.set(Date.parse(DUE) + 5000);
    await expect.poll(async () => (await releasesOfM2()).get('job-job0')).toBe(1);
    // The loops poll on the fake clock: move it on until the consumer has seen the release.
    await expect
      .poll(async () => {
        clock.advance(100);
        return (await a.pending()).length;
      })
      .toBe(0);
    await Promise.all([a.stop(), b.stop()]);
    await Promise.all(loops);
    expect((await releasesOfM2()).get('job-job0')).toBe(1);
  });
});
