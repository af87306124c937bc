import type { JobEvent } from '../events.js';
import type { JobState } from '../state.js';
import { fail } from '../shared/errors.js';
import { feeOn, requireExactTotal, type Money } from '../shared/money.js';
import { openDisputeOn } from '../dispute/state.js';
import { policyOf } from '../job/policy.js';
import { tableHas } from '../shared/table.js';
import { assertNever } from '../shared/never.js';
import { requireRole } from '../shared/roles.js';
import type { Milestone, Role } from '../shared/schema.js';
import { milestoneIn } from '../terms/state.js';
import type { EscrowCommand, FundMilestone } from './commands.js';
import type { FundsReleased, MilestoneFunded } from './events.js';
import { refundAllHeld } from './refunds.js';
import { escrowOf, isReleased, isSettled } from './state.js';

/** The active milestone a command names (`UNKNOWN_MILESTONE` otherwise). */
export function activeMilestone(state: JobState, milestoneId: string): Milestone {
  const m = milestoneIn(state.terms.active, milestoneId);
  if (m === undefined)
    fail('UNKNOWN_MILESTONE', `Milestone ${milestoneId} is not in the active terms.`, {
      milestoneId,
    });
  return m;
}

/** Rejects a command on a released milestone (R10) or a settled one (R21): both are done. */
export function requireUnreleased(state: JobState, milestoneId: string): void {
  if (isReleased(state.escrow, milestoneId)) {
    fail('ALREADY_RELEASED', `Milestone ${milestoneId} was already released.`, {
      rule: 'R10',
      milestoneId,
    });
  }
  if (isSettled(state.escrow, milestoneId)) {
    fail(
      'MILESTONE_SETTLED',
      `Milestone ${milestoneId} was settled by its dispute and takes no more commands.`,
      { rule: 'R21', milestoneId },
    );
  }
}

/** Rejects a money move on a milestone with an open dispute: its money moves only through it (R17). */
export function requireNoDispute(state: JobState, milestoneId: string): void {
  const dispute = openDisputeOn(state.dispute, milestoneId);
  if (dispute !== undefined) {
    fail(
      'DISPUTE_OPEN',
      `Milestone ${milestoneId} has an open dispute (${dispute.disputeId}): its money moves only through the dispute.`,
      { rule: 'R17', milestoneId, disputeId: dispute.disputeId },
    );
  }
}

/** The release of `amount` of a milestone's held money, with the platform's fee on it (R22). */
export function releaseOf(
  state: JobState,
  milestoneId: string,
  amount: Money,
  at: string,
): FundsReleased {
  const fee = feeOn(amount, policyOf(state.job.award).serviceFeeBps);
  return { type: 'FundsReleased', data: { milestoneId, amount, fee, at } };
}

/**
 * The milestone a funding is for: one of the active terms, or (prefunding, R7) one of the
 * pending proposal that is not in the active terms.
 */
function fundable(state: JobState, milestoneId: string): Milestone {
  const active = milestoneIn(state.terms.active, milestoneId);
  if (active !== undefined) return active;
  const proposed = milestoneIn(state.terms.pending, milestoneId);
  if (proposed !== undefined) return proposed;
  return fail(
    'UNKNOWN_MILESTONE',
    `Milestone ${milestoneId} is neither in the active terms nor in the pending proposal.`,
    {
      rule: 'R7',
      milestoneId,
    },
  );
}

/**
 * What `FundMilestone` requires (R5, R6, R7, R10, R17, R21, the exact total): returns the amount
 * it funds, the milestone's remainder (`expected`, when given, must be it). Shared by
 * `decideEscrow` and the history checker.
 */
export function checkFundMilestone(
  state: JobState,
  role: Role,
  milestoneId: string,
  fundingId: string,
  expected: Money | undefined,
): Money {
  requireRole(role, 'client', 'fund milestones', 'R6');
  if (tableHas(state.escrow.fundingIds, fundingId)) {
    fail('DUPLICATE_ID', `Funding id ${fundingId} is already used in this job.`, {
      rule: 'R5',
      fundingId,
    });
  }
  const milestone = fundable(state, milestoneId);
  requireUnreleased(state, milestoneId);
  requireNoDispute(state, milestoneId);
  const money = escrowOf(state.escrow, milestoneId);
  const remainder = milestone.amount - money.held;
  if (remainder <= 0) {
    fail(
      'NOTHING_TO_FUND',
      `Milestone ${milestoneId} already holds its whole amount (${String(milestone.amount)}).`,
      {
        rule: 'R6',
        milestoneId,
      },
    );
  }
  if (expected !== undefined && expected !== remainder) {
    fail(
      'AMOUNT_MISMATCH',
      `Milestone ${milestoneId} needs ${String(remainder)} to be funded, not ${String(expected)}.`,
      {
        rule: 'R6',
        milestoneId,
        expected,
        remainder,
      },
    );
  }
  requireExactTotal(state.escrow.totals.funded, remainder);
  return remainder;
}

function fund(command: FundMilestone, state: JobState, role: Role): JobEvent[] {
  const { milestoneId, fundingId, source, comment, amount: expected } = command.data;
  const amount = checkFundMilestone(state, role, milestoneId, fundingId, expected);
  const data: MilestoneFunded['data'] = { milestoneId, fundingId, amount, source, at: command.at };
  return [{ type: 'MilestoneFunded', data: comment === undefined ? data : { ...data, comment } }];
}

/** What `ReleaseFunds` requires (R10, R17, R21): returns the amount it releases, all held. */
export function checkReleaseFunds(state: JobState, role: Role, milestoneId: string): Money {
  requireRole(role, 'client', 'release funds', 'R10');
  const milestone = activeMilestone(state, milestoneId);
  requireUnreleased(state, milestoneId);
  requireNoDispute(state, milestoneId);
  const held = escrowOf(state.escrow, milestoneId).held;
  if (held !== milestone.amount) {
    fail(
      'NOT_FULLY_FUNDED',
      `Milestone ${milestoneId} holds ${String(held)} of ${String(milestone.amount)}: a release pays the whole milestone.`,
      {
        rule: 'R10',
        milestoneId,
        held,
        amount: milestone.amount,
      },
    );
  }
  return held;
}

/** What `RefundMilestone` requires (R11, R17, R21). */
export function checkRefundMilestone(state: JobState, role: Role, milestoneId: string): void {
  requireRole(role, 'freelancer', 'refund a milestone', 'R11');
  activeMilestone(state, milestoneId);
  requireUnreleased(state, milestoneId);
  requireNoDispute(state, milestoneId);
  if (escrowOf(state.escrow, milestoneId).held === 0) {
    fail('NOTHING_TO_REFUND', `Milestone ${milestoneId} holds no money to refund.`, {
      rule: 'R11',
      milestoneId,
    });
  }
}

/** Decides an escrow command (R6, R7, R10, R11) against the whole job's state. */
export function decideEscrow(command: EscrowCommand, state: JobState, role: Role): JobEvent[] {
  switch (command.type) {
    case 'FundMilestone':
      return fund(command, state, role);
    case 'ReleaseFunds': {
      const { milestoneId } = command.data;
      const held = checkReleaseFunds(state, role, milestoneId);
      return [releaseOf(state, milestoneId, held, command.at)];
    }
    case 'RefundMilestone': {
      const { milestoneId } = command.data;
      checkRefundMilestone(state, role, milestoneId);
      return refundAllHeld(state.escrow, milestoneId, 'refunded-by-freelancer', command.at);
    }
    default:
      return assertNever(command, 'escrow command');
  }
}
