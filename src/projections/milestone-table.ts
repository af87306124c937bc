import type { JobState } from '../domain/state.js';
import { assertNever } from '../domain/shared/never.js';
import {
  checkLocale,
  dateStyle,
  formatDueDate,
  formatMoney,
  oneLine,
  DEFAULT_LOCALE,
  type DateStyle,
} from './format.js';
import { readOptions } from '../shared/options.js';
import { fail } from '../domain/shared/errors.js';
import { describe } from '../domain/shared/parse.js';
import { summarize, type JobStatus, type JobSummary, type MilestoneSummary } from './summary.js';

/*
 * The seed's milestone table (milestone, delivery date, amount), plus each milestone's status,
 * as a read model and as text or Markdown:
 *
 *   Milestone                                   Delivery Date   Amount  Status
 *   Milestone 1: Start fee deposit              3 Nov 2014      $75.00  released
 *   ...
 *   Final: Delivery of final print-ready files  24 Nov 2014    $100.00  funded
 *   Total:                                                     $400.00
 */

/**
 * Options of the milestone table.
 * @category Reading a job
 */
export interface MilestoneTableOptions {
  /** The locale that formats money (default `en-US`, so output does not depend on `LANG`). */
  readonly locale?: string;
  /** Due dates as the seed writes them (`10 Nov 2014`, the default) or as stored (`2014-11-10`). */
  readonly dates?: DateStyle;
}

/**
 * One milestone of the active terms, every cell formatted.
 * @category Reading a job
 */
export interface MilestoneTableRow {
  readonly milestoneId: string;
  /** `Milestone 2: 6 concepts`, or the title itself when it starts with `Final:` (as in the seed). */
  readonly milestone: string;
  readonly deliveryDate: string;
  readonly amount: string;
  /** The money status, and the review when there is one: `funded, changes requested`. */
  readonly status: string;
}

/**
 * One milestone of the pending proposal, with what is already held for it (prefunds).
 * @category Reading a job
 */
export interface ProposedMilestoneRow {
  readonly milestoneId: string;
  readonly milestone: string;
  readonly deliveryDate: string;
  readonly amount: string;
  readonly held: string;
}

/**
 * A job's milestone table: the active terms, their totals, and the pending proposal if any.
 * @category Reading a job
 */
export interface MilestoneTable {
  readonly jobId: string;
  readonly title: string;
  readonly currency: string;
  readonly status: JobStatus;
  /** False before `JobAwarded`: there is no job to show. */
  readonly awarded: boolean;
  /** The active terms in order; empty until terms are accepted. */
  readonly rows: readonly MilestoneTableRow[];
  /** The contract total (the sum of the active milestones). */
  readonly total: string;
  /** Every money total of spec §5, formatted. */
  readonly totals: {
    readonly contract: string;
    readonly funded: string;
    readonly held: string;
    readonly released: string;
    readonly refunded: string;
  };
  readonly pendingProposal: null | {
    readonly proposalId: string;
    readonly by: string;
    readonly rows: readonly ProposedMilestoneRow[];
    readonly total: string;
  };
}

/**
 * How a table is written out.
 * @category Reading a job
 */
export type TableFormat = 'text' | 'markdown';

const FINAL = /^final\s*:/i;

/** The seed's row label: `Milestone 1: Start fee deposit`, and `Final: …` kept as it is. */
function label(position: number, title: string): string {
  return FINAL.test(title) ? title : `Milestone ${String(position)}: ${title}`;
}

function reviewText(m: MilestoneSummary, money: (amount: number) => string): string {
  if (m.status === 'released') return m.status;
  // Part two: a settled milestone says how its money was split; an open dispute and a running
  // review say who must act by when.
  if (m.status === 'settled') return `settled, ${money(m.released)} released`;
  const dispute =
    m.dispute === null
      ? ''
      : `, disputed (${m.dispute.escalated ? 'with the platform' : `answer by ${m.dispute.respondBy ?? ''}`})`;
  switch (m.review) {
    case 'none':
      return `${m.status}${dispute}`;
    case 'submitted':
      return m.reviewDueAt === null
        ? `${m.status}, work submitted${dispute}`
        : `${m.status}, work submitted, review ends ${m.reviewDueAt}`;
    case 'changes-requested':
      return `${m.status}, changes requested${dispute}`;
    default:
      return assertNever(m.review, 'review status');
  }
}

