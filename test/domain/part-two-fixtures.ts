/*
 * The seed's Microsoft Access job (spec §6) under part two: the platform, a policy, instants
 * of the job, the commands by who sends them, and the job at its review and its dispute. Shared
 * by the part-two tests (part-two-*.test.ts).
 */
import { decide, fold, summarize, type JobCommandInput, type JobEvent } from '../../src/index.js';
import { addDays } from '../../src/domain/shared/time.js';
import { ACCESS, ACCESS_MILESTONES, CLIENT, FREELANCER, VISA, caught, play } from './helpers.js';

export const PLATFORM = 'elance';
export const DAY = 24 * 3600 * 1000;
/** Instants of the job: day `d` (0 = 2014-11-03) at `h` o'clock UTC. */
export const on = (d: number, h = 9): string =>
  addDays(`2014-11-03T${String(h).padStart(2, '0')}:00:00Z`, d);

export type Policy = { reviewDays?: number; disputeResponseDays?: number; serviceFeeBps?: number };
export const actor = (who: string): string =>
  who === 'client'
    ? CLIENT
    : who === 'freelancer'
      ? FREELANCER
      : who === 'platform'
        ? PLATFORM
        : who;
export const command = (type: string, who: string, at: string, data: object): JobCommandInput =>
  ({ type, actor: actor(who), at, data }) as JobCommandInput;

export const award = (policy?: Policy, at = on(0, 8)) =>
  command('AwardJob', 'client', at, {
    ...ACCESS,
    platformId: PLATFORM,
    ...(policy === undefined ? {} : { policy }),
  });
export const fund = (id: string, fundingId: string, at: string, source = VISA) =>
  command('FundMilestone', 'client', at, { milestoneId: id, fundingId, source });
export const submit = (id: string, at: string) =>
  command('SubmitWork', 'freelancer', at, { milestoneId: id });
export const expireReview = (id: string, at: string, who = 'platform') =>
  command('ExpireReview', who, at, { milestoneId: id });
export const open = (disputeId: string, id: string, refund: number, at: string, who = 'client') =>
  command('OpenDispute', who, at, { disputeId, milestoneId: id, refund });
export const offer = (disputeId: string, refund: number, at: string, who: string) =>
  command('ProposeSettlement', who, at, { disputeId, refund });
export const accept = (disputeId: string, refund: number, at: string, who: string) =>
  command('AcceptSettlement', who, at, { disputeId, refund });

/** The Access job under a policy, its terms active from day 0 (schema, impl, qa, final: $200 each). */
export function active(policy?: Policy): JobEvent[] {
  return play(
    [],
    award(policy),
    command('ProposeTerms', 'client', on(0, 9), {
      proposalId: 'p1',
      milestones: ACCESS_MILESTONES,
    }),
    command('AcceptTerms', 'freelancer', on(0, 10), { proposalId: 'p1' }),
  );
}
/** …with QA (qa) funded on day 1 and submitted on day 2: its review runs. */
export function qaSubmitted(policy?: Policy): JobEvent[] {
  return play(active(policy), fund('qa', 'f1', on(1)), submit('qa', on(2)));
}
/** …and disputed by the client on day 3, claiming everything back. */
export function qaDisputed(policy?: Policy): JobEvent[] {
  return play(qaSubmitted(policy), open('d1', 'qa', 20000, on(3)));
}
export const stateOf = (events: readonly JobEvent[]) => fold(events);
/** The code a command is refused with on the state a history folds to. */
export const refusedWith = (history: readonly JobEvent[], c: Parameters<typeof decide>[0]) =>
  caught(() => decide(c, stateOf(history))).code;
export const qa = (events: readonly JobEvent[]) =>
  summarize(stateOf(events)).milestones.find((m) => m.milestoneId === 'qa');
