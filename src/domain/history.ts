/* eslint-disable max-lines, max-lines-per-function -- speed2 (issue 15 part 5) owns this file and is splitting it (under 400 lines, commandFor under 80): drop this line when that lands. */
import type { JobCommand } from './commands.js';
import { applyEvent, decideValid } from './decider.js';
import { parseEvent, type EventOf, type JobEvent } from './events.js';
import { emptyState, type JobState } from './state.js';
import type { FundsRefunded, RefundReason } from './escrow/events.js';
import type { AwardJob } from './job/commands.js';
import type { JobAwarded } from './job/events.js';
import { DomainError, fail, isDomainError, type ErrorCode, type RuleId } from './shared/errors.js';
import { assertNever } from './shared/never.js';
import type { ActorRole } from './shared/schema.js';
import { compareInstants } from './shared/time.js';
import { platformIdOf } from './job/policy.js';
import type { Draft } from 'immer';
import { changeable, freezeState, workingCopy } from './freeze-state.js';

/*
 * The history checker. A legal history is exactly what `decide` would have produced: for each
 * event that starts a decision it rebuilds the command, decides it against the state so far, and
 * requires the following events to be that decision's events (the automatic refunds of R8/R9
 * directly after their cause, C4). Every rule decide enforces is thereby enforced on the history.
 */

const REFUND_RULE: Record<RefundReason, RuleId> = {
  'terms-declined': 'R8',
  'terms-withdrawn': 'R8',
  'terms-superseded': 'R8',
  'milestone-deleted': 'R9',
  'milestone-reduced': 'R9',
  'refunded-by-freelancer': 'R11',
  'dispute-settled': 'R21',
};

// The rule whose value a decision computes in an event of this type (a stored value that differs
// breaks it): the amount released, the refunds, the deadlines, the settlement's split.
const COMPUTED_RULE: Partial<Record<JobEvent['type'], RuleId>> = {
  FundsReleased: 'R10',
  FundsRefunded: 'R11',
  ReviewExpired: 'R15',
  DisputeOpened: 'R16',
  SettlementProposed: 'R18',
  DisputeSettled: 'R21',
};

// Where a rejection carries no rule of its own, the rule its code enforces.
const CODE_RULE: Partial<Record<ErrorCode, RuleId>> = {
  NOT_A_PARTY: 'R2',
  NOT_AWARDED: 'R3',
  ALREADY_AWARDED: 'R3',
  UNKNOWN_MILESTONE: 'R6',
  DUPLICATE_ID: 'R5',
  INVALID_INPUT: 'R1',
  JOB_CLOSED: 'R13',
  DISPUTE_OPEN: 'R17',
  MILESTONE_SETTLED: 'R21',
  UNKNOWN_DISPUTE: 'R20',
  DISPUTE_CLOSED: 'R20',
};

function actorFor(state: JobState, role: ActorRole): string {
  const award = state.job.award;
  if (award === null) return '';
  if (role === 'platform') return platformIdOf(award);
  return role === 'client' ? award.clientId : award.freelancerId;
}

/**
 * True for an event only part two writes: from the first one on, the checker requires time to
 * run forward (spec §7), so that stored v1 histories stay valid.
 */
function isPartTwo(event: JobEvent): boolean {
  switch (event.type) {
    case 'JobAwarded':
      return event.data.policy !== undefined || event.data.platformId !== undefined;
    case 'FundsReleased':
      return event.data.fee !== undefined;
    case 'FundsRefunded':
      return event.data.reason === 'dispute-settled';
    case 'ReviewExpired':
    case 'DisputeOpened':
    case 'SettlementProposed':
    case 'DisputeEscalated':
    case 'DisputeWithdrawn':
    case 'DisputeSettled':
      return true;
    default:
      return false;
  }
}

