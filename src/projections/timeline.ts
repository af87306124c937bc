import type { Draft } from 'immer';
import { applyEvent } from '../domain/decider.js';
import { requireEvents } from '../domain/shared/parse.js';
import { appendAll } from '../domain/shared/copies.js';
import { requireFoldsWhole, unfoldable } from '../domain/unfoldable.js';
import type { JobEvent } from '../domain/events.js';
import { emptyState, type JobState } from '../domain/state.js';
import { assertNever } from '../domain/shared/never.js';
import type { Milestone } from '../domain/shared/schema.js';
import type { Terms } from '../domain/terms/state.js';
import { milestoneIn } from '../domain/terms/state.js';
import { checkLocale, formatMoney, oneLine, quoted, DEFAULT_LOCALE } from './format.js';
import { readOptions } from '../shared/options.js';
import { statusCount } from './status-count.js';

/*
 * The timeline: one human-readable line per event, for audit trails and the CLI.
 *
 *   2014-11-03T09:00:00Z  client funded "Start fee deposit" $75.00 from card:visa-4242
 *
 * Each line is the event's instant, two spaces, who did what (the role, or `escrow` for an
 * automatic refund), milestones by their title, money formatted in the job's currency. When an
 * event changes the job's status, the line ends with it (`; the job is in-progress`).
 */

/**
 * Options of the timeline.
 * @category Reading a job
 */
export interface TimelineOptions {
  /** The locale that formats money (default `en-US`). */
  readonly locale?: string;
}

/**
 * A timeline being written event by event (for a stream too long to hold).
 * @category Reading a job
 */
export interface Timeline {
  /**
   * The line of the next event, in order. An event it throws on (`INVALID_INPUT` at
   * `details.position`) leaves the timeline as it was.
   */
  push(event: JobEvent): string;
}

function describeChange(
  before: Milestone,
  after: Milestone,
  money: (n: number) => string,
): string[] {
  const name = quoted(before.title);
  const changes: string[] = [];
  if (before.title !== after.title) changes.push(`${name} renamed ${quoted(after.title)}`);
  if (before.amount !== after.amount)
    changes.push(`${name} ${money(before.amount)} → ${money(after.amount)}`);
  if (before.dueDate !== after.dueDate)
    changes.push(`${name} due ${before.dueDate} → ${after.dueDate}`);
  if (before.description !== after.description) changes.push(`${name} description edited`);
  return changes;
}

/** What a proposal changes against the terms it would replace, in a few words. */
function describeProposal(
  active: Terms | null,
  proposed: readonly Milestone[],
  money: (n: number) => string,
): string {
  const total = money(proposed.reduce((sum, m) => sum + m.amount, 0));
  const size = `${String(proposed.length)} milestone${proposed.length === 1 ? '' : 's'}, ${total}`;
  if (active === null) return size;
  const ids = new Set(proposed.map((m) => m.milestoneId));
  const changes: string[] = [];
  for (const m of proposed) {
    const before = milestoneIn(active, m.milestoneId);
    if (before === undefined)
      changes.push(`adds ${quoted(m.title)} ${money(m.amount)} due ${m.dueDate}`);
    else appendAll(changes, describeChange(before, m, money));
  }
  for (const m of active.milestones)
    if (!ids.has(m.milestoneId)) changes.push(`deletes ${quoted(m.title)}`);
  if (changes.length === 0) {
    const sameOrder =
      active.milestones.length === proposed.length &&
      active.milestones.every((m, i) => proposed[i]?.milestoneId === m.milestoneId);
    changes.push(sameOrder ? 'no change' : 'reorders the milestones');
  }
  return `${size}: ${changes.join('; ')}`;
}

/**
 * Starts a timeline from the empty job. The events are trusted (check a stored history with
 * `createHistoryChecker` first); the timeline keeps only the job's state, not the lines.
 * @category Reading a job
 */
