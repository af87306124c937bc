import { applyEvent } from './decider.js';
import { parseFrozenEvent, type JobEvent } from './events.js';
import { emptyState, readState, type JobState } from './state.js';
import { requireEvents } from './shared/parse.js';
import { DomainError, isDomainError, type RuleId } from './shared/errors.js';
import type { Draft } from 'immer';
import { changeable, freezeState, workingCopy } from './freeze-state.js';
import {
  broken,
  CODE_RULE,
  describe,
  NOTHING,
  REFUND_RULE,
  ruleOfDifference,
  sameStored,
} from './history/compare.js';
import { checkEvent } from './history/event.js';
import { kindOf, type EventKind } from './history/kinds.js';

/*
 * The history checker. A legal history is exactly what `decide` would have produced: each event
 * that starts a decision is checked in place against everything its command requires (the checks
 * `decide` makes, shared: history/event.ts), and the events the decision owes after it (the
 * automatic refunds of R8/R9, a settlement's refunds and release) must follow it directly (C4).
 * Where the decision computes a value (an amount released, a deadline, a split), the stored event
 * must hold that value.
 */

/**
 * True for an event only part two writes: from the first one on, the checker requires time to
 * run forward (spec §7), so that stored v1 histories stay valid.
 */
function isPartTwo(event: JobEvent, kind: EventKind | undefined): boolean {
  // Most types tell by themselves (history/kinds.ts); three tell by their data.
  const byType = kind?.partTwo;
  if (byType !== undefined) return byType;
  switch (event.type) {
    case 'JobAwarded':
      return event.data.policy !== undefined || event.data.platformId !== undefined;
    case 'FundsReleased':
      return event.data.fee !== undefined;
    case 'FundsRefunded':
      return event.data.reason === 'dispute-settled';
    default:
      return false;
  }
}

/**
 * Checks a history event by event. `push` each event in order (it throws `INVALID_HISTORY` at the
 * first bad one, naming its 1-based position and the rule it breaks); `finish` checks that no
 * automatic refund is still owed and returns the frozen state.
 * @category Verifying histories
 */
export interface HistoryChecker {
  /**
   * Checks the next event of the history against the state so far. A rejected event leaves the
   * checker as it was: push the right one next.
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

/** A decision in progress: its events from `next` on are owed, and the rule they answer to. */
interface Decision {
  readonly owed: readonly JobEvent[];
  readonly next: number;
  readonly cause: RuleId;
}

// The checker's private working copy, for the library's own per-event checks (`liveState`).
const LIVE: unique symbol = Symbol('live state');

/** The library's own checker, which can also end without freezing the state it holds. */
export interface TrustedChecker extends HistoryChecker {
  /**
   * `finish`'s check, then the state as the checker holds it: not frozen, for a caller that reads
   * it once and lets it go (the CLI's summary). Freezing a long job's state builds its id tables'
   * tries, which was the CLI's peak of memory (bench/RESULTS.md, "Eighth session").
   */
  finishUnfrozen(): JobState;
}

// A class rather than closures: a checker is made per job, and a replay of many small jobs paid
// for allocating its functions (and for a WeakMap entry per checker) on every one.
class Checker implements TrustedChecker {
  [LIVE]: JobState;
  // The decision in progress: its events from `next` on are owed (they are always refunds).
  private owed: readonly JobEvent[] = NOTHING;
  private next = 0;
  // The rule of the decision in progress, for an owed release that differs (R15, R21).
  private cause: RuleId = 'C4';
  // True from the first part-two event on: commands may not go back in time (spec §7).
  private forward = false;
  private at: number;
  // The frozen copy `current` hands out, until the next push.
  private frozen: JobState | undefined = undefined;

  constructor(
    from: JobState | undefined,
    // Whether `push` validates its event: the public checker's does; the library's own callers
    // (verifyHistory, a verified replay, the CLI) hand it events they validated already.
    private readonly validates: boolean,
  ) {
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
    // The state itself, frozen in place; the next push goes on in a copy-on-write view of it.
    this.frozen ??= freezeState(this[LIVE]);
    return this.frozen;
  }

