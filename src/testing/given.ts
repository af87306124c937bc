import { decide, fold, initialState } from '../domain/decider.js';
import type { JobCommand, JobCommandInput } from '../domain/commands.js';
import type { JobEvent } from '../domain/events.js';
import { verifyHistory } from '../domain/history.js';
import type { JobState } from '../domain/state.js';
import { appendAll } from '../domain/shared/copies.js';
import {
  DomainError,
  isDomainError,
  type ErrorCode,
  type ErrorDetails,
} from '../domain/shared/errors.js';
import { deepEqual, EscrowAssertionError, lineDiff } from './assertion.js';
import { expectedCode, expectedDetails, expectedEvents, readable } from './expected.js';
import { booleanOption, readOptions } from '../shared/options.js';
import { describe, excerpt, requireEvents, thrownText } from '../domain/shared/parse.js';

/**
 * Given/when/then for the job decider, after Emmett's `DeciderSpecification`:
 * `given(history).when(command).then(expectedEvents)`, or `.thenThrows('NOT_FULLY_FUNDED')`
 * (an example is under {@link given}).
 *
 * Failures throw an {@link EscrowAssertionError} whose message carries a line diff, so the same
 * specification reads well under vitest, jest and node:test.
 */
export interface GivenJob {
  /** Decides `command` against the state the given events fold to. */
  when(command: JobCommandInput | JobCommand): WhenCommand;
}

/** The outcome checks of a specification. */
export interface WhenCommand {
  /**
   * Asserts the command is accepted with exactly these events (in order; `metadata` aside) and
   * returns the job's state after them.
   */
  then(expected: readonly JobEvent[]): JobState;
  /**
   * Asserts the command is rejected with a `DomainError` of this code and, when given, these
   * `details` (each key compared deeply; other keys ignored). Returns the error.
   */
  thenThrows(code: ErrorCode, details?: ErrorDetails): DomainError;
}

/** Options of {@link given}. */
export interface GivenOptions {
  /**
   * Check the given events against every rule with `verifyHistory` first (default `true`), so
   * that a specification can never start from a history `decide` could not have written.
   * `false` folds them unchecked, as `fold` does (a forged history, on purpose, or a long one):
   * an event the fold cannot take is then a `DomainError` with the code, 1-based `position` and
   * `path` a verified `given` names in its assertion error.
   */
  readonly verify?: boolean;
}

function describeCommand(command: JobCommandInput | JobCommand): string {
  // Any value may be given as a command (it is rejected by decide): named, never a TypeError.
  try {
    const { type, actor } = command as { type: unknown; actor: unknown };
    const named = (value: unknown) =>
      typeof value === 'string' ? excerpt(value) : describe(value);
    return `${named(type)} by ${named(actor)}`;
  } catch {
    return describe(command);
  }
}

function strip(events: readonly JobEvent[]): { type: string; data: unknown }[] {
  return events.map((e) => ({ type: e.type, data: e.data }));
}

/**
 * Starts a specification from a job's history (none: the job is not yet awarded). Works under any
 * test runner: a failed expectation throws an `AssertionError` with a diff.
 *
 * @example
 * ```ts
 * import { given, logoDesign } from 'milestone-escrow/testing';
 *
 * const at = '2014-11-05T10:00:00Z';
 * given(logoDesign.stages.accepted.events)
 *   .when({ type: 'ReleaseFunds', actor: logoDesign.clientId, at, data: { milestoneId: 'm1' } })
 *   .then([{ type: 'FundsReleased', data: { milestoneId: 'm1', amount: 7500, fee: 0, at } }]);
 *
 * given(logoDesign.stages.accepted.events)
 *   .when({ type: 'ReleaseFunds', actor: logoDesign.clientId, at, data: { milestoneId: 'm2' } })
 *   .thenThrows('NOT_FULLY_FUNDED', { rule: 'R10' });
 * ```
 */