/** True when `value` is an object with `key` (a proxy whose `has` throws: false). */
function holds(value: unknown, key: string): boolean {
  try {
    return typeof value === 'object' && value !== null && key in value;
  } catch {
    return false;
  }
}

/** A summary (its JSON, kept by an app): what the table reads of it, at its top. */
function looksLikeSummary(s: Partial<Record<keyof JobSummary, unknown>>): boolean {
  try {
    return (
      Array.isArray(s.milestones) &&
      typeof s.totals === 'object' &&
      s.totals !== null &&
      typeof s.currency === 'string' &&
      typeof s.pendingProposal === 'object'
    );
  } catch {
    return false;
  }
}

function summaryOf(job: JobState | JobSummary): JobSummary {
  const given: unknown = job;
  // A state is checked by summarize.
  if (holds(given, 'escrow')) return summarize(job as JobState);
  if (typeof given !== 'object' || given === null || !looksLikeSummary(given))
    fail('INVALID_INPUT', `job must be a job state or its summary, not ${describe(given)}`, {
      path: 'job',
    });
  return job as JobSummary;
}

/**
 * The milestone table of a job (from its state or its JSON summary): the seed's columns
 * (milestone, delivery date, amount) and each milestone's status, with money formatted for the
 * job's currency (`$75.00`, `¥7,500`, `KWD 1.500`).
 * @category Reading a job
 */
export function milestoneTable(
  job: JobState | JobSummary,
  options: MilestoneTableOptions = {},
): MilestoneTable {
  const summary = summaryOf(job);
  const read = readOptions(options, ['locale', 'dates'], 'locale or dates, or none');
  const locale = checkLocale(read.locale ?? DEFAULT_LOCALE);
  const dates = dateStyle(read.dates, 'dates');
  const awarded = summary.currency !== '';
  const money = (amount: number): string =>
    awarded ? formatMoney(amount, summary.currency, locale) : String(amount);
  const pending = summary.pendingProposal;
  const t = summary.totals;
  return {
    jobId: summary.jobId,
    title: summary.title,
    currency: summary.currency,
    status: summary.status,
    awarded,
    rows: summary.milestones.map((m, i) => ({
      milestoneId: m.milestoneId,
      milestone: label(i + 1, m.title),
      deliveryDate: formatDueDate(m.dueDate, dates),
      amount: money(m.amount),
      status: reviewText(m, money),
    })),
    total: money(t.contract),
    totals: {
      contract: money(t.contract),
      funded: money(t.funded),
      held: money(t.held),
      released: money(t.released),
      refunded: money(t.refunded),
    },
    pendingProposal:
      pending === null
        ? null
        : {
            proposalId: pending.proposalId,
            by: pending.by,
            rows: pending.milestones.map((m, i) => ({
              milestoneId: m.milestoneId,
              milestone: label(i + 1, m.title),
              deliveryDate: formatDueDate(m.dueDate, dates),
              amount: money(m.amount),
              held: money(m.held),
            })),
            total: money(pending.milestones.reduce((sum, m) => sum + m.amount, 0)),
          },
  };
}

type Align = 'left' | 'right';
interface Column {
  readonly header: string;
  readonly align: Align;
}

const width = (s: string): number => Array.from(s).length;

function textTable(columns: readonly Column[], rows: readonly (readonly string[])[]): string {
  const cells = [columns.map((c) => c.header), ...rows].map((row) => row.map(oneLine));
  // The widest cell of each column, row by row: Math.max(...) of 200,000 rows was a RangeError.
  const widths = columns.map((_, i) =>
    cells.reduce((w, row) => Math.max(w, width(row[i] ?? '')), 0),
  );
  return cells
    .map((row) =>
      columns
        .map((c, i) => {
          const cell = row[i] ?? '';
          const pad = ' '.repeat((widths[i] ?? 0) - width(cell));
          return c.align === 'right' ? pad + cell : cell + pad;
        })
        .join('  ')
        .trimEnd(),
    )
    .join('\n');
}

