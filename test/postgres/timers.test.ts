import { beforeEach, describe, expect, it } from 'vitest';
import type { JobState } from '../../src/domain/state.js';
import { escrowOf } from '../../src/domain/escrow/state.js';
import { tableGet } from '../../src/domain/shared/table.js';
import { createCommandHandler } from '../../src/handler/command-handler.js';
import {
  createTimerRunner,
  type TimerRunner,
  type TimerRunnerOptions,
} from '../../src/postgres/timers.js';
import { deadlineKey, type TimerDeadline } from '../../src/postgres/timer-deadlines.js';
import { createFakeClock, type FakeClock } from '../live/fake-clock.js';
import { driveJobs, skipPostgres, stoppedAfterEach, useTestDatabase } from './database.js';

/*
 * The timer runner on a real PostgreSQL and a fake clock, in two copies, with the library's own
 * `deadlines` (part two, spec §11: `ExpireReview`, `ExpireDispute`) and no wiring. The jobs come
 * from examples/live/jobs.ts: job `n` ends by `n % 8` (0: a review left to run out, 1: released
 * by the client first, 5: a dispute nobody answers, 7: a dispute withdrawn, whose review then
 * runs out). The last test runs an app's own deadlines through the same runner.
 */

/** The stored events, as much of each as the tests read. */
type Events = { type: string; streamId: string; data: Record<string, unknown>; key?: string }[];

