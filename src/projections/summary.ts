import { readState, type JobState } from '../domain/state.js';
import { escrowOf, isSettled } from '../domain/escrow/state.js';
import type { ReviewStatus } from '../domain/job/state.js';
import { platformIdOf, policyOf, wholePolicy, type Policy } from '../domain/job/policy.js';
import { openDisputeOn } from '../domain/dispute/state.js';
import { dueAtOf } from '../domain/review/clock.js';
import { deadlinesOf, type Deadline } from '../domain/deadlines.js';
import { tableGet } from '../domain/shared/table.js';
import { countedStatus } from './status-count.js';
import type { Role } from '../domain/shared/schema.js';

/**
 * A job's status (spec §5).
 * @category Reading a job
 */
export type JobStatus = 'awarded' | 'awaiting-funding' | 'in-progress' | 'completed' | 'closed';
/**
 * A milestone's money status (spec §5, §11: `settled` once its dispute settled).
 * @category Reading a job
 */
export type MilestoneStatus = 'unfunded' | 'partially-funded' | 'funded' | 'released' | 'settled';

/**
 * An open dispute as the summary shows it (spec §11).
 * @category Reading a job
 */
export interface DisputeSummary {
  readonly disputeId: string;
  readonly openedBy: Role;
  /** The role whose offer stands. */
  readonly offerBy: Role;
  /** The standing offer: what goes back to the client. */
  readonly refund: number;
  /** When the offer's answer is due; `null` once escalated (R19). */
  readonly respondBy: string | null;
  readonly escalated: boolean;
}

/**
 * One active milestone in the summary.
 * @category Reading a job
 */
export interface MilestoneSummary {
  readonly milestoneId: string;
  readonly title: string;
  readonly dueDate: string;
  readonly amount: number;
  readonly status: MilestoneStatus;
  readonly held: number;
  readonly released: number;
  readonly review: ReviewStatus;
  /** The platform's fees on its release (R22). */
  readonly fees: number;
  /** When the client's review ends while R14's clock runs, else `null`. */
  readonly reviewDueAt: string | null;
  /** The milestone's open dispute, or `null`. */
  readonly dispute: DisputeSummary | null;
}

/**
 * A milestone of the pending proposal, with what is held for it.
 * @category Reading a job
 */
export interface ProposedMilestoneSummary {
  readonly milestoneId: string;
  readonly title: string;
  readonly description: string;
  readonly dueDate: string;
  readonly amount: number;
  readonly held: number;
}

/**
 * The JSON summary of a job, exactly as spec §5 names it (amounts in minor units).
 * @category Reading a job
 */
export interface JobSummary {
  readonly jobId: string;
  readonly title: string;
  readonly currency: string;
  readonly status: JobStatus;
  readonly version: number;
  readonly workMayBegin: boolean;
  /** The platform's id (`"platform"` unless the award named one, spec §7). */
  readonly platformId: string;
  /** The job's policy, the defaults filled in (spec §7). */
  readonly policy: Policy;
  readonly totals: {
    readonly contract: number;
    readonly funded: number;
    readonly held: number;
    readonly released: number;
    readonly refunded: number;
    /** The platform's fees: the sum of the releases' fees (R22, C5). */
    readonly fees: number;
  };
  readonly milestones: readonly MilestoneSummary[];
  readonly pendingProposal: null | {
    readonly proposalId: string;
    readonly by: Role;
    readonly milestones: readonly ProposedMilestoneSummary[];
  };
  /** Every running deadline, earliest first, with the timer command for it (spec §11). */
  readonly deadlines: readonly Deadline[];
}

function milestoneStatus(
  amount: number,
  held: number,
  released: boolean,
  settled: boolean,
): MilestoneStatus {
  if (settled) return 'settled';
  if (released) return 'released';
  if (held === 0) return 'unfunded';
  return held < amount ? 'partially-funded' : 'funded';
}

/**
 * R12: some active milestone holds or has released money (a settlement's release included).
 * @category Reading a job
 */
export function workMayBegin(state: JobState): boolean {
  return readState(state, mayBegin);
}

/** {@link workMayBegin} of a state the library made (unchecked: a timeline asks per event). */
export function mayBegin(state: JobState): boolean {
  const active = state.terms.active;
  if (active === null) return false;
  return active.milestones.some((m) => {
    const money = escrowOf(state.escrow, m.milestoneId);
    return money.held > 0 || money.released > 0;
  });
}

/**
 * The job's status (spec §5, in §11's order: a released or settled milestone is done).
 * @category Reading a job
 */
export function jobStatus(state: JobState): JobStatus {
  return readState(state, statusOf);
}

/** {@link jobStatus} of a state the library made (unchecked: a timeline asks per event). */
export function statusOf(state: JobState): JobStatus {
  return countedStatus(state);
}

function disputeSummary(state: JobState, milestoneId: string): DisputeSummary | null {
  const d = openDisputeOn(state.dispute, milestoneId);
  if (d === undefined) return null;
  return {
    disputeId: d.disputeId,
    openedBy: d.openedBy,
    offerBy: d.offerBy,
    refund: d.refund,
    respondBy: d.escalated ? null : d.respondBy,
    escalated: d.escalated,
  };
}

/**
 * The spec's JSON summary of a job (§5): what the CLI prints with `--json`. Before the award the
 * ids and texts are empty strings.
 * @category Reading a job
 */
export function summarize(state: JobState): JobSummary {
  return readState(state, summaryOf);
}

/** {@link summarize} of a state the library made (unchecked: a projection's view, a table). */
export function summaryOf(state: JobState): JobSummary {
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
      status: milestoneStatus(
        m.amount,
        money.held,
        money.released > 0,
        isSettled(state.escrow, m.milestoneId),
      ),
      held: money.held,
      released: money.released,
      review: tableGet(state.job.reviews, m.milestoneId) ?? 'none',
      fees: money.fees,
      reviewDueAt: dueAtOf(state, m.milestoneId) ?? null,
      dispute: disputeSummary(state, m.milestoneId),
    };
  });
  const { funded, held, released, refunded, fees } = state.escrow.totals;
  return {
    jobId: award?.jobId ?? '',
    title: award?.title ?? '',
    currency: award?.currency ?? '',
    status: statusOf(state),
    version: state.version,
    workMayBegin: mayBegin(state),
    platformId: platformIdOf(award),
    // Written in one order: a store may give the award's keys back in another (jsonb does).
    policy: wholePolicy(policyOf(award)),
    totals: {
      contract: milestones.reduce((sum, m) => sum + m.amount, 0),
      funded,
      held,
      released,
      refunded,
      fees,
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
    deadlines: deadlinesOf(state),
  };
}
