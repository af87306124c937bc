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
import { fail, type RuleId } from '../shared/errors.js';
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

// What each party command of a dispute does, for `FORBIDDEN` when the platform issues it.
const PARTY_ACTION = {
  OpenDispute: ['open a dispute', 'R16'],
  ProposeSettlement: ['propose a settlement', 'R18'],
  AcceptSettlement: ['accept a settlement', 'R18'],
  EscalateDispute: ['escalate a dispute', 'R19'],
  WithdrawDispute: ['withdraw a dispute', 'R20'],
} as const satisfies Record<string, readonly [string, RuleId]>;

/** The party issuing a dispute command only the parties may issue (`FORBIDDEN` for the platform). */
export function disputeParty(type: keyof typeof PARTY_ACTION, role: ActorRole): Role {
  const [action, rule] = PARTY_ACTION[type];
  return requireParty(role, action, rule);
}

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
export function settle(
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

/**
 * What `OpenDispute` requires (R16, R17, R21): an active milestone not yet done, without an open
 * dispute, holding money, a fresh dispute id, an offer within what is held. Returns the offer's
 * response deadline. Shared by `decideDispute` and the history checker.
 */
export function checkOpenDispute(
  state: JobState,
  milestoneId: string,
  disputeId: string,
  refund: Money,
  at: string,
): string {
  const respondBy = deadlineAfter(at, policyOf(state.job.award).disputeResponseDays);
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
  return respondBy;
}

/** The event of an opened dispute (R16), its response deadline computed. */
export function disputeOpened(
  data: { readonly disputeId: string; readonly milestoneId: string; readonly refund: Money },
  reason: string | undefined,
  by: Role,
  respondBy: string,
  at: string,
): JobEvent {
  const { disputeId, milestoneId, refund } = data;
  return {
    type: 'DisputeOpened',
    data:
      reason === undefined
        ? { disputeId, milestoneId, by, refund, respondBy, at }
        : { disputeId, milestoneId, by, refund, reason, respondBy, at },
  };
}

/** The event of a settlement offered (R18), its response deadline computed. */
export function settlementProposed(
  dispute: Dispute,
  by: Role,
  refund: Money,
  respondBy: string,
  at: string,
): JobEvent {
  return {
    type: 'SettlementProposed',
    data: { disputeId: dispute.disputeId, by, refund, respondBy, at },
  };
}

/** What `ProposeSettlement` requires (R18): an open dispute, an offer within what is held; its deadline. */
export function checkProposeSettlement(
  state: JobState,
  disputeId: string,
  refund: Money,
  at: string,
): { readonly dispute: Dispute; readonly respondBy: string } {
  const respondBy = deadlineAfter(at, policyOf(state.job.award).disputeResponseDays);
  const dispute = openDispute(state, disputeId);
  requireOffer(refund, escrowOf(state.escrow, dispute.milestoneId).held, dispute.milestoneId);
  return { dispute, respondBy };
}

/** What `AcceptSettlement` requires (R18): the other party's offer, as it stands. */
export function checkAcceptSettlement(
  state: JobState,
  by: Role,
  disputeId: string,
  refund: Money,
): Dispute {
  const dispute = openDispute(state, disputeId);
  if (dispute.offerBy === by)
    fail('FORBIDDEN', 'Nobody accepts their own offer: the other party answers it.', {
      rule: 'R18',
      disputeId: dispute.disputeId,
    });
  if (refund !== dispute.refund)
    fail(
      'SETTLEMENT_MISMATCH',
      `The offer on dispute ${dispute.disputeId} is a refund of ${String(dispute.refund)}, not ${String(refund)}: it changed, read it again.`,
      { rule: 'R18', disputeId: dispute.disputeId, refund: dispute.refund },
    );
  return dispute;
}

/** What `EscalateDispute` requires (R19): an open dispute not yet with the platform. */
export function checkEscalateDispute(state: JobState, disputeId: string): Dispute {
  const dispute = openDispute(state, disputeId);
  if (dispute.escalated)
    fail('DISPUTE_ESCALATED', `Dispute ${dispute.disputeId} is already with the platform.`, {
      rule: 'R19',
      disputeId: dispute.disputeId,
    });
  return dispute;
}

/** What `ExpireDispute` requires (R20): the platform or the offer's author, not escalated, past due. */
export function checkExpireDispute(
  state: JobState,
  role: ActorRole,
  disputeId: string,
  at: string,
): Dispute {
  const dispute = openDispute(state, disputeId);
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
  return dispute;
}

/** What `ResolveDispute` requires (R20): the platform, an escalated dispute, a refund within what is held. */
export function checkResolveDispute(
  state: JobState,
  role: ActorRole,
  disputeId: string,
  refund: Money,
): Dispute {
  if (role !== 'platform')
    fail('FORBIDDEN', 'Only the platform rules on a dispute; the parties may settle it.', {
      rule: 'R20',
      role,
    });
  const dispute = openDispute(state, disputeId);
  if (!dispute.escalated)
    fail(
      'DISPUTE_NOT_ESCALATED',
      `Dispute ${dispute.disputeId} was not escalated: the parties still negotiate it.`,
      { rule: 'R20', disputeId: dispute.disputeId },
    );
  requireOffer(refund, escrowOf(state.escrow, dispute.milestoneId).held, dispute.milestoneId);
  return dispute;
}

/** What `WithdrawDispute` requires (R20): the party who opened it, while it is open. */
export function checkWithdrawDispute(state: JobState, by: Role, disputeId: string): Dispute {
  const dispute = openDispute(state, disputeId);
  if (dispute.openedBy !== by)
    fail('FORBIDDEN', `Only the ${dispute.openedBy}, who opened it, may withdraw the dispute.`, {
      rule: 'R20',
      disputeId: dispute.disputeId,
    });
  return dispute;
}

/** Decides a dispute command (R16–R21) against the whole job's state. */
export function decideDispute(
  command: DisputeCommand,
  state: JobState,
  role: ActorRole,
): JobEvent[] {
  const at = command.at;
  switch (command.type) {
    case 'OpenDispute': {
      const by = disputeParty(command.type, role);
      const { data } = command;
      const respondBy = checkOpenDispute(state, data.milestoneId, data.disputeId, data.refund, at);
      return [disputeOpened(data, data.reason, by, respondBy, at)];
    }
    case 'ProposeSettlement': {
      const by = disputeParty(command.type, role);
      const { disputeId, refund } = command.data;
      const { dispute, respondBy } = checkProposeSettlement(state, disputeId, refund, at);
      return [settlementProposed(dispute, by, refund, respondBy, at)];
    }
    case 'AcceptSettlement': {
      const by = disputeParty(command.type, role);
      const { disputeId, refund } = command.data;
      const dispute = checkAcceptSettlement(state, by, disputeId, refund);
      return settle(state, dispute, 'agreed', by, dispute.refund, at);
    }
    case 'EscalateDispute': {
      const by = disputeParty(command.type, role);
      const dispute = checkEscalateDispute(state, command.data.disputeId);
      return [{ type: 'DisputeEscalated', data: { disputeId: dispute.disputeId, by, at } }];
    }
    case 'ExpireDispute': {
      const dispute = checkExpireDispute(state, role, command.data.disputeId, at);
      return settle(state, dispute, 'expired', role, dispute.refund, at);
    }
    case 'ResolveDispute': {
      const { disputeId, refund } = command.data;
      const dispute = checkResolveDispute(state, role, disputeId, refund);
      return settle(state, dispute, 'ruled', role, refund, at);
    }
    case 'WithdrawDispute': {
      const by = disputeParty(command.type, role);
      const dispute = checkWithdrawDispute(state, by, command.data.disputeId);
      return [{ type: 'DisputeWithdrawn', data: { disputeId: dispute.disputeId, by, at } }];
    }
    default:
      return assertNever(command, 'dispute command');
  }
}
