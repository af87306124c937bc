/*
 * Spec §7's order of checks, for the checks `decide` makes past the schema: a command bad in two
 * ways is answered with the error the spec ranks first. Each case is the same command twice,
 * once bad only in the way ranked later (so both faults are real) and once bad in both.
 */
import { describe, expect, it } from 'vitest';
import {
  decide,
  fold,
  verifyHistory,
  type ErrorCode,
  type JobCommandInput,
  type JobEvent,
  type Milestone,
} from '../../src/index.js';
import {
  AT,
  CLIENT,
  FREELANCER,
  LOGO,
  LOGO_MILESTONES,
  STRANGER,
  activeLogo,
  awardedLogo,
  caught,
  cmd,
  ev,
  play,
} from './helpers.js';

const HUGE = Number.MAX_SAFE_INTEGER;
// Two milestones whose total passes Number.MAX_SAFE_INTEGER: the proposal's data alone is bad.
const OVERFLOWING: readonly Milestone[] = [
  { milestoneId: 'big1', title: 'Big', description: '', dueDate: '2014-12-01', amount: HUGE },
  { milestoneId: 'big2', title: 'Bigger', description: '', dueDate: '2014-12-02', amount: HUGE },
];

/** The logo job awarded with a cap of one milestone per proposal. */
const cappedLogo = (): JobEvent[] =>
  play([], { ...cmd.award(), data: { ...LOGO, maxMilestones: 1 } } as JobCommandInput);
const closedLogo = (): JobEvent[] => play(awardedLogo(), cmd.close());

function award(data: Record<string, unknown>, actor = CLIENT): JobCommandInput {
  return { type: 'AwardJob', actor, at: AT, data: { ...LOGO, ...data } };
}

function openDispute(at: string): JobCommandInput {
  const data = { disputeId: 'd1', milestoneId: 'nowhere', refund: 0 };
  return { type: 'OpenDispute', actor: CLIENT, at, data };
}

interface Case {
  readonly name: string;
  readonly history: () => JobEvent[];
  /** The command bad only in the way ranked later, and the same command bad in both ways. */
  readonly later: JobCommandInput;
  readonly both: JobCommandInput;
  readonly laterCode: ErrorCode;
  readonly firstCode: ErrorCode;
  readonly firstPath?: string;
}

const SAME_PARTIES = { freelancerId: CLIENT };
const PLATFORM_IS_CLIENT = { platformId: CLIENT };