// eslint-disable-next-line max-lines-per-function -- a factory: it folds the given events, then returns the fluent chain (when, then, thenThrows) as one object literal, each method a few lines.
export function given(events: readonly JobEvent[] = [], options: GivenOptions = {}): GivenJob {
  const read = readOptions(options, ['verify'], 'verify, or none');
  // A bad argument, as every toolkit function refuses one: not a history that fails the rules.
  requireEvents(events, 'events');
  let state: JobState;
  if (!booleanOption(read.verify, 'verify', true)) {
    // Unchecked, as `fold` is (a specification may start from a history decide could not have
    // written): only what the fold cannot take is named, by its code, position and path.
    try {
      state = fold(events);
    } catch (error) {
      if (!isDomainError(error)) throw error;
      throw new DomainError(error.code, `given (verify: false): ${error.message}`, error.details);
    }
  } else {
    try {
      state = verifyHistory(events);
    } catch (error) {
      if (!isDomainError(error)) throw error;
      throw new EscrowAssertionError(
        `given: the history is not one decide could have written: ${error.code}: ${error.message}`,
        { cause: error },
      );
    }
  }
  // Counted by the fold (any iterable is a history; only an array has a length).
  const history = `given ${String(state.version)} event${state.version === 1 ? '' : 's'}`;

  return {
    when(command) {
      const what = `${history}, when ${describeCommand(command)}`;
      let outcome: { events: JobEvent[] } | { error: unknown };
      try {
        outcome = { events: decide(command, state) };
      } catch (error) {
        outcome = { error };
      }
      return {
        then(expected) {
          const wanted = expectedEvents(expected);
          if ('error' in outcome) {
            const { error } = outcome;
            const why = isDomainError(error)
              ? `${error.code}: ${error.message}`
              : thrownText(error);
            throw new EscrowAssertionError(
              `${what}: expected ${String(wanted.length)} event(s), but the command was rejected with ${why}`,
              {
                expected: wanted,
                actual: isDomainError(error) ? error.toJSON() : thrownText(error),
                cause: error,
              },
            );
          }
          const actual = strip(outcome.events);
          if (!readable(() => deepEqual(actual, wanted), 'the expected events', 'expected')) {
            throw new EscrowAssertionError(
              `${what}: the decided events differ from the expected ones (- expected, + decided):\n${lineDiff(wanted, actual)}`,
              { expected: wanted, actual },
            );
          }
          return fold(outcome.events, state);
        },
        thenThrows(code, given) {
          expectedCode(code);
          const details = expectedDetails(given);
          if (!('error' in outcome)) {
            throw new EscrowAssertionError(
              `${what}: expected a DomainError ${code}, but the command was accepted with:\n${lineDiff([], strip(outcome.events))}`,
              { expected: { code }, actual: strip(outcome.events) },
            );
          }
          const { error } = outcome;
          if (!isDomainError(error)) {
            throw new EscrowAssertionError(
              `${what}: expected a DomainError ${code}, but it threw ${thrownText(error)}`,
              { cause: error },
            );
          }
          if (error.code !== code) {
            throw new EscrowAssertionError(
              `${what}: expected a DomainError ${code}, but it was ${error.code}: ${error.message}`,
              {
                expected: { code },
                actual: { code: error.code },
                cause: error,
              },
            );
          }
          if (details !== undefined) {
            const wrong = readable(
              () => Object.keys(details).filter((k) => !deepEqual(error.details[k], details[k])),
              "thenThrows' details",
              'details',
            );
            if (wrong.length > 0) {
              const pick = (from: ErrorDetails): Record<string, unknown> =>
                Object.fromEntries(wrong.map((k) => [k, from[k]]));
              throw new EscrowAssertionError(
                `${what}: ${code} as expected, but its details differ (- expected, + actual):\n${lineDiff(pick(details), pick(error.details))}`,
                { expected: details, actual: error.details, cause: error },
              );
            }
          }
          return error;
        },
      };
    },
  };
}

/** What {@link decideAll} returns: every event of the decisions and the state after them. */
export interface Decided {
  readonly events: JobEvent[];
  readonly state: JobState;
}

/**
 * Decides commands one after another from a state (the job's start by default) and returns all
 * their events and the state after them. A rejected command fails with an
 * {@link EscrowAssertionError} naming its position, so a test setup cannot silently go wrong.
 */
export function decideAll(
  commands: Iterable<JobCommandInput | JobCommand>,
  from: JobState = initialState(),
): Decided {
  requireEvents(commands, 'commands');
  let state = from;
  const events: JobEvent[] = [];
  let position = 0;
  for (const command of commands) {
    position += 1;
    let decided: JobEvent[];
    try {
      decided = decide(command, state);
    } catch (error) {
      if (!isDomainError(error)) throw error;
      throw new EscrowAssertionError(
        `decideAll: command ${String(position)} (${describeCommand(command)}) was rejected: ${error.code}: ${error.message}`,
        { cause: error },
      );
    }
    state = fold(decided, state);
    appendAll(events, decided);
  }
  return { events, state };
}