  /**
   * The decision `event` starts, checked: what it owes after it, and from where. Read only: the
   * checker takes it once the event folded (a rejected push leaves the checker as it was).
   */
  private startDecision(
    event: JobEvent,
    kind: EventKind | undefined,
    position: number,
    forward: boolean,
  ): Decision {
    if (event.type === 'FundsRefunded' && event.data.reason !== 'refunded-by-freelancer') {
      // Every other refund is owed by a decision (R8, R9, R21): it can never start one.
      const reason = event.data.reason;
      broken(
        position,
        event,
        REFUND_RULE[reason],
        `no decision owes this refund (${reason}); automatic refunds directly follow their cause (C4)`,
      );
    }
    let decided: readonly JobEvent[];
    try {
      decided = checkEvent(event, kind, this[LIVE], forward);
    } catch (error) {
      if (!isDomainError(error)) throw error;
      const rule = error.details.rule ?? CODE_RULE[error.code] ?? 'R1';
      return broken(position, event, rule, `${error.code}: ${error.message}`, error.code);
    }
    const computed = kind?.computed;
    // The event holds no value the decision computes: what it owes follows it.
    if (computed === undefined) return { owed: decided, next: 0, cause: 'C4' };
    // The decision's first event can differ from the stored one only where decide computes a
    // value: the amount released and its fee, the refunds of RefundMilestone, a deadline, a split.
    const first = decided[0];
    if (first === undefined || !sameStored(first, event)) {
      const rule = first === undefined ? computed : ruleOfDifference(first, event, computed);
      broken(
        position,
        event,
        rule,
        `the decision would be ${first === undefined ? 'nothing' : describe(first)}`,
      );
    }
    return {
      owed: decided,
      next: 1,
      cause: computed === 'R15' || computed === 'R21' ? computed : 'C4',
    };
  }

  push(input: JobEvent): void {
    // Handed out frozen (`current`, `finish`): fold on in a copy-on-write view of it, made only
    // now, so that the next read freezes only what the pushes in between copied (reading after
    // every push costs what `evolve` costs) and a finished history that is never pushed again
    // makes none (a view per finished history cost the checker a third of its speed on 100,000
    // short jobs).
    if (this[LIVE] === this.frozen) this[LIVE] = changeable(this.frozen);
    const position = this.at + 1;
    const event = this.validates ? parsedAt(input, position) : input;
    const expected = this.owed[this.next];
    let decision: Decision | undefined;
    let forward = this.forward;
    if (expected !== undefined) {
      if (!sameStored(expected, event)) {
        const rule =
          expected.type === 'FundsRefunded'
            ? REFUND_RULE[expected.data.reason]
            : ruleOfDifference(expected, event, this.cause);
        broken(
          position,
          event,
          rule,
          `expected ${describe(expected)} here, in the same decision (C4)`,
        );
      }
    } else {
      // One lookup answers what the checks ask of the event's type (history/kinds.ts).
      const kind = kindOf(event);
      // From the first part-two event on, time runs forward (spec §7).
      forward ||= isPartTwo(event, kind);
      decision = this.startDecision(event, kind, position, forward);
    }
    // Checked (and validated: it folds whole), the event folds, then the checker takes it.
    applyEvent(this[LIVE] as Draft<JobState>, event);
    this.frozen = undefined;
    this.at = position;
    this.forward = forward;
    if (decision === undefined) this.next += 1;
    else ({ owed: this.owed, next: this.next, cause: this.cause } = decision);
  }

  finish(): JobState {
    this.requireComplete();
    // As `current` hands it out: a push after it goes on in a view (the state itself frozen in
    // place made the next push a TypeError).
    return this.current;
  }

  finishUnfrozen(): JobState {
    this.requireComplete();
    // After `current` this is the frozen state itself (`push` makes the view): frozen already.
    return this[LIVE];
  }

  private requireComplete(): void {
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
  if (from === undefined) return new Checker(undefined, true);
  // A state that is not one (null, {}, a slice of the wrong kind) was a TypeError here.
  return readState(from, (state) => new Checker(state, true), 'from');
}

/**
 * A checker for events validated already (`parseEvent`'s, `parseOwnEvent`'s): `push` does not
 * validate them again. Not for untrusted input, whose malformed event would be a TypeError here.
 */
export function createTrustedChecker(from?: JobState): TrustedChecker {
  return new Checker(from, false);
}

/**
 * An untrusted event read at a 1-based position: a frozen one checked in place, anything else
 * copied; a malformed one is `INVALID_INPUT` naming the position.
 */
function parsedAt(raw: unknown, position: number): JobEvent {
  try {
    return parseFrozenEvent(raw);
  } catch (error) {
    if (error instanceof DomainError)
      throw new DomainError(error.code, `event ${String(position)}: ${error.message}`, {
        ...error.details,
        position,
      });
    throw error;
  }
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
  // Each event validated once, here: a frozen one in place (nothing can change it), else a copy.
  requireEvents(events);
  const checker = createTrustedChecker();
  for (const raw of events) checker.push(parsedAt(raw, checker.position + 1));
  return checker.finish();
}
