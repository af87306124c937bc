import type { JobEvent } from '../events.js';
import type { JobState } from '../state.js';
import { escrowOf, isReleased, isSettled } from '../escrow/state.js';
import { openDisputeOn } from '../dispute/state.js';
import { refundAllHeld, refundsFor } from '../escrow/refunds.js';
import type { RefundReason } from '../escrow/events.js';
import { appendAll } from '../shared/copies.js';
import { fail } from '../shared/errors.js';
import { tableHas, tableIsEmpty } from '../shared/table.js';
import { assertNever } from '../shared/never.js';
import type { Milestone, Role } from '../shared/schema.js';
import type { TermsCommand } from './commands.js';
import { hasDuplicateIds, milestoneIn, milestoneNear, type Proposal, type Terms } from './state.js';

function sameMilestone(a: Milestone, b: Milestone): boolean {
  return (
    a.title === b.title &&
    a.description === b.description &&
    a.dueDate === b.dueDate &&
    a.amount === b.amount
  );
}

/** Why a milestone of the active terms is frozen (R5, R17, R21), as decide names it. */
export type FrozenBy = 'MILESTONE_RELEASED' | 'MILESTONE_SETTLED' | 'DISPUTE_OPEN';

/**
 * R5, R17, R21: why milestone `id` must be carried unchanged by any terms, or `undefined` when it
 * may change. For one milestone: released, then settled, then disputed (spec §7).
 */
export function frozenBy(state: JobState, id: string): FrozenBy | undefined {
  if (isReleased(state.escrow, id)) return 'MILESTONE_RELEASED';
  if (isSettled(state.escrow, id)) return 'MILESTONE_SETTLED';
  if (openDisputeOn(state.dispute, id) !== undefined) return 'DISPUTE_OPEN';
  return undefined;
}

/**
 * R5, R17, R21: the first frozen milestone of the active terms (in their order) that `carried` (a
 * proposal's milestones) does not carry unchanged, and why it is frozen; `undefined` when the
 * proposal carries every frozen milestone as it is.
 */
export function frozenMilestoneChanged(
  state: JobState,
  carried: readonly Milestone[],
): { readonly milestone: Milestone; readonly by: FrozenBy } | undefined {
  const active = state.terms.active;
  // Nothing released, settled or disputed yet: nothing to compare.
  if (
    active === null ||
    (state.escrow.totals.released === 0 &&
      state.dispute.open === 0 &&
      tableIsEmpty(state.escrow.settled))
  )
    return undefined;
  // Where the proposal keeps the active order, each milestone is found at the next place.
  let next = 0;
  for (const m of active.milestones) {
    const same = milestoneNear(carried, m.milestoneId, next);
    if (same !== undefined) {
      if (same === carried[next]) next += 1;
      if (sameMilestone(same, m)) continue;
    }
    const by = frozenBy(state, m.milestoneId);
    if (by !== undefined) return { milestone: m, by };
  }
  return undefined;
}

/** R5, R17, R21: every frozen milestone must be carried unchanged (by `carried`). */
function requireDoneUnchanged(state: JobState, carried: readonly Milestone[]): void {
  const changed = frozenMilestoneChanged(state, carried);
  if (changed === undefined) return;
  const id = changed.milestone.milestoneId;
  switch (changed.by) {
    case 'MILESTONE_RELEASED':
      return fail(
        'MILESTONE_RELEASED',
        `Milestone ${id} was released and is frozen: the terms must carry it unchanged.`,
        { rule: 'R5', milestoneId: id },
      );
    case 'MILESTONE_SETTLED':
      return fail(
        'MILESTONE_SETTLED',
        `Milestone ${id} was settled by its dispute and is frozen: the terms must carry it unchanged.`,
        { rule: 'R21', milestoneId: id },
      );
    case 'DISPUTE_OPEN': {
      const disputeId = openDisputeOn(state.dispute, id)?.disputeId ?? '';
      return fail(
        'DISPUTE_OPEN',
        `Milestone ${id} has an open dispute (${disputeId}): the terms must carry it unchanged until it ends.`,
        { rule: 'R17', milestoneId: id, disputeId },
      );
    }
    default:
      return assertNever(changed.by, 'frozen milestone');
  }
}

/**
 * R3: why `role` may not propose now, or `undefined` when it may: the client sends the first
 * terms (`FORBIDDEN`), and a party proposes again only once its pending proposal is answered or
 * withdrawn (`PROPOSAL_PENDING`).
 */
export function proposalBlockedFor(
  state: JobState,
  role: Role,
): 'FORBIDDEN' | 'PROPOSAL_PENDING' | undefined {
  const { active, pending } = state.terms;
  if (active === null && pending === null && role === 'freelancer') return 'FORBIDDEN';
  if (pending !== null && pending.by === role) return 'PROPOSAL_PENDING';
  return undefined;
}

