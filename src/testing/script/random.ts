import type { JobCommandInput, JobCommandType } from '../../domain/commands.js';
import { platformIdOf } from '../../domain/job/policy.js';
import { tableKeys } from '../../domain/shared/table.js';
import { COMMAND_TYPES } from './cast.js';
import { omit, type Rng } from './rng.js';
import type { ScriptWriter } from './writer.js';

/*
 * Commands whose outcome is not known in advance: well-formed ones of any type from any actor,
 * and malformed ones (`INVALID_INPUT`, spec §4).
 */

/** What a random command is written from: the writer, the step's randomness, who sends it. */
interface Draw {
  readonly w: ScriptWriter;
  readonly rng: Rng;
  readonly actor: string;
  /** A proposal id: mostly the pending one or another the job knows, sometimes an unknown one. */
  readonly proposalId: () => string;
  readonly milestoneId: () => string;
  readonly disputeId: () => string;
  /** The platform's commands come from its timers as often as from the parties. */
  readonly timer: () => string;
}

/** How each command type is written at random (a type without an entry does not compile). */
const RANDOM: { readonly [T in JobCommandType]: (d: Draw) => JobCommandInput } = {
  AwardJob: ({ w, actor }) => {
    const { jobId, title, clientId, freelancerId, currency } = w.cast;
    return w.cmd('AwardJob', actor, { jobId, title, clientId, freelancerId, currency });
  },
  ProposeTerms: ({ w, rng, actor, proposalId }) =>
    w.proposeCommand(
      rng,
      actor === w.cast.clientId ? 'client' : 'freelancer',
      w.terms(rng, rng.chance(0.7)),
      rng.chance(0.8) ? w.freshProposalId() : proposalId(),
    ),
  AcceptTerms: ({ w, actor, proposalId }) =>
    w.cmd('AcceptTerms', actor, { proposalId: proposalId() }),
  DeclineTerms: ({ w, actor, proposalId }) =>
    w.cmd('DeclineTerms', actor, { proposalId: proposalId() }),
  WithdrawTerms: ({ w, actor, proposalId }) =>
    w.cmd('WithdrawTerms', actor, { proposalId: proposalId() }),
  FundMilestone: ({ w, rng, actor, milestoneId }) => {
    const used = tableKeys(w.state.escrow.fundingIds);
    const fundingId = used.length > 0 && rng.chance(0.1) ? rng.pick(used) : w.freshFundingId();
    const command = w.fundCommand(
      rng,
      milestoneId(),
      fundingId,
      rng.chance(0.2) ? w.amountOf(rng) : undefined,
    );
    return { ...command, actor };
  },
  ReleaseFunds: ({ w, actor, milestoneId }) =>
    w.cmd('ReleaseFunds', actor, { milestoneId: milestoneId() }),
  RefundMilestone: ({ w, actor, milestoneId }) =>
    w.cmd('RefundMilestone', actor, { milestoneId: milestoneId() }),
  SubmitWork: ({ w, actor, milestoneId }) =>
    w.cmd('SubmitWork', actor, { milestoneId: milestoneId() }),
  RequestChanges: ({ w, actor, milestoneId }) =>
    w.cmd('RequestChanges', actor, { milestoneId: milestoneId() }),
  CloseJob: ({ w, actor }) => w.cmd('CloseJob', actor, {}),
  ExpireReview: ({ w, milestoneId, timer }) =>
    w.cmd('ExpireReview', timer(), { milestoneId: milestoneId() }),
  OpenDispute: ({ w, rng, actor, milestoneId }) =>
    w.cmd('OpenDispute', actor, {
      // Never 'd-unknown': the attacks use it as the id of a dispute never opened.
      disputeId: rng.chance(0.8)
        ? w.freshDisputeId()
        : rng.pick([...tableKeys(w.state.dispute.disputes), w.freshDisputeId()]),
      milestoneId: milestoneId(),
      refund: w.amountOf(rng),
    }),
  ProposeSettlement: ({ w, rng, actor, disputeId }) =>
    w.cmd('ProposeSettlement', actor, { disputeId: disputeId(), refund: w.amountOf(rng) }),
  AcceptSettlement: ({ w, rng, actor, disputeId }) =>
    w.cmd('AcceptSettlement', actor, { disputeId: disputeId(), refund: w.amountOf(rng) }),
  EscalateDispute: ({ w, actor, disputeId }) =>
    w.cmd('EscalateDispute', actor, { disputeId: disputeId() }),
  ExpireDispute: ({ w, disputeId, timer }) =>
    w.cmd('ExpireDispute', timer(), { disputeId: disputeId() }),
  ResolveDispute: ({ w, rng, disputeId, timer }) =>
    w.cmd('ResolveDispute', timer(), { disputeId: disputeId(), refund: w.amountOf(rng) }),
  WithdrawDispute: ({ w, actor, disputeId }) =>
    w.cmd('WithdrawDispute', actor, { disputeId: disputeId() }),
};

/** A well-formed command of any type from any actor (the stranger too); its outcome is unknown. */
export function randomCommand(
  w: ScriptWriter,
  rng: Rng,
  types: readonly JobCommandType[] = COMMAND_TYPES,
): JobCommandInput {
  const actor = rng.pick([w.cast.clientId, w.cast.freelancerId, w.cast.strangerId]);
  const pendingId = w.state.terms.pending?.proposalId;
  const draw: Draw = {
    w,
    rng,
    actor,
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
  return RANDOM[rng.pick(types)](draw);
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
    () => badFunding(w, { source: rng.pick(['', 'x'.repeat(201)]) }),
    () => badFunding(w, { source: 'card', amount: rng.pick([0, 1.5, -1]) }),
    () => awardInBadCurrency(w, rng),
  ];
}

/** A funding of `m1` by the client with `data` (a bad source or amount) in it. */
function badFunding(w: ScriptWriter, data: Record<string, unknown>): unknown {
  return {
    type: 'FundMilestone',
    actor: w.cast.clientId,
    at: w.at(),
    data: { milestoneId: 'm1', fundingId: 'f-bad', ...data },
  };
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
