/*
 * Example: the application layer in a dozen lines. A store, a handler, commands from both
 * parties, an idempotent retry, time travel and a snapshot. test/examples/app-quickstart.test.ts runs it.
 */
// #region quickstart
import {
  createCommandHandler,
  createInMemoryEventStore,
  createInMemorySnapshotStore,
  loadJob,
  summarize,
} from 'milestone-escrow';

export async function quickstart() {
  const store = createInMemoryEventStore(); // or PostgreSQL, or your own EventStore
  const snapshots = createInMemorySnapshotStore();
  const jobs = createCommandHandler({ store, snapshots, snapshotEvery: 100 });

  await jobs.handle('logo-2014', {
    type: 'AwardJob',
    actor: 'clara',
    at: '2014-11-03T09:00:00Z',
    data: {
      jobId: 'logo-2014',
      title: 'Logo design',
      clientId: 'clara',
      freelancerId: 'felix',
      currency: 'USD',
    },
  });
  await jobs.handle('logo-2014', {
    type: 'ProposeTerms',
    actor: 'clara',
    at: '2014-11-03T09:05:00Z',
    data: {
      proposalId: 'p1',
      milestones: [
        { milestoneId: 'm1', title: 'Start fee deposit', dueDate: '2014-11-03', amount: 7500 },
      ],
    },
  });
  await jobs.handle('logo-2014', {
    type: 'AcceptTerms',
    actor: 'felix',
    at: '2014-11-03T10:00:00Z',
    data: { proposalId: 'p1' },
  });

  const fund = {
    type: 'FundMilestone',
    actor: 'clara',
    at: '2014-11-03T10:30:00Z',
    data: { milestoneId: 'm1', fundingId: 'pay-1', source: 'card:visa-4242' },
  } as const;
  const first = await jobs.handle('logo-2014', fund, { idempotencyKey: 'checkout-123' });
  const retry = await jobs.handle('logo-2014', fund, { idempotencyKey: 'checkout-123' }); // a retried request
  console.assert(retry.replayed && retry.version === first.version); // nothing appended twice

  // Time travel: the job as it was before the funding.
  const before = await loadJob(store, jobs.streamIdOf('logo-2014'), {
    until: { at: '2014-11-03T10:00:00Z' },
  });
  return { now: summarize(first.state), before: summarize(before.state) };
}
// #endregion quickstart