/** The pending proposal a command answers: it must exist and be the one named (R2, R3). */
function pendingNamed(state: JobState, proposalId: string): Proposal {
  const pending = state.terms.pending;
  if (pending === null)
    return fail('NO_PENDING_PROPOSAL', `There is no pending proposal to answer.`, {
      rule: 'R2',
      proposalId,
    });
  if (pending.proposalId !== proposalId) {
    fail('PROPOSAL_MISMATCH', `The pending proposal is ${pending.proposalId}, not ${proposalId}.`, {
      rule: 'R2',
      proposalId,
      pendingProposalId: pending.proposalId,
    });
  }
  return pending;
}

/**
 * R8: the prefunds made for a proposal (money held for its milestones that are not in the
 * active terms) go back to their sources.
 */
export function refundPrefunds(
  state: JobState,
  proposal: Proposal,
  reason: RefundReason,
  at: string,
): JobEvent[] {
  const refunds: JobEvent[] = [];
  // No money held anywhere in the job: nothing to refund.
  if (state.escrow.totals.held === 0) return refunds;
  for (const m of proposal.milestones) {
    if (milestoneIn(state.terms.active, m.milestoneId) !== undefined) continue;
    appendAll(refunds, refundAllHeld(state.escrow, m.milestoneId, reason, at));
  }
  return refunds;
}

/** R9: accepted terms that delete a milestone or reduce it below what is held refund the excess. */
function refundExcess(state: JobState, active: Terms, accepted: Proposal, at: string): JobEvent[] {
  const refunds: JobEvent[] = [];
  if (state.escrow.totals.held === 0) return refunds;
  for (const m of active.milestones) {
    const held = escrowOf(state.escrow, m.milestoneId).held;
    if (held === 0) continue;
    const next = milestoneIn(accepted, m.milestoneId);
    if (next === undefined)
      appendAll(refunds, refundAllHeld(state.escrow, m.milestoneId, 'milestone-deleted', at));
    else if (next.amount < held)
      appendAll(
        refunds,
        refundsFor(state.escrow, m.milestoneId, held - next.amount, 'milestone-reduced', at),
      );
  }
  return refunds;
}

/** The award's optional cap on the milestones of any proposal (`maxMilestones`). */
function requireWithinMilestoneCap(state: JobState, proposalId: string, count: number): void {
  const max = state.job.award?.maxMilestones;
  if (max !== undefined && count > max)
    fail(
      'INVALID_INPUT',
      `Proposal ${proposalId} has ${String(count)} milestones; this job allows at most ${String(max)}.`,
      { path: 'data.milestones', maxMilestones: max },
    );
}

/**
 * What `ProposeTerms` requires of the state (the award's milestone cap, R3, R5, and R5/R17/R21's
 * unchanged milestones), once `requireExactContractTotal` has checked its data. Shared by
 * `decideTerms` and the history checker.
 */
export function checkProposeTerms(
  state: JobState,
  role: Role,
  proposalId: string,
  milestones: readonly Milestone[],
): void {
  // The award's cap is a limit on the input: first once the role is known, as a deadline past
  // 9999 is (docs/decisions.md, "Order of checks").
  requireWithinMilestoneCap(state, proposalId, milestones.length);
  const { pending, proposalIds, retiredMilestoneIds } = state.terms;
  const blocked = proposalBlockedFor(state, role);
  if (blocked === 'FORBIDDEN') {
    fail(
      'FORBIDDEN',
      'The client sends the first terms; the freelancer may answer them with a counter-proposal.',
      { rule: 'R3', role },
    );
  }
  if (blocked === 'PROPOSAL_PENDING' && pending !== null) {
    fail(
      'PROPOSAL_PENDING',
      `Proposal ${pending.proposalId} of yours is still pending: withdraw it before proposing again.`,
      {
        rule: 'R3',
        pendingProposalId: pending.proposalId,
      },
    );
  }
  if (tableHas(proposalIds, proposalId)) {
    fail('DUPLICATE_ID', `Proposal id ${proposalId} is already used in this job.`, {
      rule: 'R5',
      proposalId,
    });
  }
  if (hasDuplicateIds(milestones)) {
    const seen = new Set<string>();
    for (const m of milestones) {
      if (seen.has(m.milestoneId)) {
        fail(
          'DUPLICATE_ID',
          `Milestone id ${m.milestoneId} appears twice in proposal ${proposalId}.`,
          { rule: 'R5', milestoneId: m.milestoneId },
        );
      }
      seen.add(m.milestoneId);
    }
  }
  // No milestone was ever deleted (every job until its terms change): nothing retired to reuse.
  if (!tableIsEmpty(retiredMilestoneIds))
    for (const m of milestones) {
      if (tableHas(retiredMilestoneIds, m.milestoneId)) {
        fail(
          'DUPLICATE_ID',
          `Milestone id ${m.milestoneId} belonged to a deleted milestone and cannot be reused.`,
          {
            rule: 'R5',
            milestoneId: m.milestoneId,
          },
        );
      }
    }
  requireDoneUnchanged(state, milestones);
}

