import type { JobState } from '../domain/state.js';
import { escrowOf, isReleased } from '../domain/escrow/state.js';
import type { ReviewStatus } from '../domain/job/state.js';
import { tableGet } from '../domain/shared/table.js';
import type { Role } from '../domain/shared/schema.js';

/** A job's status (spec §5). */
export type JobStatus = 'awarded' | 'awaiting-funding' | 'in-progress' | 'completed' | 'closed';
/** A milestone's money status (spec §5). */
export type MilestoneStatus = 'unfunded' | 'partially-funded' | 'funded' | 'released';

/** One active milestone in the summary. */
export interface MilestoneSummary {
  readonly milestoneId: string;
  readonly title: string;
  readonly dueDate: string;
  readonly amount: number;
  readonly status: MilestoneStatus;
  readonly held: number;
  readonly released: number;
  readonly review: ReviewStatus;
}

/** A milestone of the pending proposal, with what is held for it. */
export interface ProposedMilestoneSummary {
  readonly milestoneId: string;
  readonly title: string;
  readonly description: string;
  readonly dueDate: string;
  readonly amount: number;
  readonly held: number;
}

/** The JSON summary of a job, exactly as spec §5 names it (amounts in minor units). */
export interface JobSummary {
  readonly jobId: string;
  readonly title: string;
  readonly currency: string;
  readonly status: JobStatus;
  readonly version: number;
  readonly workMayBegin: boolean;
  readonly totals: {
    readonly contract: number;
    readonly funded: number;
    readonly held: number;
    readonly released: number;
    readonly refunded: number;
  };
  readonly milestones: readonly MilestoneSummary[];
  readonly pendingProposal: null | {
    readonly proposalId: string;
    readonly by: Role;
    readonly milestones: readonly ProposedMilestoneSummary[];
  };
}

function milestoneStatus(amount: number, held: number, released: boolean): MilestoneStatus {
  if (released) return 'released';
  if (held === 0) return 'unfunded';
  return held < amount ? 'partially-funded' : 'funded';
}

/** R12: some active milestone holds or has released money. */
export function workMayBegin(state: JobState): boolean {
  const active = state.terms.active;
  if (active === null) return false;
  return active.milestones.some((m) => {
    const money = escrowOf(state.escrow, m.milestoneId);
    return money.held > 0 || money.released > 0;
  });
}

/** The job's status (spec §5). */
export function jobStatus(state: JobState): JobStatus {
  if (state.job.closedAt !== null) return 'closed';
  const active = state.terms.active;
  if (active === null) return 'awarded';
  if (active.milestones.every((m) => isReleased(state.escrow, m.milestoneId))) return 'completed';
  return workMayBegin(state) ? 'in-progress' : 'awaiting-funding';
}

/**
 * The spec's JSON summary of a job (§5): what the CLI prints with `--json`. Before the award the
 * ids and texts are empty strings.
 */
export function summarize(state: JobState): JobSummary {
  const award = state.job.award;
  const active = state.terms.active;
  const pending = state.terms.pending;
  const milestones: MilestoneSummary[] = (active?.milestones ?? []).map((m) => {
    const money = escrowOf(state.escrow, m.milestoneId);
    return {
      milestoneId: m.milestoneId,
      title: m.title,
      dueDate: m.dueDate,
      amount: m.amount,
      status: milestoneStatus(m.amount, money.held, money.released > 0),
      held: money.held,
      released: money.released,
      review: tableGet(state.job.reviews, m.milestoneId) ?? 'none',
    };
  });
  const { funded, held, released, refunded } = state.escrow.totals;
  return {
    jobId: award?.jobId ?? '',
    title: award?.title ?? '',
    currency: award?.currency ?? '',
    status: jobStatus(state),
    version: state.version,
    workMayBegin: workMayBegin(state),
    totals: {
      contract: milestones.reduce((sum, m) => sum + m.amount, 0),
      funded,
      held,
      released,
      refunded,
    },
    milestones,
    pendingProposal:
      pending === null
        ? null
        : {
            proposalId: pending.proposalId,
            by: pending.by,
            milestones: pending.milestones.map((m) => ({
              ...m,
              // Prefunds for a new milestone, or what an active one already holds.
              held: escrowOf(state.escrow, m.milestoneId).held,
            })),
          },
  };
}
