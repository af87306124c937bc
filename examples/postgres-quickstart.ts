/*
 * Example: milestone escrow on PostgreSQL. One pool for the app; the event store and the snapshot
 * store share it; the command handler decides and appends with the expected version.
 *
 *   export DATABASE_URL="$(sudo bash .ci/postgres.sh)"   # or any PostgreSQL 13+
 *   npx tsx examples/postgres-quickstart.ts
 *
 * test/postgres/example.test.ts runs it.
 */
// #region quickstart
import pg from 'pg';
import {
  createCommandHandler,
  summarize,
  type JobCommandInput,
  type JobSummary,
} from 'milestone-escrow';
import { createPostgresEventStore, createPostgresSnapshotStore } from 'milestone-escrow/postgres';

export async function quickstart(
  connectionString: string,
  schema = 'milestone_escrow',
): Promise<JobSummary> {
  const pool = new pg.Pool({ connectionString, max: 10 });
  try {
    const events = createPostgresEventStore({ pool, schema });
    await events.migrate(); // creates the schema and tables if missing; safe on every start
    const snapshots = createPostgresSnapshotStore({ pool, schema });
    const handler = createCommandHandler({ store: events, snapshots, snapshotEvery: 100 });

    const jobId = 'logo-2014';
    // Every request carries an idempotency key: one sent again (a timeout, a dropped connection,
    // this example run twice) is answered as the first time it was handled, appending nothing.
    const send = (idempotencyKey: string, command: JobCommandInput) =>
      handler.handle(jobId, command, { idempotencyKey });
    await send('award-logo', {
      type: 'AwardJob',
      actor: 'clara',
      at: '2014-11-03T09:00:00Z',
      data: {
        jobId,
        title: 'Logo design',
        clientId: 'clara',
        freelancerId: 'felix',
        currency: 'USD',
      },
    });
    await send('propose-p1', {
      type: 'ProposeTerms',
      actor: 'clara',
      at: '2014-11-03T09:05:00Z',
      data: {
        proposalId: 'p1',
        milestones: [
          { milestoneId: 'm1', title: 'Start fee deposit', dueDate: '2014-11-03', amount: 7500 },
          { milestoneId: 'm2', title: '6 concepts', dueDate: '2014-11-10', amount: 7500 },
        ],
      },
    });
    // Prefund m1 while the proposal is pending (R7); acceptance makes it held (R8).
    await send('fund-1', {
      type: 'FundMilestone',
      actor: 'clara',
      at: '2014-11-03T09:06:00Z',
      data: { milestoneId: 'm1', fundingId: 'fund-1', source: 'card:visa-4242' },
    });
    await send('accept-p1', {
      type: 'AcceptTerms',
      actor: 'felix',
      at: '2014-11-03T10:00:00Z',
      data: { proposalId: 'p1' },
    });
    const released = await send('release-m1-request-42', {
      type: 'ReleaseFunds',
      actor: 'clara',
      at: '2014-11-04T09:00:00Z',
      data: { milestoneId: 'm1' },
    });
    // Run twice, `released.replayed` is true: the state is the one right after the release.
    return summarize(released.state);
  } finally {
    await pool.end();
  }
}
// #endregion quickstart

if (
  process.argv[1] !== undefined &&
  import.meta.url === new URL(`file://${process.argv[1]}`).href
) {
  const url = process.env['DATABASE_URL'];
  if (url === undefined) throw new Error('set DATABASE_URL');
  console.log(JSON.stringify(await quickstart(url), null, 2));
}