/**
 * The contract total must stay exact (spec §1): the proposal's data alone decides it, so it is a
 * schema matter, checked before anything the state decides (spec §7). Shared by `decideValid`
 * and the history checker.
 */
export function requireExactContractTotal(milestones: readonly Milestone[]): void {
  let total = 0;
  for (const m of milestones) total += m.amount;
  if (!Number.isSafeInteger(total)) {
    fail(
      'INVALID_INPUT',
      `command data.milestones: the contract total exceeds the largest exact amount (${String(Number.MAX_SAFE_INTEGER)} minor units).`,
      {
        path: 'data.milestones',
      },
    );
  }
}

/** R3, R8: a counter-proposal supersedes the pending one, whose prefunds go back. */
export function supersededRefunds(state: JobState, at: string): JobEvent[] {
  const pending = state.terms.pending;
  return pending === null ? [] : refundPrefunds(state, pending, 'terms-superseded', at);
}

/** What `AcceptTerms` requires (R2, and R5/R17/R21 once more): returns the proposal accepted. */
export function checkAcceptTerms(state: JobState, role: Role, proposalId: string): Proposal {
  const pending = pendingNamed(state, proposalId);
  if (pending.by === role)
    fail('FORBIDDEN', 'Nobody accepts their own proposal.', {
      rule: 'R2',
      proposalId: pending.proposalId,
    });
  // A release while the proposal was pending may have made it stale (R5).
  requireDoneUnchanged(state, pending.milestones);
  return pending;
}

/** R9: the refunds of accepting `accepted` over the active terms. */
export function acceptanceRefunds(state: JobState, accepted: Proposal, at: string): JobEvent[] {
  const active = state.terms.active;
  return active === null ? [] : refundExcess(state, active, accepted, at);
}

/** What `DeclineTerms` requires (R2): returns the proposal declined. */
export function checkDeclineTerms(state: JobState, role: Role, proposalId: string): Proposal {
  const pending = pendingNamed(state, proposalId);
  if (pending.by === role)
    fail(
      'FORBIDDEN',
      'The proposer withdraws its own proposal; only the other party declines it.',
      {
        rule: 'R2',
      },
    );
  return pending;
}

/** What `WithdrawTerms` requires (R3): returns the proposal withdrawn. */
export function checkWithdrawTerms(state: JobState, role: Role, proposalId: string): Proposal {
  const pending = pendingNamed(state, proposalId);
  if (pending.by !== role)
    fail('FORBIDDEN', 'Only the proposer may withdraw a proposal; the other party declines it.', {
      rule: 'R3',
    });
  return pending;
}

function propose(
  command: Extract<TermsCommand, { type: 'ProposeTerms' }>,
  state: JobState,
  role: Role,
): JobEvent[] {
  const { proposalId } = command.data;
  // The validated command's list is the library's own (fresh from the parser, or a frozen
  // event's), so the event can carry it without a copy.
  const milestones = command.data.milestones;
  checkProposeTerms(state, role, proposalId, milestones);
  return [
    { type: 'TermsProposed', data: { proposalId, by: role, milestones, at: command.at } },
    ...supersededRefunds(state, command.at),
  ];
}

/** Decides a terms command (R2–R5, R7–R9) against the whole job's state. */
export function decideTerms(command: TermsCommand, state: JobState, role: Role): JobEvent[] {
  const at = command.at;
  switch (command.type) {
    case 'ProposeTerms':
      return propose(command, state, role);
    case 'AcceptTerms': {
      const pending = checkAcceptTerms(state, role, command.data.proposalId);
      return [
        { type: 'TermsAccepted', data: { proposalId: pending.proposalId, by: role, at } },
        ...acceptanceRefunds(state, pending, at),
      ];
    }
    case 'DeclineTerms': {
      const pending = checkDeclineTerms(state, role, command.data.proposalId);
      const { reason } = command.data;
      const declined: JobEvent = {
        type: 'TermsDeclined',
        data:
          reason === undefined
            ? { proposalId: pending.proposalId, by: role, at }
            : { proposalId: pending.proposalId, by: role, reason, at },
      };
      return [declined, ...refundPrefunds(state, pending, 'terms-declined', at)];
    }
    case 'WithdrawTerms': {
      const pending = checkWithdrawTerms(state, role, command.data.proposalId);
      return [
        { type: 'TermsWithdrawn', data: { proposalId: pending.proposalId, by: role, at } },
        ...refundPrefunds(state, pending, 'terms-withdrawn', at),
      ];
    }
    default:
      return assertNever(command, 'terms command');
  }
}
