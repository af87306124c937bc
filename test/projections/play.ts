import {
  decide,
  fold,
  initialState,
  type JobCommandInput,
  type JobEvent,
  type JobState,
  type MilestoneInput,
} from '../../src/index.js';

/** Decides commands in order from the empty job: the state and every event. */
export function play(commands: readonly JobCommandInput[]): {
  state: JobState;
  events: JobEvent[];
} {
  let state = initialState();
  const events: JobEvent[] = [];
  for (const command of commands) {
    const decided = decide(command, state);
    state = fold(decided, state);
    events.push(...decided);
  }
  return { state, events };
}

const AT = '2014-11-03T09:00:00Z';

/** Commands that award a job in `currency` and make `milestones` its active terms. */
export function activeTerms(
  currency: string,
  milestones: MilestoneInput[],
  title = 'Job',
): JobCommandInput[] {
  return [
    {
      type: 'AwardJob',
      actor: 'c',
      at: AT,
      data: { jobId: 'j', title, clientId: 'c', freelancerId: 'f', currency },
    },
    { type: 'ProposeTerms', actor: 'c', at: AT, data: { proposalId: 'p1', milestones } },
    { type: 'AcceptTerms', actor: 'f', at: AT, data: { proposalId: 'p1' } },
  ];
}

export const fund = (
  milestoneId: string,
  fundingId: string,
  source = 'card:visa-4242',
  at = AT,
): JobCommandInput => ({
  type: 'FundMilestone',
  actor: 'c',
  at,
  data: { milestoneId, fundingId, source },
});