/** The command of a dispute's settlement: how it ended says who issued what (R18, R20). */
function settlementCommand(event: EventOf<'DisputeSettled'>, state: JobState): JobCommand {
  const { disputeId, outcome, by, refund, at } = event.data;
  const actor = actorFor(state, by);
  switch (outcome) {
    case 'agreed':
      return { type: 'AcceptSettlement', actor, at, data: { disputeId, refund } };
    case 'expired':
      return { type: 'ExpireDispute', actor, at, data: { disputeId } };
    case 'ruled':
      return { type: 'ResolveDispute', actor, at, data: { disputeId, refund } };
    default:
      return assertNever(outcome, 'settlement outcome');
  }
}

/**
 * The data of the `AwardJob` an award came from: every field but `at`. Copied key by key, since
 * an object made by rest destructuring (`{ at, ...data }`) is slow to read and to spread: it made
 * each award cost the history checker about 2 µs.
 */
function awardCommandData(award: JobAwarded['data']): AwardJob['data'] {
  const data: Record<string, unknown> = {};
  for (const key of Object.keys(award))
    if (key !== 'at') data[key] = award[key as keyof typeof award];
  return data as AwardJob['data'];
}

/** The command whose decision an event starts, or a refund no decision owes. */
function commandFor(event: JobEvent, state: JobState): JobCommand | FundsRefunded {
  const client = actorFor(state, 'client');
  switch (event.type) {
    case 'JobAwarded': {
      // Every field of the award but its time is the command's (decideAward).
      const { at, clientId } = event.data;
      return { type: 'AwardJob', actor: clientId, at, data: awardCommandData(event.data) };
    }
    case 'TermsProposed': {
      const { proposalId, by, milestones, at } = event.data;
      return {
        type: 'ProposeTerms',
        actor: actorFor(state, by),
        at,
        data: { proposalId, milestones },
      };
    }
    case 'TermsAccepted':
      return {
        type: 'AcceptTerms',
        actor: actorFor(state, event.data.by),
        at: event.data.at,
        data: { proposalId: event.data.proposalId },
      };
    case 'TermsDeclined': {
      const { proposalId, by, reason, at } = event.data;
      return {
        type: 'DeclineTerms',
        actor: actorFor(state, by),
        at,
        data: reason === undefined ? { proposalId } : { proposalId, reason },
      };
    }
    case 'TermsWithdrawn':
      return {
        type: 'WithdrawTerms',
        actor: actorFor(state, event.data.by),
        at: event.data.at,
        data: { proposalId: event.data.proposalId },
      };
    case 'MilestoneFunded': {
      // The amount funded becomes the command's guard: a different remainder is AMOUNT_MISMATCH (R6).
      const { milestoneId, fundingId, amount, source, comment, at } = event.data;
      const data = { milestoneId, fundingId, source, amount };
      return {
        type: 'FundMilestone',
        actor: client,
        at,
        data: comment === undefined ? data : { ...data, comment },
      };
    }
    case 'FundsReleased':
      return {
        type: 'ReleaseFunds',
        actor: client,
        at: event.data.at,
        data: { milestoneId: event.data.milestoneId },
      };
    case 'FundsRefunded':
      // Every other refund is owed by a decision (R8, R9, R21): it can never start one.
      if (event.data.reason !== 'refunded-by-freelancer') return event;
      return {
        type: 'RefundMilestone',
        actor: actorFor(state, 'freelancer'),
        at: event.data.at,
        data: { milestoneId: event.data.milestoneId },
      };
    case 'WorkSubmitted': {
      const { milestoneId, note, at } = event.data;
      return {
        type: 'SubmitWork',
        actor: actorFor(state, 'freelancer'),
        at,
        data: note === undefined ? { milestoneId } : { milestoneId, note },
      };
    }
    case 'ChangesRequested': {
      const { milestoneId, note, at } = event.data;
      return {
        type: 'RequestChanges',
        actor: client,
        at,
        data: note === undefined ? { milestoneId } : { milestoneId, note },
      };
    }
    case 'JobClosed': {
      const { by, reason, at } = event.data;
      return {
        type: 'CloseJob',
        actor: actorFor(state, by),
        at,
        data: reason === undefined ? {} : { reason },
      };
    }
    case 'ReviewExpired': {
      const { milestoneId, by, at } = event.data;
      return { type: 'ExpireReview', actor: actorFor(state, by), at, data: { milestoneId } };
    }
    case 'DisputeOpened': {
      const { disputeId, milestoneId, by, refund, reason, at } = event.data;
      const data = { disputeId, milestoneId, refund };
      return {
        type: 'OpenDispute',
        actor: actorFor(state, by),
        at,
        data: reason === undefined ? data : { ...data, reason },
      };
    }
    case 'SettlementProposed': {
      const { disputeId, by, refund, at } = event.data;
      return {
        type: 'ProposeSettlement',
        actor: actorFor(state, by),
        at,
        data: { disputeId, refund },
      };
    }
    case 'DisputeEscalated': {
      const { disputeId, by, at } = event.data;
      return { type: 'EscalateDispute', actor: actorFor(state, by), at, data: { disputeId } };
    }
    case 'DisputeWithdrawn': {
      const { disputeId, by, at } = event.data;
      return { type: 'WithdrawDispute', actor: actorFor(state, by), at, data: { disputeId } };
    }
    case 'DisputeSettled':
      return settlementCommand(event, state);
    default:
      return assertNever(event, 'event');
  }
}

