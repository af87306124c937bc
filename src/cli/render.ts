import type { JobEvent } from '../domain/events.js';
import type { JobState } from '../domain/state.js';
import { oneLine } from '../projections/format.js';
import { milestoneTable, renderMilestoneTable } from '../projections/milestone-table.js';
import { summarize } from '../projections/summary.js';
import { timeline } from '../projections/timeline.js';

/*
 * What the command line prints: pure functions from a job to text, no I/O.
 */

/** The job as the CLI prints it: a heading, the milestone table with its total, the escrow totals. */
export function renderJob(state: JobState): string {
  const award = state.job.award;
  if (award === null) return 'No job: the history has no JobAwarded event.\n';
  const table = milestoneTable(state);
  const t = table.totals;
  const events = `${String(state.version)} event${state.version === 1 ? '' : 's'}`;
  return [
    `${oneLine(award.title)} (${oneLine(award.jobId)}, ${award.currency}): ${table.status}, ${events}`,
    `client ${oneLine(award.clientId)}, freelancer ${oneLine(award.freelancerId)}`,
    '',
    renderMilestoneTable(table),
    '',
    `Escrow: funded ${t.funded} · held ${t.held} · released ${t.released} · refunded ${t.refunded}`,
    '',
  ].join('\n');
}

/** The spec's JSON summary (§5), pretty-printed, with a final newline. */
export function renderSummaryJson(state: JobState): string {
  return `${JSON.stringify(summarize(state), null, 2)}\n`;
}

/** The job followed by its timeline, one line per event: what `demo` prints. */
export function renderJobWithTimeline(state: JobState, events: Iterable<JobEvent>): string {
  return `${renderJob(state)}\nTimeline\n${timeline(events).join('\n')}\n`;
}