// eslint-disable-next-line max-lines-per-function -- a factory: its closure is the timeline's state; `describe` inside is one exhaustive switch with a short case per event type.
export function createTimeline(options: TimelineOptions = {}): Timeline {
  const read = readOptions(options, ['locale'], 'locale, or none');
  const locale = checkLocale(read.locale ?? DEFAULT_LOCALE);
  const state = emptyState() as Draft<JobState>;
  // The last title each milestone had, for refunds that follow its deletion or a declined proposal.
  const lastTitle = new Map<string, string>();

  function money(amount: number): string {
    const currency = state.job.award?.currency;
    return currency === undefined
      ? `${String(amount)} (minor units)`
      : formatMoney(amount, currency, locale);
  }

  function remember(terms: Terms | null): void {
    for (const m of terms?.milestones ?? []) lastTitle.set(m.milestoneId, m.title);
  }

  function title(milestoneId: string): string {
    const m =
      milestoneIn(state.terms.active, milestoneId) ?? milestoneIn(state.terms.pending, milestoneId);
    return quoted(m?.title ?? lastTitle.get(milestoneId) ?? milestoneId);
  }

  // eslint-disable-next-line max-lines-per-function -- one exhaustive switch over every event type, a short case each: it reads best whole.
  function describe(event: JobEvent): string {
    switch (event.type) {
      case 'JobAwarded': {
        const d = event.data;
        return `client ${oneLine(d.clientId)} awarded ${quoted(d.title)} (${oneLine(d.jobId)}, ${d.currency}) to freelancer ${oneLine(d.freelancerId)}`;
      }
      case 'TermsProposed': {
        const d = event.data;
        // A counter-proposal supersedes the pending one; changes are told against the active
        // terms, or against the superseded proposal while there are none.
        const pending = state.terms.pending;
        const supersedes = pending === null ? '' : `, superseding ${oneLine(pending.proposalId)}`;
        const base = state.terms.active ?? pending;
        return `${d.by} proposed terms ${oneLine(d.proposalId)}${supersedes} (${describeProposal(base, d.milestones, money)})`;
      }
      case 'TermsAccepted':
        return `${event.data.by} accepted terms ${oneLine(event.data.proposalId)}`;
      case 'TermsDeclined': {
        const { by, proposalId, reason } = event.data;
        return `${by} declined terms ${oneLine(proposalId)}${reason === undefined ? '' : `: ${quoted(reason)}`}`;
      }
      case 'TermsWithdrawn':
        return `${event.data.by} withdrew terms ${oneLine(event.data.proposalId)}`;
      case 'MilestoneFunded': {
        const { milestoneId, amount, source, comment } = event.data;
        const pending = state.terms.pending;
        const prefund =
          milestoneIn(state.terms.active, milestoneId) === undefined && pending !== null;
        return (
          `client funded ${title(milestoneId)} ${money(amount)} from ${oneLine(source)}` +
          (prefund ? ` as a prefund of ${oneLine(pending.proposalId)}` : '') +
          (comment === undefined ? '' : `: ${quoted(comment)}`)
        );
      }
      case 'FundsReleased': {
        const { milestoneId, amount } = event.data;
        const fee = event.data.fee ?? 0;
        // A settlement's release or an expired review's: escrow pays, as the decision says.
        const who = lastType === 'ReviewExpired' || settling ? 'escrow' : 'client';
        const net =
          fee === 0 ? '' : ` (fee ${money(fee)}, the freelancer nets ${money(amount - fee)})`;
        return `${who} released ${title(milestoneId)} ${money(amount)} to the freelancer${net}`;
      }
      case 'FundsRefunded': {
        const { milestoneId, amount, source, reason } = event.data;
        const who = reason === 'refunded-by-freelancer' ? 'freelancer' : 'escrow';
        return `${who} refunded ${title(milestoneId)} ${money(amount)} to ${oneLine(source)} (${reason})`;
      }
      case 'WorkSubmitted': {
        const { milestoneId, note } = event.data;
        return `freelancer submitted work for ${title(milestoneId)}${note === undefined ? '' : `: ${quoted(note)}`}`;
      }
      case 'ChangesRequested': {
        const { milestoneId, note } = event.data;
        return `client requested changes to ${title(milestoneId)}${note === undefined ? '' : `: ${quoted(note)}`}`;
      }
      case 'JobClosed': {
        const { by, reason } = event.data;
        return `${by} closed the job${reason === undefined ? '' : `: ${quoted(reason)}`}`;
      }
      case 'ReviewExpired': {
        const { milestoneId, by, dueAt } = event.data;
        return `${by} expired the review of ${title(milestoneId)} (due ${dueAt}): the client is deemed to approve`;
      }
      case 'DisputeOpened': {
        const { disputeId, milestoneId, by, refund, reason, respondBy } = event.data;
        return (
          `${by} opened dispute ${oneLine(disputeId)} on ${title(milestoneId)}, offering a refund of ${money(refund)}` +
          `, answer by ${respondBy}${reason === undefined ? '' : `: ${quoted(reason)}`}`
        );
      }
      case 'SettlementProposed': {
        const { disputeId, by, refund, respondBy } = event.data;
        return `${by} offered a refund of ${money(refund)} in dispute ${oneLine(disputeId)}, answer by ${respondBy}`;
      }
      case 'DisputeEscalated':
        return `${event.data.by} escalated dispute ${oneLine(event.data.disputeId)} to the platform`;
      case 'DisputeWithdrawn':
        return `${event.data.by} withdrew dispute ${oneLine(event.data.disputeId)}; the money stays held`;
      case 'DisputeSettled': {
        const { disputeId, milestoneId, outcome, by, refund, release } = event.data;
        const how =
          outcome === 'agreed'
            ? 'accepted the offer'
            : outcome === 'expired'
              ? 'expired the offer'
              : 'ruled';
        return `${by} ${how}: dispute ${oneLine(disputeId)} on ${title(milestoneId)} settled, ${money(refund)} back to the client, ${money(release)} to the freelancer`;
      }
      default:
        return assertNever(event, 'event');
    }
  }

  // The previous event's type, and whether a settlement's refunds and release are being told.
  let lastType: JobEvent['type'] | undefined;
  let settling = false;
  let position = 0;
  // The status before and after each event, without walking the milestones each time.
  const status = statusCount();

  /** Whether a settlement is being told once `event` is: from its DisputeSettled to its money. */
  function settlingAfter(event: JobEvent): boolean {
    if (event.type === 'DisputeSettled') return true;
    if (event.type === 'FundsReleased') return settling;
    if (event.type === 'FundsRefunded') return settling || event.data.reason === 'dispute-settled';
    return false;
  }

  // Everything that can throw on an event is read before the state takes it, and the timeline's
  // own bookkeeping changes only once it has: a rejected push leaves the timeline as it was.
  function line(event: JobEvent): string {
    const settles = settlingAfter(event);
    const text = describe(event);
    const at = oneLine(event.data.at);
    const before = status.statusOf(state);
    const { pending, active } = state.terms;
    requireFoldsWhole(event);
    status.before(state, event);
    applyEvent(state, event);
    status.after(state);
    const after = status.statusOf(state);
    if (event.type.startsWith('Terms')) {
      remember(pending);
      remember(active);
    }
    settling = settles;
    lastType = event.type;
    position += 1;
    const change =
      before === after || event.type === 'JobAwarded' || event.type === 'JobClosed'
        ? ''
        : `; the job is ${after}`;
    return `${at}  ${text}${change}`;
  }

  return {
    push(event: JobEvent): string {
      // Trusted events, unchecked: one that is not an event is named only once it threw.
      try {
        return line(event);
      } catch (error) {
        throw unfoldable(error, position + 1, event);
      }
    },
  };
}

