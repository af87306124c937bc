import type { JobEvent } from '../events.js';
import type { JobState } from '../state.js';
import {
  activeMilestone,
  releaseOf,
  requireNoDispute,
  requireUnreleased,
} from '../escrow/decide.js';
import { refundsFor } from '../escrow/refunds.js';
import { escrowOf } from '../escrow/state.js';
import { policyOf } from '../job/policy.js';
import { fail } from '../shared/errors.js';
import type { Money } from '../shared/money.js';
import { assertNever } from '../shared/never.js';
import { requireParty } from '../shared/roles.js';
import type { ActorRole, Role } from '../shared/schema.js';
import { tableHas } from '../shared/table.js';
import { compareInstants, deadlineAfter } from '../shared/time.js';
import type { DisputeCommand } from './commands.js';
import type { DisputeSettled, SettlementOutcome } from './events.js';
import { disputeOf, type Dispute } from './state.js';

/*
 * Disputes (R16–R21): the money held for one milestone, split in two by agreement, by expiry or
 * by the platform's ruling, or left held when the opener withdraws.
 */

/** One dispute command, by its type. */
type CommandOf<T extends DisputeCommand['type']> = Extract<DisputeCommand, { type: T }>;

/** The dispute a command names, open (`UNKNOWN_DISPUTE`, `DISPUTE_CLOSED`). */
function openDispute(state: JobState, disputeId: string): Dispute {
  const dispute = disputeOf(state.dispute, disputeId);
  if (dispute === undefined)
    return fail('UNKNOWN_DISPUTE', `No dispute ${disputeId} was ever opened in this job.`, {
      rule: 'R20',
      disputeId,
    });
  if (dispute.status !== 'open')
    fail(
      'DISPUTE_CLOSED',
      `Dispute ${disputeId} was ${dispute.status}; it takes no more commands.`,
      {
        rule: 'R20',
        disputeId,
        status: dispute.status,
      },
    );
  return dispute;
}

/** An offer is at most what the milestone holds (`INVALID_SETTLEMENT`). */
function requireOffer(refund: Money, held: Money, milestoneId: string): void {
  if (refund > held)
    fail(
      'INVALID_SETTLEMENT',
      `A refund of ${String(refund)} is more than the ${String(held)} held for milestone ${milestoneId}.`,
      { rule: 'R16', milestoneId, refund, held },
    );
}

/**
 * R21: one decision settles the dispute: `DisputeSettled`, the refund newest funding first, each
 * part to its own source, then the release of the rest with its fee (R22).
 */
function settle(
  state: JobState,
  dispute: Dispute,
  outcome: SettlementOutcome,
  by: ActorRole,
  refund: Money,
  at: string,
): JobEvent[] {
  const { disputeId, milestoneId } = dispute;
  const release = escrowOf(state.escrow, milestoneId).held - refund;
  const settled: DisputeSettled = {
    type: 'DisputeSettled',
    data: { disputeId, milestoneId, outcome, by, refund, release, at },
  };
  const events: JobEvent[] = [
    settled,
    ...refundsFor(state.escrow, milestoneId, refund, 'dispute-settled', at),
  ];
  if (release > 0) events.push(releaseOf(state, milestoneId, release, at));
  return events;
}

function open(command: CommandOf<'OpenDispute'>, state: JobState, by: Role): JobEvent[] {
  const { disputeId, milestoneId, refund, reason } = command.data;
  const respondBy = deadlineAfter(command.at, policyOf(state.job.award).disputeResponseDays);
  activeMilestone(state, milestoneId);
  if (tableHas(state.dispute.disputes, disputeId))
    fail('DUPLICATE_ID', `Dispute id ${disputeId} is already used in this job.`, {
      rule: 'R16',
      disputeId,
    });
  requireUnreleased(state, milestoneId);
  requireNoDispute(state, milestoneId);
  const held = escrowOf(state.escrow, milestoneId).held;
  if (held === 0)
    fail('NOTHING_HELD', `Milestone ${milestoneId} holds no money to dispute.`, {
      rule: 'R16',
      milestoneId,
    });
  requireOffer(refund, held, milestoneId);
  const at = command.at;
  return [
    {
      type: 'DisputeOpened',
      data:
        reason === undefined
          ? { disputeId, milestoneId, by, refund, respondBy, at }
          : { disputeId, milestoneId, by, refund, reason, respondBy, at },
    },
  ];
}

/** R18: a party offers a new split; the other party answers it by the new deadline. */
function proposeSettlement(
  command: CommandOf<'ProposeSettlement'>,
  state: JobState,
  role: ActorRole,
): JobEvent[] {
  const at = command.at;
  const by = requireParty(role, 'propose a settlement', 'R18');
  const respondBy = deadlineAfter(at, policyOf(state.job.award).disputeResponseDays);
  const dispute = openDispute(state, command.data.disputeId);
  const { refund } = command.data;
  requireOffer(refund, escrowOf(state.escrow, dispute.milestoneId).held, dispute.milestoneId);
  return [
    {
      type: 'SettlementProposed',
      data: { disputeId: dispute.disputeId, by, refund, respondBy, at },
    },
  ];
}

