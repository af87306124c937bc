import type { JobEvent } from '../events.js';
import type { JobState } from '../state.js';
import { activeMilestone, requireUnreleased } from '../escrow/decide.js';
import { fail } from '../shared/errors.js';
import { tableGet } from '../shared/table.js';
import { assertNever } from '../shared/never.js';
import { requireRole } from '../shared/roles.js';
import type { Role } from '../shared/schema.js';
import type { AwardJob, JobLifecycleCommand } from './commands.js';

/** Decides `AwardJob`, the one command valid before the job exists. */
export function decideAward(command: AwardJob, state: JobState): JobEvent[] {
  const { clientId, freelancerId } = command.data;
  if (state.job.award !== null)
    fail('ALREADY_AWARDED', `Job ${state.job.award.jobId} is already awarded.`, {
      jobId: state.job.award.jobId,
    });
  // The award names the parties: anyone else is not a party (spec §1); the freelancer may not award.
  if (command.actor !== clientId && command.actor !== freelancerId) {
    fail(
      'NOT_A_PARTY',
      `${command.actor} is neither the client nor the freelancer this award names.`,
      { actor: command.actor },
    );
  }
  if (command.actor !== clientId)
    fail('FORBIDDEN', `Only the client named in the award (${clientId}) may award the job.`, {
      actor: command.actor,
    });
  if (clientId === freelancerId)
    fail('INVALID_INPUT', 'The client and the freelancer must be different parties.', {
      path: 'data.freelancerId',
    });
  // The award records every field of the command (its schema is the event's, less `at`).
  return [{ type: 'JobAwarded', data: { ...command.data, at: command.at } }];
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
      requireRole(role, 'freelancer', 'submit work', 'R12');
      const { milestoneId, note } = command.data;
      activeMilestone(state, milestoneId);
      requireUnreleased(state, milestoneId);
      return [
        {
          type: 'WorkSubmitted',
          data: note === undefined ? { milestoneId, at } : { milestoneId, note, at },
        },
      ];
    }
    case 'RequestChanges': {
      requireRole(role, 'client', 'request changes', 'R12');
      const { milestoneId, note } = command.data;
      activeMilestone(state, milestoneId);
      requireUnreleased(state, milestoneId);
      if (tableGet(state.job.reviews, milestoneId) !== 'submitted') {
        fail('NOTHING_SUBMITTED', `No submitted work awaits review on milestone ${milestoneId}.`, {
          rule: 'R12',
          milestoneId,
        });
      }
      return [
        {
          type: 'ChangesRequested',
          data: note === undefined ? { milestoneId, at } : { milestoneId, note, at },
        },
      ];
    }
    case 'CloseJob': {
      requireRole(role, 'client', 'close the job', 'R13');
      const held = state.escrow.totals.held;
      if (held > 0)
        fail(
          'FUNDS_HELD',
          `Escrow still holds ${String(held)}: release or refund it before closing.`,
          { rule: 'R13', held },
        );
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