/**
 * The timeline of a history: one line per event, in order.
 *
 * @example
 * ```ts
 * import { decide, fold, initialState, type JobCommandInput, type JobEvent } from 'milestone-escrow';
 * import { timeline } from 'milestone-escrow/projections';
 *
 * const at = '2014-11-03T09:00:00Z';
 * let state = initialState();
 * const events: JobEvent[] = [];
 * for (const command of [
 *   { type: 'AwardJob', actor: 'clara', at, data: { jobId: 'logo', title: 'Logo design', clientId: 'clara', freelancerId: 'felix', currency: 'USD' } },
 *   { type: 'ProposeTerms', actor: 'clara', at, data: { proposalId: 'p1', milestones: [{ milestoneId: 'm1', title: 'Start fee deposit', dueDate: '2014-11-03', amount: 7500 }] } },
 *   { type: 'FundMilestone', actor: 'clara', at, data: { milestoneId: 'm1', fundingId: 'f1', source: 'card:visa-4242' } },
 * ] satisfies JobCommandInput[]) {
 *   const decided = decide(command, state);
 *   state = fold(decided, state); // only the new events: linear, where re-folding is quadratic
 *   for (const event of decided) events.push(event); // push(...decided) can overflow the stack
 * }
 *
 * for (const line of timeline(events)) console.log(line);
 * // 2014-11-03T09:00:00Z  client funded "Start fee deposit" $75.00 from card:visa-4242 as a prefund of p1
 * ```
 * @category Reading a job
 */
export function timeline(events: Iterable<JobEvent>, options: TimelineOptions = {}): string[] {
  requireEvents(events);
  const writer = createTimeline(options);
  const lines: string[] = [];
  for (const event of events) lines.push(writer.push(event));
  return lines;
}