/** R18: the party who did not make the offer accepts it, as it stands (`SETTLEMENT_MISMATCH` otherwise). */
function acceptSettlement(
  command: CommandOf<'AcceptSettlement'>,
  state: JobState,
  role: ActorRole,
): JobEvent[] {
  const at = command.at;
  const by = requireParty(role, 'accept a settlement', 'R18');
  const dispute = openDispute(state, command.data.disputeId);
  if (dispute.offerBy === by)
    fail('FORBIDDEN', 'Nobody accepts their own offer: the other party answers it.', {
      rule: 'R18',
      disputeId: dispute.disputeId,
    });
  if (command.data.refund !== dispute.refund)
    fail(
      'SETTLEMENT_MISMATCH',
      `The offer on dispute ${dispute.disputeId} is a refund of ${String(dispute.refund)}, not ${String(command.data.refund)}: it changed, read it again.`,
      { rule: 'R18', disputeId: dispute.disputeId, refund: dispute.refund },
    );
  return settle(state, dispute, 'agreed', by, dispute.refund, at);
}

/** R19: either party hands the dispute to the platform; the response deadline stops applying. */
function escalate(
  command: CommandOf<'EscalateDispute'>,
  state: JobState,
  role: ActorRole,
): JobEvent[] {
  const at = command.at;
  const by = requireParty(role, 'escalate a dispute', 'R19');
  const dispute = openDispute(state, command.data.disputeId);
  if (dispute.escalated)
    fail('DISPUTE_ESCALATED', `Dispute ${dispute.disputeId} is already with the platform.`, {
      rule: 'R19',
      disputeId: dispute.disputeId,
    });
  return [{ type: 'DisputeEscalated', data: { disputeId: dispute.disputeId, by, at } }];
}

/** R20: once the offer's deadline has passed, the party who did not answer loses: the offer stands. */
function expireOffer(
  command: CommandOf<'ExpireDispute'>,
  state: JobState,
  role: ActorRole,
): JobEvent[] {
  const at = command.at;
  const dispute = openDispute(state, command.data.disputeId);
  if (role !== 'platform' && role !== dispute.offerBy)
    fail(
      'FORBIDDEN',
      "The party who must answer the offer cannot expire it: only the platform or the offer's author.",
      { rule: 'R20', disputeId: dispute.disputeId, role },
    );
  if (dispute.escalated)
    fail(
      'DISPUTE_ESCALATED',
      `Dispute ${dispute.disputeId} is with the platform: its response deadline no longer applies.`,
      { rule: 'R20', disputeId: dispute.disputeId },
    );
  if (compareInstants(at, dispute.respondBy) < 0)
    fail(
      'TOO_EARLY',
      `The offer on dispute ${dispute.disputeId} may be answered until ${dispute.respondBy}.`,
      { rule: 'R20', disputeId: dispute.disputeId, dueAt: dispute.respondBy },
    );
  return settle(state, dispute, 'expired', role, dispute.refund, at);
}

/** R20: the platform rules on an escalated dispute. */
function resolve(
  command: CommandOf<'ResolveDispute'>,
  state: JobState,
  role: ActorRole,
): JobEvent[] {
  const at = command.at;
  if (role !== 'platform')
    fail('FORBIDDEN', 'Only the platform rules on a dispute; the parties may settle it.', {
      rule: 'R20',
      role,
    });
  const dispute = openDispute(state, command.data.disputeId);
  if (!dispute.escalated)
    fail(
      'DISPUTE_NOT_ESCALATED',
      `Dispute ${dispute.disputeId} was not escalated: the parties still negotiate it.`,
      { rule: 'R20', disputeId: dispute.disputeId },
    );
  const { refund } = command.data;
  requireOffer(refund, escrowOf(state.escrow, dispute.milestoneId).held, dispute.milestoneId);
  return settle(state, dispute, 'ruled', role, refund, at);
}

/** R20: the opener withdraws; the money stays held as before the dispute. */
function withdraw(
  command: CommandOf<'WithdrawDispute'>,
  state: JobState,
  role: ActorRole,
): JobEvent[] {
  const at = command.at;
  const by = requireParty(role, 'withdraw a dispute', 'R20');
  const dispute = openDispute(state, command.data.disputeId);
  if (dispute.openedBy !== by)
    fail('FORBIDDEN', `Only the ${dispute.openedBy}, who opened it, may withdraw the dispute.`, {
      rule: 'R20',
      disputeId: dispute.disputeId,
    });
  return [{ type: 'DisputeWithdrawn', data: { disputeId: dispute.disputeId, by, at } }];
}

/** Decides a dispute command (R16–R21) against the whole job's state. */
export function decideDispute(
  command: DisputeCommand,
  state: JobState,
  role: ActorRole,
): JobEvent[] {
  switch (command.type) {
    case 'OpenDispute':
      return open(command, state, requireParty(role, 'open a dispute', 'R16'));
    case 'ProposeSettlement':
      return proposeSettlement(command, state, role);
    case 'AcceptSettlement':
      return acceptSettlement(command, state, role);
    case 'EscalateDispute':
      return escalate(command, state, role);
    case 'ExpireDispute':
      return expireOffer(command, state, role);
    case 'ResolveDispute':
      return resolve(command, state, role);
    case 'WithdrawDispute':
      return withdraw(command, state, role);
    default:
      return assertNever(command, 'dispute command');
  }
}