function sameValue(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (Array.isArray(a))
    return Array.isArray(b) && a.length === b.length && a.every((x, i) => sameValue(x, b[i]));
  if (
    a !== null &&
    b !== null &&
    typeof a === 'object' &&
    typeof b === 'object' &&
    !Array.isArray(b)
  ) {
    const ka = Object.keys(a);
    if (ka.length !== Object.keys(b).length) return false;
    return ka.every(
      (k) =>
        Object.prototype.hasOwnProperty.call(b, k) &&
        sameValue((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]),
    );
  }
  return false;
}

/** True when two events are the same fact (their metadata aside). */
export function sameEvent(a: JobEvent, b: JobEvent): boolean {
  return a.type === b.type && sameValue(a.data, b.data);
}

/**
 * True when a stored event is the event a decision computed: deadlines compared by value
 * (spec §7: `…09:00:00Z` is `…10:00:00+01:00`), a stored release without `fee` read as fee 0
 * (R22: a v1 release).
 */
function sameStored(computed: JobEvent, stored: JobEvent): boolean {
  if (computed.type !== stored.type) return false;
  const data = computed.data as Record<string, unknown>;
  const given = stored.data as Record<string, unknown>;
  const normal: Record<string, unknown> = { ...given };
  for (const key of ['respondBy', 'dueAt'])
    if (typeof data[key] === 'string' && typeof given[key] === 'string')
      if (compareInstants(data[key], given[key]) === 0) normal[key] = data[key];
  if (computed.type === 'FundsReleased' && given['fee'] === undefined) normal['fee'] = 0;
  return sameValue(data, normal);
}

/** The rule a stored event breaks when it differs from the decision's: R22 for a fee alone. */
function ruleOfDifference(computed: JobEvent, stored: JobEvent, otherwise: RuleId): RuleId {
  if (computed.type === 'FundsReleased' && stored.type === 'FundsReleased') {
    const fee = stored.data.fee ?? 0;
    if (
      fee !== computed.data.fee &&
      sameStored(computed, { ...stored, data: { ...stored.data, fee: computed.data.fee ?? 0 } })
    )
      return 'R22';
  }
  return otherwise;
}

function describe(event: JobEvent): string {
  return `${event.type} ${JSON.stringify(event.data)}`;
}

function broken(
  position: number,
  event: JobEvent | undefined,
  rule: RuleId,
  message: string,
  cause?: ErrorCode,
): never {
  const what =
    event === undefined
      ? `after event ${String(position - 1)}`
      : `event ${String(position)} (${event.type})`;
  return fail('INVALID_HISTORY', `${what} breaks ${rule}: ${message}`, {
    rule,
    position,
    ...(event === undefined ? {} : { eventType: event.type }),
    ...(cause === undefined ? {} : { cause }),
  });
}

