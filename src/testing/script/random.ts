import type { JobCommandInput, JobCommandType } from '../../domain/commands.js';
import { platformIdOf } from '../../domain/job/policy.js';
import { tableKeys } from '../../domain/shared/table.js';
import { assertNever } from '../../domain/shared/never.js';
import { COMMAND_TYPES } from './cast.js';
import { omit, type Rng } from './rng.js';
import type { ScriptWriter } from './writer.js';

/*
 * Commands whose outcome is not known in advance: well-formed ones of any type from any actor,
 * and malformed ones (`INVALID_INPUT`, spec §4).
 */

/** The ids a random command names: mostly ones the job knows, sometimes unknown ones. */
interface Pools {
  readonly proposalId: () => string;
  readonly milestoneId: () => string;
  readonly disputeId: () => string;
  /** The platform's commands come from its timers as often as from the parties. */
  readonly timer: () => string;
}

/** A well-formed command of any type from any actor (the stranger too); its outcome is unknown. */
export function randomCommand(
  w: ScriptWriter,
  rng: Rng,
  types: readonly JobCommandType[] = COMMAND_TYPES,
): JobCommandInput {
  const actor = rng.pick([w.cast.clientId, w.cast.freelancerId, w.cast.strangerId]);
  const pendingId = w.state.terms.pending?.proposalId;
  const pools: Pools = {
    proposalId: () =>
      rng.pick([
        ...(pendingId === undefined ? [] : [pendingId, pendingId]),
        ...tableKeys(w.state.terms.proposalIds),
        'p-unknown',
      ]),
    milestoneId: () => rng.pick(w.knownIds()),
    disputeId: () => rng.pick([...tableKeys(w.state.dispute.disputes), 'd-unknown']),
    timer: () => (rng.chance(0.5) ? platformIdOf(w.state.job.award) : actor),
  };
  const type = rng.pick(types);
  return isPartTwo(type)
    ? partTwoCommand(w, rng, type, actor, pools)
    : partOneCommand(w, rng, type, actor, pools);
}

/** Part two's command types: the review clock and disputes (R15–R21). */
const PART_TWO_TYPES = [
  'ExpireReview',
  'OpenDispute',
  'ProposeSettlement',
  'AcceptSettlement',
  'EscalateDispute',
  'ExpireDispute',
  'ResolveDispute',
  'WithdrawDispute',
] as const satisfies readonly JobCommandType[];
type PartTwoType = (typeof PART_TWO_TYPES)[number];

function isPartTwo(type: JobCommandType): type is PartTwoType {
  return (PART_TWO_TYPES as readonly JobCommandType[]).includes(type);
}

/** A random command of part one's types (awards, terms, money, work). */
function partOneCommand(
  w: ScriptWriter,
  rng: Rng,
  type: Exclude<JobCommandType, PartTwoType>,
  actor: string,
  { proposalId, milestoneId }: Pools,
): JobCommandInput {
  switch (type) {
    case 'AwardJob': {
      const { jobId, title, clientId, freelancerId, currency } = w.cast;
      return w.cmd('AwardJob', actor, { jobId, title, clientId, freelancerId, currency });
    }
    case 'ProposeTerms':
      return w.proposeCommand(
        rng,
        actor === w.cast.clientId ? 'client' : 'freelancer',
        w.terms(rng, rng.chance(0.7)),
        rng.chance(0.8) ? w.freshProposalId() : proposalId(),
      );
    case 'AcceptTerms':
    case 'DeclineTerms':
    case 'WithdrawTerms':
      return w.cmd(type, actor, { proposalId: proposalId() });
    case 'FundMilestone': {
      const used = tableKeys(w.state.escrow.fundingIds);
      const fundingId = used.length > 0 && rng.chance(0.1) ? rng.pick(used) : w.freshFundingId();
      const command = w.fundCommand(
        rng,
        milestoneId(),
        fundingId,
        rng.chance(0.2) ? w.amountOf(rng) : undefined,
      );
      return { ...command, actor };
    }
    case 'ReleaseFunds':
    case 'RefundMilestone':
    case 'SubmitWork':
    case 'RequestChanges':
      return w.cmd(type, actor, { milestoneId: milestoneId() });
    case 'CloseJob':
      return w.cmd('CloseJob', actor, {});
    default:
      return assertNever(type, 'command type');
  }
}