const CASES: readonly Case[] = [
  // AwardJob: its three distinct parties are the schema's (spec §1, §7), before everything else.
  {
    name: 'AwardJob naming one party twice, on an awarded job',
    history: awardedLogo,
    later: award({}),
    both: award(SAME_PARTIES),
    laterCode: 'ALREADY_AWARDED',
    firstCode: 'INVALID_INPUT',
    firstPath: 'data.freelancerId',
  },
  {
    name: 'AwardJob naming one party twice, on a closed job',
    history: closedLogo,
    later: award({}),
    both: award(SAME_PARTIES),
    laterCode: 'JOB_CLOSED',
    firstCode: 'INVALID_INPUT',
    firstPath: 'data.freelancerId',
  },
  {
    name: 'AwardJob naming one party twice, by a stranger',
    history: () => [],
    later: award({}, STRANGER),
    both: award(SAME_PARTIES, STRANGER),
    laterCode: 'NOT_A_PARTY',
    firstCode: 'INVALID_INPUT',
    firstPath: 'data.freelancerId',
  },
  {
    name: 'AwardJob naming the client as the platform, by the freelancer',
    history: () => [],
    later: award({}, FREELANCER),
    both: award(PLATFORM_IS_CLIENT, FREELANCER),
    laterCode: 'FORBIDDEN',
    firstCode: 'INVALID_INPUT',
    firstPath: 'data.platformId',
  },
  {
    name: 'AwardJob naming the client as the platform, on an awarded job',
    history: awardedLogo,
    later: award({}),
    both: award(PLATFORM_IS_CLIENT),
    laterCode: 'ALREADY_AWARDED',
    firstCode: 'INVALID_INPUT',
    firstPath: 'data.platformId',
  },
  // ProposeTerms: a total past the largest exact amount is the proposal's data alone (spec §1).
  {
    name: 'ProposeTerms whose total overflows, on a closed job',
    history: closedLogo,
    later: cmd.propose('client', 'p9', LOGO_MILESTONES),
    both: cmd.propose('client', 'p9', OVERFLOWING),
    laterCode: 'JOB_CLOSED',
    firstCode: 'INVALID_INPUT',
    firstPath: 'data.milestones',
  },
  {
    name: 'ProposeTerms whose total overflows, before the award',
    history: () => [],
    later: cmd.propose('client', 'p1', LOGO_MILESTONES),
    both: cmd.propose('client', 'p1', OVERFLOWING),
    laterCode: 'NOT_AWARDED',
    firstCode: 'INVALID_INPUT',
    firstPath: 'data.milestones',
  },
  {
    name: 'ProposeTerms whose total overflows, by a stranger',
    history: awardedLogo,
    later: cmd.propose(STRANGER, 'p1', LOGO_MILESTONES),
    both: cmd.propose(STRANGER, 'p1', OVERFLOWING),
    laterCode: 'NOT_A_PARTY',
    firstCode: 'INVALID_INPUT',
    firstPath: 'data.milestones',
  },
  {
    name: 'ProposeTerms whose total overflows, the freelancer opening',
    history: awardedLogo,
    later: cmd.propose('freelancer', 'p1', LOGO_MILESTONES),
    both: cmd.propose('freelancer', 'p1', OVERFLOWING),
    laterCode: 'FORBIDDEN',
    firstCode: 'INVALID_INPUT',
    firstPath: 'data.milestones',
  },
  {
    name: 'ProposeTerms whose total overflows, under a used proposal id',
    history: activeLogo,
    later: cmd.propose('client', 'p1', LOGO_MILESTONES),
    both: cmd.propose('client', 'p1', OVERFLOWING),
    laterCode: 'DUPLICATE_ID',
    firstCode: 'INVALID_INPUT',
    firstPath: 'data.milestones',
  },
  // The award's cap needs the award: first once the actor's role is known, as a deadline past
  // 9999 (docs/decisions.md, "Order of checks").
  {
    name: 'ProposeTerms over the cap, the freelancer opening',
    history: cappedLogo,
    later: cmd.propose('freelancer', 'p1', LOGO_MILESTONES.slice(0, 1)),
    both: cmd.propose('freelancer', 'p1', LOGO_MILESTONES),
    laterCode: 'FORBIDDEN',
    firstCode: 'INVALID_INPUT',
    firstPath: 'data.milestones',
  },
  {
    name: 'ProposeTerms over the cap, under a used proposal id',
    history: () => play(cappedLogo(), cmd.propose('client', 'p1', LOGO_MILESTONES.slice(0, 1))),
    later: cmd.propose('freelancer', 'p1', LOGO_MILESTONES.slice(0, 1)),
    both: cmd.propose('freelancer', 'p1', LOGO_MILESTONES),
    laterCode: 'DUPLICATE_ID',
    firstCode: 'INVALID_INPUT',
    firstPath: 'data.milestones',
  },
  {
    name: 'ProposeTerms over the cap, by a stranger (who the actor is comes first)',
    history: cappedLogo,
    later: cmd.propose('client', 'p1', LOGO_MILESTONES),
    both: cmd.propose(STRANGER, 'p1', LOGO_MILESTONES),
    laterCode: 'INVALID_INPUT',
    firstCode: 'NOT_A_PARTY',
  },
  {
    name: 'OpenDispute whose deadline passes 9999, on an unknown milestone',
    history: () => play([], { ...cmd.award(), at: '9999-12-20T00:00:00Z' }),
    later: openDispute('9999-12-20T00:00:00Z'),
    both: openDispute('9999-12-30T00:00:00Z'),
    laterCode: 'UNKNOWN_MILESTONE',
    firstCode: 'INVALID_INPUT',
    firstPath: 'at',
  },
];

describe('spec §7: a command bad in two ways reports the error ranked first', () => {
  it.each(CASES)('$name', (c) => {
    const state = fold(c.history());
    expect(caught(() => decide(c.later, state)).code).toBe(c.laterCode);
    const error = caught(() => decide(c.both, state));
    expect(error.code).toBe(c.firstCode);
    if (c.firstPath !== undefined) expect(error.details.path).toBe(c.firstPath);
  });

  it('the history checker names the same check for a stored award and proposal', () => {
    const awarded = ev.awarded(LOGO, AT);
    const twice = { ...awarded, data: { ...awarded.data, freelancerId: CLIENT } } as JobEvent;
    const award = caught(() => verifyHistory([...closedLogo(), twice]));
    expect(award.details).toMatchObject({ position: 3, rule: 'R1' });
    expect(award.message).toContain('INVALID_INPUT: The client and the freelancer');
    const proposal = caught(() =>
      verifyHistory([...closedLogo(), ev.proposed('client', 'p9', OVERFLOWING, AT)]),
    );
    expect(proposal.details).toMatchObject({ position: 3, rule: 'R1' });
    expect(proposal.message).toContain('INVALID_INPUT: command data.milestones');
    // A valid award after closing is still JOB_CLOSED: the order changed, not the rules.
    const again = caught(() => verifyHistory([...closedLogo(), awarded]));
    expect(again.message).toContain('JOB_CLOSED');
  });
});