/**
 * Checks a history event by event. `push` each event in order (it throws `INVALID_HISTORY` at the
 * first bad one, naming its 1-based position and the rule it breaks); `finish` checks that no
 * automatic refund is still owed and returns the frozen state.
 * @category Verifying histories
 */
export interface HistoryChecker {
  /**
   * Checks the next event of the history against the state so far.
   * @throws {@link DomainError} `INVALID_INPUT` (a malformed event) or `INVALID_HISTORY` (a rule
   * broken), with `details.position` (1-based) and, for `INVALID_HISTORY`, `details.rule`.
   */
  push(event: JobEvent): void;
  /** The number of events checked so far. */
  readonly position: number;
  /**
   * The state after the events checked so far, frozen. Cheap to read after every push: the first
   * read freezes the checker's state in place (once, in proportion to the state), and each later
   * read freezes only what the events pushed since then changed, as `evolve` does.
   */
  readonly current: JobState;
  /**
   * Ends the history: checks that no automatic refund is still owed (C4) and returns the frozen
   * state.
   * @throws {@link DomainError} `INVALID_HISTORY` when the history stops inside a decision.
   */
  finish(): JobState;
}

// The checker's private working copy, for the library's own per-event checks (`liveState`).
const LIVE: unique symbol = Symbol('live state');

// A class rather than closures: a checker is made per job, and a replay of many small jobs paid
// for allocating its functions (and for a WeakMap entry per checker) on every one.
class Checker implements HistoryChecker {
  [LIVE]: JobState;
  // The decision in progress: its events from `next` on are owed (they are always refunds).
  private owed: readonly JobEvent[] = [];
  private next = 0;
  // The rule of the decision in progress, for an owed release that differs (R15, R21).
  private cause: RuleId = 'C4';
  // True from the first part-two event on: commands may not go back in time (spec §7).
  private forward = false;
  private at: number;
  // The frozen copy `current` hands out, until the next push.
  private frozen: JobState | undefined = undefined;

  constructor(from: JobState | undefined) {
    this[LIVE] = from === undefined ? emptyState() : workingCopy(from);
    this.at = this[LIVE].version;
    // Going on from a state written by part two: time runs forward already.
    this.forward = from !== undefined && isPartTwoAward(from);
  }

  get position(): number {
    return this.at;
  }

  /** No event of the decision in progress is still owed. */
  get complete(): boolean {
    return this.owed[this.next] === undefined;
  }

  get current(): JobState {
    if (this.frozen === undefined) {
      // Hand out the state itself, frozen in place, and go on folding into a copy-on-write view
      // of it: the next read then freezes only what the pushes in between copied, so reading
      // after every push costs what `evolve` costs, not a copy of the whole state.
      this.frozen = freezeState(this[LIVE]);
      this[LIVE] = changeable(this.frozen);
    }
    return this.frozen;
  }

  private startDecision(event: JobEvent): void {
    const state = this[LIVE];
    const position = this.at;
    const command = commandFor(event, state);
    if (command.type === 'FundsRefunded') {
      const reason = command.data.reason;
      broken(
        position,
        event,
        REFUND_RULE[reason],
        `no decision owes this refund (${reason}); automatic refunds directly follow their cause (C4)`,
      );
    }
    let decided: JobEvent[];
    try {
      decided = decideValid(command, state, this.forward);
    } catch (error) {
      if (!isDomainError(error)) throw error;
      const rule = error.details.rule ?? CODE_RULE[error.code] ?? 'R1';
      return broken(position, event, rule, `${error.code}: ${error.message}`, error.code);
    }
    const first = decided[0];
    // The command was rebuilt from the event, so the decision's first event can differ from it
    // only where decide computes a value: the amount released and its fee, the refunds of
    // RefundMilestone, a deadline, a settlement's split.
    const computed = COMPUTED_RULE[event.type];
    if (first === undefined || (computed !== undefined && !sameStored(first, event))) {
      const rule =
        first === undefined ? (computed ?? 'R1') : ruleOfDifference(first, event, computed ?? 'R1');
      broken(
        position,
        event,
        rule,
        `the decision would be ${first === undefined ? 'nothing' : describe(first)}`,
      );
    }
    this.owed = decided;
    this.cause = computed === 'R15' || computed === 'R21' ? computed : 'C4';
    this.next = 1;
  }

