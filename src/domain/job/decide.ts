import type { JobEvent } from '../events.js';
import type { JobState } from '../state.js';
import { activeMilestone, requireUnreleased } from '../escrow/decide.js';
import { fail } from '../shared/errors.js';
import { tableGet } from '../shared/table.js';
import { assertNever } from '../shared/never.js';
import { requireRole, roleOf } from '../shared/roles.js';
import { wholePolicy } from './policy.js';
import type { Role } from '../shared/schema.js';
import type { AwardJob, JobLifecycleCommand } from './commands.js';

/**
 * What `AwardJob`'s data alone requires (spec §1, §7): three distinct parties. A schema matter,
 * so checked before anything the state decides (spec §7's order: `JOB_CLOSED`, `ALREADY_AWARDED`
 * and `FORBIDDEN` come after). Shared by `decideValid` and the history checker.
 */
export function checkAwardParties(parties: {
  readonly clientId: string;
  readonly freelancerId: string;
  readonly platformId?: string;
}): void {
  const { clientId, freelancerId, platformId } = parties;
  if (clientId === freelancerId)
    fail('INVALID_INPUT', 'The client and the freelancer must be different parties.', {
      path: 'data.freelancerId',
    });
  if (platformId !== undefined && (platformId === clientId || platformId === freelancerId))
    fail('INVALID_INPUT', 'command data.platformId: the platform must differ from both parties.', {
      path: 'data.platformId',
    });
}

/**
 * What `AwardJob` requires of the state (R3, spec §1, §7), once its parties are checked: not yet
 * awarded, the actor is the client it names. Shared by `decideAward` and the history checker.
 */
export function checkAwardJob(
  state: JobState,
  parties: {
    readonly clientId: string;
    readonly freelancerId: string;
    readonly platformId?: string;
  },
  actor: string,
): void {
  if (state.job.award !== null)
    fail('ALREADY_AWARDED', `Job ${state.job.award.jobId} is already awarded.`, {
      jobId: state.job.award.jobId,
    });
  // The award names the parties: anyone else is not a party (spec §1), the freelancer and the
  // platform may not award (spec §7: the platform issues only its timer and ruling commands).
  const role = roleOf(parties, actor);
  if (role !== 'client')
    fail(
      'FORBIDDEN',
      `Only the client named in the award (${parties.clientId}) may award the job.`,
      {
        actor,
        role,
      },
    );
}

/** Decides `AwardJob`, the one command valid before the job exists. */
export function decideAward(command: AwardJob, state: JobState): JobEvent[] {
  checkAwardJob(state, command.data, command.actor);
  // The award records every field of the command (its schema is the event's, less `at`), with
  // the policy made whole (spec §7: a stored policy is whole).
  return [
    {
      type: 'JobAwarded',
      data: { ...command.data, policy: wholePolicy(command.data.policy), at: command.at },
    },
  ];
}

/** What `SubmitWork` requires (R12): the freelancer, an active milestone not yet done. */
export function checkSubmitWork(state: JobState, role: Role, milestoneId: string): void {
  requireRole(role, 'freelancer', 'submit work', 'R12');
  activeMilestone(state, milestoneId);
  requireUnreleased(state, milestoneId);
}

/** What `RequestChanges` requires (R12): the client, submitted work on an active milestone. */
export function checkRequestChanges(state: JobState, role: Role, milestoneId: string): void {
  requireRole(role, 'client', 'request changes', 'R12');
  activeMilestone(state, milestoneId);
  requireUnreleased(state, milestoneId);
  if (tableGet(state.job.reviews, milestoneId) !== 'submitted') {
    fail('NOTHING_SUBMITTED', `No submitted work awaits review on milestone ${milestoneId}.`, {
      rule: 'R12',
      milestoneId,
    });
  }
}

/** What `CloseJob` requires (R13): the client, nothing held, no proposal pending. */
export function checkCloseJob(state: JobState, role: Role): void {
  requireRole(role, 'client', 'close the job', 'R13');
  const held = state.escrow.totals.held;
  if (held > 0)
    fail('FUNDS_HELD', `Escrow still holds ${String(held)}: release or refund it before closing.`, {
      rule: 'R13',
      held,
    });
  const pending = state.terms.pending;
  if (pending !== null) {
    fail(
      'PROPOSAL_PENDING',
      `Proposal ${pending.proposalId} is pending: answer or withdraw it before closing.`,
      {
        rule: 'R13',
        pendingProposalId: pending.proposalId,
      },
    );
  }
}

/** Decides the job's own commands after the award: work review (R12) and closing (R13). */
export function decideJob(
  command: Exclude<JobLifecycleCommand, AwardJob>,
  state: JobState,
  role: Role,
): JobEvent[] {
  const at = command.at;
  switch (command.type) {
    case 'SubmitWork': {
      const { milestoneId, note } = command.data;
      checkSubmitWork(state, role, milestoneId);
      return [
        {
          type: 'WorkSubmitted',
          data: note === undefined ? { milestoneId, at } : { milestoneId, note, at },
        },
      ];
    }
    case 'RequestChanges': {
      const { milestoneId, note } = command.data;
      checkRequestChanges(state, role, milestoneId);
      return [
        {
          type: 'ChangesRequested',
          data: note === undefined ? { milestoneId, at } : { milestoneId, note, at },
        },
      ];
    }
    case 'CloseJob': {
      checkCloseJob(state, role);
      const { reason } = command.data;
      return [
        {
          type: 'JobClosed',
          data: reason === undefined ? { by: role, at } : { by: role, reason, at },
        },
      ];
    }
    default:
      return assertNever(command, 'job command');
  }
}