/** A random command of part two's types (the review clock, disputes). */
function partTwoCommand(
  w: ScriptWriter,
  rng: Rng,
  type: PartTwoType,
  actor: string,
  { milestoneId, disputeId, timer }: Pools,
): JobCommandInput {
  switch (type) {
    case 'ExpireReview':
      return w.cmd('ExpireReview', timer(), { milestoneId: milestoneId() });
    case 'OpenDispute':
      return w.cmd('OpenDispute', actor, {
        // Never 'd-unknown': the attacks use it as the id of a dispute never opened.
        disputeId: rng.chance(0.8)
          ? w.freshDisputeId()
          : rng.pick([...tableKeys(w.state.dispute.disputes), w.freshDisputeId()]),
        milestoneId: milestoneId(),
        refund: w.amountOf(rng),
      });
    case 'ProposeSettlement':
    case 'AcceptSettlement':
      return w.cmd(type, actor, { disputeId: disputeId(), refund: w.amountOf(rng) });
    case 'EscalateDispute':
    case 'WithdrawDispute':
      return w.cmd(type, actor, { disputeId: disputeId() });
    case 'ExpireDispute':
      return w.cmd('ExpireDispute', timer(), { disputeId: disputeId() });
    case 'ResolveDispute':
      return w.cmd('ResolveDispute', timer(), { disputeId: disputeId(), refund: w.amountOf(rng) });
    default:
      return assertNever(type, 'command type');
  }
}

/** A command broken in one way: a malformed instant or actor, an unknown key or type, a missing field. */
export function malformed(w: ScriptWriter, rng: Rng): unknown {
  const base = w.randomCommand(rng) as unknown as Record<string, unknown>;
  const data = base['data'] as Record<string, unknown>;
  const broken: (() => unknown)[] = [
    () => ({ ...base, at: '2014-11-03 09:00' }),
    () => ({ ...base, at: '2014-02-30T09:00:00Z' }),
    () => ({ ...base, actor: rng.pick(['', ' client-1', '__proto__', 'a b']) }),
    () => ({ ...base, extra: true }),
    () => ({ ...base, data: { ...data, unexpected: 1 } }),
    () => ({ ...base, type: 'PayEverything' }),
    () => omit(base, 'at'),
    ...wholeCommandBreaks(w, rng),
  ];
  return rng.pick(broken)();
}

/** Whole commands with one field of the wrong type or out of range, in a fixed order. */
function wholeCommandBreaks(w: ScriptWriter, rng: Rng): (() => unknown)[] {
  return [
    () => ({
      type: 'ProposeTerms',
      actor: w.cast.clientId,
      at: w.at(),
      data: {
        proposalId: 'p-bad',
        milestones: rng.pick<unknown[]>([
          [],
          [
            {
              milestoneId: 'mx',
              title: 'T',
              dueDate: '2014-11-10',
              amount: rng.pick([0, -100, 12.5, '7500', Number.MAX_SAFE_INTEGER + 1]),
            },
          ],
          [
            {
              milestoneId: 'mx',
              title: 'T',
              dueDate: rng.pick(['2014-02-30', '2014-13-01', '10 Nov 2014']),
              amount: 7500,
            },
          ],
          [
            {
              milestoneId: 'mx',
              title: rng.pick(['', 'T'.repeat(201)]),
              dueDate: '2014-11-10',
              amount: 7500,
            },
          ],
          [
            {
              milestoneId: 'mx',
              title: 'T',
              description: 'd'.repeat(5001),
              dueDate: '2014-11-10',
              amount: 7500,
            },
          ],
        ]),
      },
    }),
    () => ({
      type: 'FundMilestone',
      actor: w.cast.clientId,
      at: w.at(),
      data: {
        milestoneId: 'm1',
        fundingId: 'f-bad',
        source: rng.pick(['', 'x'.repeat(201)]),
      },
    }),
    () => ({
      type: 'FundMilestone',
      actor: w.cast.clientId,
      at: w.at(),
      data: {
        milestoneId: 'm1',
        fundingId: 'f-bad',
        source: 'card',
        amount: rng.pick([0, 1.5, -1]),
      },
    }),
    () => awardInBadCurrency(w, rng),
  ];
}

/** An award whose currency is not an ISO 4217 code. */
function awardInBadCurrency(w: ScriptWriter, rng: Rng): unknown {
  return {
    type: 'AwardJob',
    actor: w.cast.clientId,
    at: w.at(),
    data: {
      jobId: 'j',
      title: 'T',
      clientId: w.cast.clientId,
      freelancerId: 'f',
      currency: rng.pick(['usd', 'US', 'EURO']),
    },
  };
}