  push(event: JobEvent): void {
    this.frozen = undefined;
    this.at += 1;
    const expected = this.owed[this.next];
    if (expected !== undefined) {
      if (!sameStored(expected, event)) {
        const rule =
          expected.type === 'FundsRefunded'
            ? REFUND_RULE[expected.data.reason]
            : ruleOfDifference(expected, event, this.cause);
        broken(
          this.at,
          event,
          rule,
          `expected ${describe(expected)} here, in the same decision (C4)`,
        );
      }
      this.next += 1;
    } else {
      // From the first part-two event on, time runs forward (spec §7).
      if (!this.forward && isPartTwo(event)) this.forward = true;
      this.startDecision(event);
    }
    applyEvent(this[LIVE] as Draft<JobState>, event);
  }

  finish(): JobState {
    const expected = this.owed[this.next];
    if (expected !== undefined) {
      const rule =
        expected.type === 'FundsRefunded' ? REFUND_RULE[expected.data.reason] : this.cause;
      broken(
        this.at + 1,
        undefined,
        rule,
        `the history ends before the owed ${expected.type === 'FundsRefunded' ? 'refund' : 'event'} ${describe(expected)} (C4)`,
      );
    }
    return freezeState(this[LIVE]);
  }
}

/** True for a job awarded by part two (its award records the policy). */
function isPartTwoAward(state: JobState): boolean {
  return state.job.award?.policy !== undefined;
}

/**
 * Starts checking a history from the empty job, or from a state already checked.
 * @category Verifying histories
 */
export function createHistoryChecker(from?: JobState): HistoryChecker {
  return new Checker(from);
}

/** The state a checker has folded so far, as its private working copy (do not keep or change it). */
export function liveState(checker: HistoryChecker): JobState {
  if (!(checker instanceof Checker))
    throw new TypeError('not a history checker made by createHistoryChecker');
  return checker[LIVE];
}

/** True when the events a checker has taken end a whole decision (no owed event is pending). */
export function decisionComplete(checker: HistoryChecker): boolean {
  if (!(checker instanceof Checker))
    throw new TypeError('not a history checker made by createHistoryChecker');
  return checker.complete;
}

/**
 * Verifies a stored history against every rule and C1–C4 and returns the job's state. Each item
 * may be untrusted JSON: a malformed event is `INVALID_INPUT`, a rule broken is `INVALID_HISTORY`;
 * both name the event's 1-based `position` in `details`.
 *
 * @example
 * ```ts
 * import { isDomainError, verifyHistory } from 'milestone-escrow';
 *
 * const stored: unknown[] = [
 *   { type: 'JobAwarded', data: { jobId: 'logo', title: 'Logo design', clientId: 'clara', freelancerId: 'felix', currency: 'USD', at: '2014-11-03T09:00:00Z' } },
 *   { type: 'FundsReleased', data: { milestoneId: 'm1', amount: 7500, at: '2014-11-03T10:00:00Z' } }, // paid out of nothing
 * ];
 * try {
 *   verifyHistory(stored);
 * } catch (error) {
 *   if (isDomainError(error)) console.log(error.code, error.details.position, error.details.rule); // INVALID_HISTORY 2 …
 * }
 * ```
 * @category Verifying histories
 */
export function verifyHistory(events: Iterable<unknown>): JobState {
  const checker = createHistoryChecker();
  for (const raw of events) {
    let event: JobEvent;
    try {
      event = parseEvent(raw);
    } catch (error) {
      if (error instanceof DomainError) {
        throw new DomainError(
          error.code,
          `event ${String(checker.position + 1)}: ${error.message}`,
          { ...error.details, position: checker.position + 1 },
        );
      }
      throw error;
    }
    checker.push(event);
  }
  return checker.finish();
}
