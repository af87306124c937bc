import { deepFreeze } from '../domain/shared/freeze.js';
import type { JobState } from '../domain/state.js';
import { fail } from '../domain/shared/errors.js';
import type { Money } from '../domain/shared/money.js';
import { isCalendarDate } from '../domain/shared/schema.js';
import { dayNumber } from '../domain/shared/time.js';
import type { Projection } from './projection.js';
import { readOptions } from '../shared/options.js';
import { describe } from '../domain/shared/parse.js';
import { jobStateProjection } from './job.js';
import { summarize, type JobStatus, type MilestoneStatus } from './summary.js';

/*
 * Due dates as of a given day. The day is always passed in (`asOf`): nothing here reads the clock,
 * so the same history and the same day give the same answer, in a test or in a report.
 */

/** One active milestone and where it stands against its due date. */
export interface ScheduledMilestone {
  readonly milestoneId: string;
  readonly title: string;
  readonly dueDate: string;
  readonly amount: Money;
  readonly status: MilestoneStatus;
  /** Its due date is before `asOf`, it is neither released nor settled, and the job is open. */
  readonly overdue: boolean;
  /** Whole days from the due date to `asOf` when overdue; 0 otherwise. */
  readonly daysOverdue: number;
}

/** The active milestones' due dates as of one day. */
export interface JobSchedule {
  readonly jobId: string;
  /** The day the schedule is read on, `YYYY-MM-DD`. */
  readonly asOf: string;
  readonly status: JobStatus;
  /** The active terms, in order. */
  readonly milestones: readonly ScheduledMilestone[];
  /** The ids of the overdue milestones, in terms order. */
  readonly overdue: readonly string[];
  /** The sum of the overdue milestones' amounts. */
  readonly overdueAmount: Money;
  /**
   * The milestone due next that is neither released nor settled, on or after `asOf` (the
   * earliest due date; the first in terms order on a tie); `null` when there is none or the job
   * is closed.
   */
  readonly nextDue: ScheduledMilestone | null;
}

/** Options of {@link schedule}. */
export interface ScheduleOptions {
  /** The day to read the schedule on, `YYYY-MM-DD` (the caller's "today", in its own time zone). */
  readonly asOf: string;
}

function requireDay(asOf: unknown): string {
  if (typeof asOf !== 'string' || !isCalendarDate(asOf)) {
    fail(
      'INVALID_INPUT',
      `asOf must be an existing calendar date YYYY-MM-DD, not ${describe(asOf)}.`,
      { path: 'asOf' },
    );
  }
  return asOf;
}

/**
 * The job's due dates as of `asOf`: each active milestone with an `overdue` flag. A milestone is
 * overdue when its due date is strictly before `asOf` (one due today is not), it is neither
 * released nor settled (R21), and the job is not closed. Throws `INVALID_INPUT` for an `asOf` that is not a date.
 */
export function schedule(state: JobState, options: ScheduleOptions): JobSchedule {
  const asOf = requireDay(readOptions(options, ['asOf'], 'asOf').asOf);
  const today = dayNumber(asOf);
  const summary = summarize(state);
  const closed = summary.status === 'closed';
  const milestones: ScheduledMilestone[] = [];
  const overdue: string[] = [];
  let overdueAmount = 0;
  let nextDue: ScheduledMilestone | null = null;
  for (const m of summary.milestones) {
    // Done is released or settled (R21: a settled milestone holds nothing and counts as done).
    const open = !closed && m.status !== 'released' && m.status !== 'settled';
    const late = today - dayNumber(m.dueDate);
    const isOverdue = open && late > 0;
    const item: ScheduledMilestone = {
      milestoneId: m.milestoneId,
      title: m.title,
      dueDate: m.dueDate,
      amount: m.amount,
      status: m.status,
      overdue: isOverdue,
      daysOverdue: isOverdue ? late : 0,
    };
    milestones.push(item);
    if (isOverdue) {
      overdue.push(m.milestoneId);
      overdueAmount += m.amount;
    } else if (open && (nextDue === null || m.dueDate < nextDue.dueDate)) {
      nextDue = item;
    }
  }
  return deepFreeze({
    jobId: summary.jobId,
    asOf,
    status: summary.status,
    milestones,
    overdue,
    overdueAmount,
    nextDue,
  });
}

/** {@link schedule} as a projection, for many jobs at once: every job read on the same day. */
export function scheduleProjection(options: ScheduleOptions): Projection<JobState, JobSchedule> {
  const asOf = requireDay(readOptions(options, ['asOf'], 'asOf').asOf);
  return {
    name: 'schedule',
    initial: () => jobStateProjection.initial(),
    apply: (acc, event) => {
      jobStateProjection.apply(acc, event);
    },
    view: (acc) => schedule(acc, { asOf }),
  };
}
