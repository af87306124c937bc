import type { JobEvent } from '../events.js';
import type { JobState } from '../state.js';
import { fail } from '../shared/errors.js';
import { requireExactTotal } from '../shared/money.js';
import { tableHas } from '../shared/table.js';
import { assertNever } from '../shared/never.js';
import { requireRole } from '../shared/roles.js';
import type { Milestone, Role } from '../shared/schema.js';
import { milestoneIn } from '../terms/state.js';
import type { EscrowCommand, FundMilestone } from './commands.js';
import type { MilestoneFunded } from './events.js';
import { refundAllHeld } from './refunds.js';
import { escrowOf, isReleased } from './state.js';

/** The active milestone a command names (`UNKNOWN_MILESTONE` otherwise). */
export function activeMilestone(state: JobState, milestoneId: string): Milestone {
  const m = milestoneIn(state.terms.active, milestoneId);
  if (m === undefined)
    fail('UNKNOWN_MILESTONE', `Milestone ${milestoneId} is not in the active terms.`, {
      milestoneId,
    });
  return m;
}

/** Rejects a command on a released milestone (R10). */
export function requireUnreleased(state: JobState, milestoneId: string): void {
  if (isReleased(state.escrow, milestoneId)) {
    fail('ALREADY_RELEASED', `Milestone ${milestoneId} was already released.`, {
      rule: 'R10',
      milestoneId,
    });
  }
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

function fund(command: FundMilestone, state: JobState): JobEvent[] {
  const { milestoneId, fundingId, source, comment, amount: expected } = command.data;
  if (tableHas(state.escrow.fundingIds, fundingId)) {
    fail('DUPLICATE_ID', `Funding id ${fundingId} is already used in this job.`, {
      rule: 'R5',
      fundingId,
    });
  }
  const milestone = fundable(state, milestoneId);
  requireUnreleased(state, milestoneId);
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
  const data: MilestoneFunded['data'] = {
    milestoneId,
    fundingId,
    amount: remainder,
    source,
    at: command.at,
  };
  return [{ type: 'MilestoneFunded', data: comment === undefined ? data : { ...data, comment } }];
}

/** Decides an escrow command (R6, R7, R10, R11) against the whole job's state. */
export function decideEscrow(command: EscrowCommand, state: JobState, role: Role): JobEvent[] {
  switch (command.type) {
    case 'FundMilestone':
      requireRole(role, 'client', 'fund milestones', 'R6');
      return fund(command, state);
    case 'ReleaseFunds': {
      requireRole(role, 'client', 'release funds', 'R10');
      const { milestoneId } = command.data;
      const milestone = activeMilestone(state, milestoneId);
      requireUnreleased(state, milestoneId);
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
      return [{ type: 'FundsReleased', data: { milestoneId, amount: held, at: command.at } }];
    }
    case 'RefundMilestone': {
      requireRole(role, 'freelancer', 'refund a milestone', 'R11');
      const { milestoneId } = command.data;
      activeMilestone(state, milestoneId);
      requireUnreleased(state, milestoneId);
      if (escrowOf(state.escrow, milestoneId).held === 0) {
        fail('NOTHING_TO_REFUND', `Milestone ${milestoneId} holds no money to refund.`, {
          rule: 'R11',
          milestoneId,
        });
      }
      return refundAllHeld(state.escrow, milestoneId, 'refunded-by-freelancer', command.at);
    }
    default:
      return assertNever(command, 'escrow command');
  }
}
