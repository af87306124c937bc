import type { JobCommandInput } from 'milestone-escrow';

/** What happens to a job's second milestone, by `n % 8` (see {@link jobCommands}). */
export const JOB_ENDINGS = [
  'review-expires',
  'released-by-client',
  'funded-only',
  'terms-declined',
  'dispute-agreed',
  'dispute-expires',
  'dispute-ruled',
  'dispute-withdrawn-review-expires',
] as const;
/** One of {@link JOB_ENDINGS}. */
export type JobEnding = (typeof JOB_ENDINGS)[number];

/** The ending of job `n`. */
export function jobEnding(n: number): JobEnding {
  return JOB_ENDINGS[n % JOB_ENDINGS.length] ?? 'funded-only';
}

/** The policy of job `n`: reviews of 7–9 days, 3 days to answer a dispute, a 10 % fee. */
export function jobPolicy(n: number): {
  reviewDays: number;
  disputeResponseDays: number;
  serviceFeeBps: number;
} {
  return { reviewDays: 7 + (n % 3), disputeResponseDays: 3, serviceFeeBps: 1000 };
}

/*
 * Small, varied jobs for the live example, the live tests (test/postgres/*) and bench/live.ts.
 * Every one is awarded with a review policy (part two), gets terms of two milestones, funds and
 * releases the first; then the second, by `n % 8` ({@link JOB_ENDINGS}):
 *   0 submitted and left for review: the timer runner's `ExpireReview` releases it;
 *   1 submitted and released by the client before the review ends (a person beats the timer);
 *   2 funded only;
 *   3 the job's terms are re-proposed and declined (notifications both ways);
 *   4 submitted, disputed by the client, the freelancer accepts the offer (`agreed`);
 *   5 submitted, disputed by the client, nobody answers: the runner's `ExpireDispute` (`expired`);
 *   6 submitted, disputed, a counter-offer, escalated, and the platform rules (`ruled`): an
 *     escalated dispute never expires;
 *   7 submitted, disputed and withdrawn: the review clock resumes and runs out (`ExpireReview`).
 * The commands' `at`s are minutes of `day`; every deadline falls days later, on the simulated
 * clock's time.
 */
export function jobCommands(jobId: string, n: number, day = '2026-01-05'): JobCommandInput[] {
  const client = `client-${String(n % 7)}`;
  const freelancer = `freelancer-${String(n % 5)}`;
  let minute = 0;
  const at = (): string => {
    minute += 1;
    return `${day}T09:${String(minute).padStart(2, '0')}:00Z`;
  };
  const m2 = 2000 + n;
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
        policy: jobPolicy(n),
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
          { milestoneId: 'm2', title: 'Final', dueDate: '2026-03-01', amount: m2 },
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
  const ending = jobEnding(n);
  if (ending === 'terms-declined') {
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
    return commands;
  }
  commands.push({
    type: 'FundMilestone',
    actor: client,
    at: at(),
    data: { milestoneId: 'm2', fundingId: 'f2', source: 'card:2' },
  });
  if (ending === 'funded-only') return commands;
  commands.push({ type: 'SubmitWork', actor: freelancer, at: at(), data: { milestoneId: 'm2' } });
  return [...commands, ...secondMilestoneEnding(ending, { client, freelancer, m2, at })];
}

/** The commands after the second milestone's submission, by its ending. */
function secondMilestoneEnding(
  ending: JobEnding,
  job: {
    readonly client: string;
    readonly freelancer: string;
    readonly m2: number;
    readonly at: () => string;
  },
): JobCommandInput[] {
  const { client, freelancer, m2, at } = job;
  const half = Math.floor(m2 / 2);
  const open = (refund: number): JobCommandInput => ({
    type: 'OpenDispute',
    actor: client,
    at: at(),
    data: { disputeId: 'd1', milestoneId: 'm2', refund, reason: 'Not what we agreed' },
  });
  const d1 = { disputeId: 'd1' };
  switch (ending) {
    case 'released-by-client':
      return [{ type: 'ReleaseFunds', actor: client, at: at(), data: { milestoneId: 'm2' } }];
    case 'dispute-agreed':
      return [
        open(half),
        { type: 'AcceptSettlement', actor: freelancer, at: at(), data: { ...d1, refund: half } },
      ];
    case 'dispute-expires':
      return [open(m2)];
    case 'dispute-ruled':
      return [
        open(m2),
        { type: 'ProposeSettlement', actor: freelancer, at: at(), data: { ...d1, refund: half } },
        { type: 'EscalateDispute', actor: client, at: at(), data: d1 },
        { type: 'ResolveDispute', actor: 'platform', at: at(), data: { ...d1, refund: half + 1 } },
      ];
    case 'dispute-withdrawn-review-expires':
      return [open(half), { type: 'WithdrawDispute', actor: client, at: at(), data: d1 }];
    default:
      // 'review-expires' (left for the timer); the others end before the submission.
      return [];
  }
}