// Characters that Markdown would read as formatting inside a table cell.
const MARKDOWN_SPECIAL = /[\\`*_[\]<>|~$&]/g;

function markdownCell(text: string): string {
  return oneLine(text).replace(MARKDOWN_SPECIAL, (c) => `\\${c}`);
}

/** A cell the table wrote itself (a date, an amount, a status): only `|` would break it. */
function markdownValue(text: string): string {
  return oneLine(text).replace(/\|/g, '\\|');
}

function markdownTable(
  columns: readonly Column[],
  rows: readonly (readonly string[])[],
  footer: readonly string[],
): string {
  const line = (cells: readonly string[]): string => `| ${cells.join(' | ')} |`;
  return [
    line(columns.map((c) => c.header)),
    line(columns.map((c) => (c.align === 'right' ? '--:' : ':--'))),
    // The first column holds titles: untrusted text, escaped; the others are formatted values.
    ...rows.map((row) =>
      line(row.map((cell, i) => (i === 0 ? markdownCell(cell) : markdownValue(cell)))),
    ),
    line(footer.map((cell) => (cell === '' ? '' : `**${markdownValue(cell)}**`))),
  ].join('\n');
}

const ACTIVE_COLUMNS: readonly Column[] = [
  { header: 'Milestone', align: 'left' },
  { header: 'Delivery Date', align: 'left' },
  { header: 'Amount', align: 'right' },
  { header: 'Status', align: 'left' },
];

const PROPOSED_COLUMNS: readonly Column[] = [
  { header: 'Milestone', align: 'left' },
  { header: 'Delivery Date', align: 'left' },
  { header: 'Amount', align: 'right' },
  { header: 'Held', align: 'right' },
];

function render(
  columns: readonly Column[],
  rows: readonly (readonly string[])[],
  total: string,
  format: TableFormat,
): string {
  const footer = ['Total:', '', total, ''];
  return format === 'markdown'
    ? markdownTable(columns, rows, footer)
    : textTable(columns, [...rows, footer]);
}

/**
 * The milestone table as text (aligned columns) or Markdown (a GFM table): the active terms with
 * a `Total:` row, then the pending proposal's milestones if a proposal awaits an answer.
 * Untrusted text (titles) is kept to one line and escaped for Markdown.
 *
 * @example
 * ```ts
 * import { decide, fold, initialState, type JobCommandInput } from 'milestone-escrow';
 * import { renderMilestoneTable } from 'milestone-escrow/projections';
 *
 * const at = '2014-11-03T09:00:00Z';
 * let state = initialState();
 * for (const command of [
 *   { type: 'AwardJob', actor: 'clara', at, data: { jobId: 'logo', title: 'Logo design', clientId: 'clara', freelancerId: 'felix', currency: 'USD' } },
 *   { type: 'ProposeTerms', actor: 'clara', at, data: { proposalId: 'p1', milestones: [{ milestoneId: 'm1', title: 'Start fee deposit', dueDate: '2014-11-03', amount: 7500 }] } },
 *   { type: 'AcceptTerms', actor: 'felix', at, data: { proposalId: 'p1' } },
 * ] satisfies JobCommandInput[]) state = fold(decide(command, state), state); // only the new events
 *
 * console.log(renderMilestoneTable(state, { format: 'markdown' }));
 * ```
 * @category Reading a job
 */
export function renderMilestoneTable(
  job: JobState | JobSummary | MilestoneTable,
  options: MilestoneTableOptions & { readonly format?: TableFormat } = {},
): string {
  const given: unknown = job;
  const read = readOptions(
    options,
    ['locale', 'dates', 'format'],
    'locale, dates or format, or none',
  );
  // Checked here, not only when used: an 'html' table came out as text, and no job used none.
  const chosen: unknown = read.format ?? 'text';
  if (chosen !== 'text' && chosen !== 'markdown')
    fail('INVALID_INPUT', `format must be 'text' or 'markdown', not ${describe(chosen)}`, {
      path: 'format',
    });
  const format: TableFormat = chosen;
  dateStyle(read.dates, 'dates');
  const table = holds(given, 'rows')
    ? (job as MilestoneTable)
    : milestoneTable(job as JobState | JobSummary, read);
  if (!table.awarded) return 'No job: nothing has been awarded yet.';
  const parts: string[] = [];
  if (table.rows.length === 0) parts.push('No active terms yet: no proposal has been accepted.');
  else {
    const rows = table.rows.map((r) => [r.milestone, r.deliveryDate, r.amount, r.status]);
    parts.push(render(ACTIVE_COLUMNS, rows, table.total, format));
  }
  const pending = table.pendingProposal;
  if (pending !== null) {
    const heading = `Pending proposal ${pending.proposalId} by the ${pending.by}:`;
    parts.push(format === 'markdown' ? markdownCell(heading) : oneLine(heading));
    const rows = pending.rows.map((r) => [r.milestone, r.deliveryDate, r.amount, r.held]);
    parts.push(render(PROPOSED_COLUMNS, rows, pending.total, format));
  }
  return parts.join('\n\n');
}