describe.skipIf(skipPostgres)('PostgreSQL timer runner (fake clock, two copies)', () => {
  const db = useTestDatabase('timers', { poolSize: 12 });
  let clock: FakeClock;
  let errors: unknown[];
  const opened = stoppedAfterEach<TimerRunner>();
  beforeEach(async () => {
    errors = [];
    clock = createFakeClock(Date.parse('2026-01-06T00:00:00Z'));
    await runner().migrate();
    await db.truncate('timer_deadlines', 'consumer_checkpoints');
  });

  function runner(options: Partial<TimerRunnerOptions> = {}): TimerRunner {
    const r = createTimerRunner({
      store: db.store(),
      pool: db.pool,
      schema: db.schema,
      handler: createCommandHandler({ store: db.store() }),
      clock,
      batchSize: 10,
      lockRetryMs: 20,
      onError: (error) => errors.push(error),
      ...options,
    });
    opened.push(r);
    return r;
  }

  const drive = (...jobs: number[]): Promise<void> => driveJobs(db, jobs);

  async function events(): Promise<Events> {
    const out: Events = [];
    for await (const e of db.store().readAll()) {
      out.push({
        type: e.type,
        streamId: e.metadata.streamId,
        data: e.data as Record<string, unknown>,
        ...(e.metadata.idempotencyKey === undefined ? {} : { key: e.metadata.idempotencyKey }),
      });
    }
    return out;
  }

  const count = (all: Events, type: string, streamId?: string): number =>
    all.filter((e) => e.type === type && (streamId === undefined || e.streamId === streamId))
      .length;

  /** Both runners step (one keeps the table), then the leader catches up. */
  async function caughtUp(a: TimerRunner, b: TimerRunner): Promise<void> {
    await Promise.all([a.step(), b.step()]);
    const leader = a.deadlinesConsumer.status().leader ? a : b;
    expect((leader === a ? b : a).deadlinesConsumer.status().leader).toBe(false);
    await leader.deadlinesConsumer.catchUp();
  }

  it('the idempotency key is made of the deadline alone', () => {
    const review: TimerDeadline = {
      kind: 'review',
      milestoneId: 'm1',
      dueAt: '2026-01-20T09:00:00Z',
      command: { type: 'ExpireReview', data: { milestoneId: 'm1' } },
    };
    expect(deadlineKey(review)).toBe('timer:review:milestone:m1:2026-01-20T09:00:00Z');
    expect(deadlineKey({ ...review, kind: 'dispute', disputeId: 'd1' })).toBe(
      'timer:dispute:dispute:d1:2026-01-20T09:00:00Z',
    );
  });

  it('with no deadlines given, it runs part two’s: the review left to run out is released once by two runners, at dueAt and not before', async () => {
    await drive(0, 1, 2);
    const a = runner();
    const b = runner();
    await caughtUp(a, b);
    // Only job0's review runs: job1 was released by its client, job2's work was never submitted.
    const pending = await a.pending();
    expect(pending).toEqual([
      {
        kind: 'review',
        milestoneId: 'm2',
        dueAt: '2026-01-12T09:08:00Z',
        command: { type: 'ExpireReview', data: { milestoneId: 'm2' } },
        jobId: 'job0',
      },
    ]);
    const due = Date.parse(pending[0]!.dueAt);
    clock.set(due - 1);
    expect(await a.fire()).toMatchObject({ fired: 0, replayed: 0 });
    expect(count(await events(), 'ReviewExpired')).toBe(0);
    // At dueAt both runners race on the row: one decides, the other gets its result back.
    clock.set(due);
    const [ra, rb] = await Promise.all([a.fire(), b.fire()]);
    expect(ra.fired + rb.fired).toBe(1);
    expect(ra.replayed + rb.replayed).toBe(1);
    // A third copy, restarted after a crash before the table caught up, replays too.
    expect(await runner().fire()).toEqual({
      fired: 0,
      replayed: 1,
      overtaken: 0,
      rejected: 0,
      failed: 0,
    });
    const all = await events();
    const expired = all.filter((e) => e.type === 'ReviewExpired');
    expect(expired).toEqual([
      {
        type: 'ReviewExpired',
        streamId: 'job-job0',
        data: {
          milestoneId: 'm2',
          by: 'platform',
          dueAt: '2026-01-12T09:08:00Z',
          at: '2026-01-12T09:08:00Z',
        },
        key: 'timer:review:milestone:m2:2026-01-12T09:08:00Z',
      },
    ]);
    expect(
      all.filter((e) => e.type === 'FundsReleased' && e.data['milestoneId'] === 'm2'),
    ).toHaveLength(2); // job0's by the timer, job1's by its client
    expect(errors).toEqual([]);
    await caughtUp(a, b);
    expect(await a.pending()).toEqual([]);
  });

  it('a dispute nobody answers is expired once by two runners, on the offer that stands', async () => {
    await drive(5, 4);
    const a = runner();
    const b = runner();
    await caughtUp(a, b);
    const pending = await a.pending();
    expect(pending.map((d) => [d.jobId, d.kind, d.command.type, d.dueAt])).toEqual([
      ['job5', 'dispute', 'ExpireDispute', '2026-01-08T09:09:00Z'],
    ]);
    clock.set(Date.parse('2026-01-08T09:09:00Z') + 60_000);
    const reports = await Promise.all([a.fire(), b.fire(), runner().fire()]);
    expect(reports.reduce((n, r) => n + r.fired, 0)).toBe(1);
    expect(reports.reduce((n, r) => n + r.replayed, 0)).toBe(2);
    // A runner does not send a deadline it has settled again, though its table still lists it.
    expect(await a.pending()).toHaveLength(1);
    expect(await a.fire()).toEqual({ fired: 0, replayed: 0, overtaken: 0, rejected: 0, failed: 0 });
    const all = await events();
    const settled = all.filter((e) => e.type === 'DisputeSettled');
    // job4's was agreed by the parties; job5's expired: the client's offer (a full refund) stands.
    expect(settled.map((e) => [e.streamId, e.data['outcome'], e.data['by']])).toEqual([
      ['job-job4', 'agreed', 'freelancer'],
      ['job-job5', 'expired', 'platform'],
    ]);
    expect(count(all, 'FundsRefunded', 'job-job5')).toBe(1);
    expect(errors).toEqual([]);
    // The settlement's events rewrite job5's deadlines: none is left.
    await caughtUp(a, b);
    expect(await a.pending()).toEqual([]);
  });

  it('a deadline a person beat is overtaken: the runner’s command is refused, not an error, and nothing acts twice', async () => {
    await drive(0);
    const a = runner();
    const b = runner();
    await caughtUp(a, b);
    const [row] = await a.pending();
    expect(row?.jobId).toBe('job0');
    // The client releases before the review ends; the runners' table has not seen it yet.
    const handler = createCommandHandler({ store: db.store() });
    await handler.handle('job0', {
      type: 'ReleaseFunds',
      actor: 'client-0',
      at: '2026-01-11T10:00:00Z',
      data: { milestoneId: 'm2' },
    });
    expect(await a.pending()).toHaveLength(1);
    clock.set(Date.parse(row!.dueAt) + 1000);
    const [ra, rb] = await Promise.all([a.fire(), b.fire()]);
    expect(ra.overtaken + rb.overtaken).toBe(2);
    expect(ra.fired + rb.fired + ra.rejected + rb.rejected + ra.failed + rb.failed).toBe(0);
    expect(errors).toEqual([]);
    // Refused once, not tried again until the job's events rewrite its deadlines.
    expect(await a.fire()).toEqual({ fired: 0, replayed: 0, overtaken: 0, rejected: 0, failed: 0 });
    const all = await events();
    expect(count(all, 'ReviewExpired')).toBe(0);
    expect(
      all.filter((e) => e.type === 'FundsReleased' && e.data['milestoneId'] === 'm2'),
    ).toHaveLength(1);
    await caughtUp(a, b);
    expect(await a.pending()).toEqual([]);
  });

  it('a withdrawn dispute’s review resumes where it paused, and the loops fire it on the fake clock', async () => {
    await drive(7);
    const a = runner();
    const b = runner();
    const loops = [a.start(), b.start()];
    await expect
      .poll(() => a.pending().then((p) => p.map((d) => d.dueAt)))
      .toEqual([
        // 8 review days from the withdrawal, less the minute run before the dispute paused it.
        '2026-01-13T09:09:00Z',
      ]);
    clock.set(Date.parse('2026-01-13T09:08:59Z'));
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(count(await events(), 'ReviewExpired')).toBe(0);
    clock.set(Date.parse('2026-01-13T09:09:00Z'));
    await expect.poll(async () => count(await events(), 'ReviewExpired')).toBe(1);
    // The loops poll on the fake clock: move it on until the consumer has seen the expiry.
    await expect
      .poll(async () => {
        clock.advance(100);
        return (await a.pending()).length;
      })
      .toBe(0);
    await Promise.all([a.stop(), b.stop()]);
    await Promise.all(loops);
    expect(count(await events(), 'ReviewExpired')).toBe(1);
    expect(errors).toEqual([]);
  });

  it('a loop whose firing step was full goes again at once, without waiting for its poll', async () => {
    await drive(0, 8, 16);
    const keeper = runner();
    await keeper.deadlinesConsumer.catchUp(); // holds the table's lock: the loop below stands by
    expect(await keeper.pending()).toHaveLength(3);
    clock.set(Date.parse('2026-01-20T00:00:00Z'));
    const firing = runner({ fireSize: 1 });
    const loop = firing.start();
    // The fake clock never moves: a loop that slept its poll after one fire would stop at one.
    await expect.poll(async () => count(await events(), 'ReviewExpired')).toBe(3);
    await firing.stop();
    await loop;
    expect(errors).toEqual([]);
  });

  it('runs an app’s own deadlines, and reports a command the job refuses for another reason', async () => {
    const DUE = '2026-01-20T09:00:00Z';
    /** An app's timer: the client's `ReleaseFunds` on a submitted, funded milestone at DUE. */
    const appDeadlines = (state: JobState): TimerDeadline[] =>
      (state.terms.active?.milestones ?? [])
        .filter(
          (m) =>
            tableGet(state.job.reviews, m.milestoneId) === 'submitted' &&
            escrowOf(state.escrow, m.milestoneId).held >= m.amount,
        )
        .map((m) => ({
          kind: 'review',
          milestoneId: m.milestoneId,
          dueAt: DUE,
          command: { type: 'ReleaseFunds', data: { milestoneId: m.milestoneId } },
        }));
    await drive(0, 8);
    const clientRuns = runner({
      deadlines: appDeadlines,
      actorOf: (state) => state.job.award?.clientId ?? 'platform',
    });
    await clientRuns.deadlinesConsumer.catchUp();
    expect((await clientRuns.pending()).map((d) => d.jobId)).toEqual(['job0', 'job8']);
    clock.set(Date.parse(DUE));
    expect(await clientRuns.fire()).toMatchObject({ fired: 2, rejected: 0 });
    expect(errors).toEqual([]);
    // The same timers issued as the platform: the job refuses (FORBIDDEN), which is reported.
    await drive(16);
    const platformRuns = runner({ deadlines: appDeadlines });
    await clientRuns.stop();
    await platformRuns.deadlinesConsumer.catchUp();
    expect(await platformRuns.fire()).toMatchObject({ fired: 0, overtaken: 0, rejected: 1 });
    expect(errors).toEqual([expect.objectContaining({ code: 'FORBIDDEN' })]);
  });
  it('a clock stepped back between the read of what is due and the command (an NTP correction) still fires: the command is at the instant the row was due (it was TOO_EARLY, counted overtaken, and never tried again)', async () => {
    await drive(0);
    const keeper = runner();
    await keeper.deadlinesConsumer.catchUp();
    const [due] = await keeper.pending();
    const dueMs = Date.parse(due!.dueAt);
    clock.set(dueMs);
    // Once the due rows are read, the clock steps back a second.
    const steppedBack = runner({
      pool: {
        connect: () => db.pool.connect(),
        query: async (text, values) => {
          const result = await db.pool.query(text, values);
          if (text.includes('due_at_ms <= $1')) clock.set(dueMs - 1000);
          return result;
        },
      },
    });
    expect(await steppedBack.fire()).toMatchObject({ fired: 1, overtaken: 0 });
    expect(count(await events(), 'ReviewExpired')).toBe(1);
    expect(errors).toEqual([]);
  });
});
