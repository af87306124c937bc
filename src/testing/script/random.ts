import type { JobCommandInput, JobCommandType } from '../../domain/commands.js';
import { tableKeys } from '../../domain/shared/table.js';
import { COMMAND_TYPES } from './cast.js';
import { omit, type Rng } from './rng.js';
import type { ScriptWriter } from './writer.js';

/*
 * Commands whose outcome is not known in advance: well-formed ones of any type from any actor,
 * and malformed ones (`INVALID_INPUT`, spec §4).
 */

/** A well-formed command of any type from any actor (the stranger too); its outcome is unknown. */
export function randomCommand(
  w: ScriptWriter,
  rng: Rng,
  types: readonly JobCommandType[] = COMMAND_TYPES,
): JobCommandInput {
  const actor = rng.pick([w.cast.clientId, w.cast.freelancerId, w.cast.strangerId]);
  const pendingId = w.state.terms.pending?.proposalId;
  const proposalId = (): string =>
    rng.pick([
      ...(pendingId === undefined ? [] : [pendingId, pendingId]),
      ...tableKeys(w.state.terms.proposalIds),
      'p-unknown',
    ]);
  const milestoneId = (): string => rng.pick(w.knownIds());
  const type = rng.pick(types);
  switch (type) {
    case 'AwardJob': {
      const { jobId, title, clientId, freelancerId, currency } = w.cast;
      return w.cmd('AwardJob', actor, {
        jobId,
        title,
        clientId,
        freelancerId,
        currency,
      });
    }
    case 'ProposeTerms':
      return w.proposeCommand(
        rng,
        actor === w.cast.clientId ? 'client' : 'freelancer',
        w.terms(rng, rng.chance(0.7)),
        rng.chance(0.8) ? w.freshProposalId() : proposalId(),
      );
    case 'AcceptTerms':
      return w.cmd('AcceptTerms', actor, { proposalId: proposalId() });
    case 'DeclineTerms':
      return w.cmd('DeclineTerms', actor, { proposalId: proposalId() });
    case 'WithdrawTerms':
      return w.cmd('WithdrawTerms', actor, { proposalId: proposalId() });
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
      return w.cmd('ReleaseFunds', actor, { milestoneId: milestoneId() });
    case 'RefundMilestone':
      return w.cmd('RefundMilestone', actor, { milestoneId: milestoneId() });
    case 'SubmitWork':
      return w.cmd('SubmitWork', actor, { milestoneId: milestoneId() });
    case 'RequestChanges':
      return w.cmd('RequestChanges', actor, { milestoneId: milestoneId() });
    case 'CloseJob':
      return w.cmd('CloseJob', actor, {});
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
