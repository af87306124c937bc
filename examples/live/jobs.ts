import type { JobCommandInput } from 'milestone-escrow';

/*
 * Small, varied jobs for the live example and the live tests (test/postgres/*): every one is awarded, gets terms of
 * two milestones, funds and releases the first; then by `n % 4`: the second is submitted and left
 * for review (a running review clock in part two), submitted and released, funded only, or the
 * job's terms are re-proposed and declined (a refund-free path with notifications both ways).
 */
export function jobCommands(jobId: string, n: number, day = '2026-01-05'): JobCommandInput[] {
  const client = `client-${String(n % 7)}`;
  const freelancer = `freelancer-${String(n % 5)}`;
  let minute = 0;
  const at = (): string => {
    minute += 1;
    return `${day}T09:${String(minute).padStart(2, '0')}:00Z`;
  };
  const commands: JobCommandInput[] = [
    {
      type: 'AwardJob',
      actor: client,
      at: at(),
      data: {
        jobId,
        title: `Job ${String(n)}`,
        clientId: client,
        freelancerId: freelancer,
        currency: 'USD',
      },
    },
    {
      type: 'ProposeTerms',
      actor: client,
      at: at(),
      data: {
        proposalId: 'p1',
        milestones: [
          { milestoneId: 'm1', title: 'Draft', dueDate: '2026-02-01', amount: 1000 + n },
          { milestoneId: 'm2', title: 'Final', dueDate: '2026-03-01', amount: 2000 + n },
        ],
      },
    },
    { type: 'AcceptTerms', actor: freelancer, at: at(), data: { proposalId: 'p1' } },
    {
      type: 'FundMilestone',
      actor: client,
      at: at(),
      data: { milestoneId: 'm1', fundingId: 'f1', source: 'card:1' },
    },
    { type: 'SubmitWork', actor: freelancer, at: at(), data: { milestoneId: 'm1' } },
    { type: 'ReleaseFunds', actor: client, at: at(), data: { milestoneId: 'm1' } },
  ];
  const fundM2: JobCommandInput = {
    type: 'FundMilestone',
    actor: client,
    at: at(),
    data: { milestoneId: 'm2', fundingId: 'f2', source: 'card:2' },
  };
  switch (n % 4) {
    case 0:
      commands.push(fundM2, {
        type: 'SubmitWork',
        actor: freelancer,
        at: at(),
        data: { milestoneId: 'm2' },
      });
      break;
    case 1:
      commands.push(
        fundM2,
        { type: 'SubmitWork', actor: freelancer, at: at(), data: { milestoneId: 'm2' } },
        { type: 'ReleaseFunds', actor: client, at: at(), data: { milestoneId: 'm2' } },
      );
      break;
    case 2:
      commands.push(fundM2);
      break;
    default:
      commands.push(
        {
          type: 'ProposeTerms',
          actor: freelancer,
          at: at(),
          data: {
            proposalId: 'p2',
            milestones: [
              { milestoneId: 'm1', title: 'Draft', dueDate: '2026-02-01', amount: 1000 + n },
              { milestoneId: 'm2', title: 'Final', dueDate: '2026-03-01', amount: 2500 + n },
            ],
          },
        },
        { type: 'DeclineTerms', actor: client, at: at(), data: { proposalId: 'p2' } },
      );
  }
  return commands;
}
