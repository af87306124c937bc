import type { JobEvent } from '../domain/events.js';
import {
  createHistoryChecker,
  decisionComplete,
  liveState,
  verifyHistory,
} from '../domain/history.js';
import { invariantViolations, type InvariantViolation } from '../domain/invariants.js';
import type { JobState } from '../domain/state.js';
import { isDomainError } from '../domain/shared/errors.js';
import { EscrowAssertionError } from './assertion.js';
import { readOptions } from '../shared/options.js';
import { requireEvents } from '../domain/shared/parse.js';

export { verifyHistory };

/** A conservation law of the spec (§2). */
export type InvariantRule = InvariantViolation['rule'];

/** The conservation laws, C1–C5 (C5: the platform's fees, spec §10). */
export const INVARIANT_RULES: readonly InvariantRule[] = ['C1', 'C2', 'C3', 'C4', 'C5'];

/**
 * The laws that hold after every single event, even in the middle of a decision. C2 and C4 hold
 * after every whole decision: between `TermsAccepted` and the refunds it owes, a reduced
 * milestone holds more than its new amount, and a declined proposal's prefunds are owed back.
 */
export const EVERY_EVENT_RULES: readonly InvariantRule[] = ['C1', 'C3', 'C5'];

/** Options of {@link assertInvariants}. */
export interface AssertInvariantsOptions {
  /** Check only these laws (default: all of them). */
  readonly rules?: readonly InvariantRule[];
  /** Says where the state comes from in the failure message, e.g. `after event 12`. */
  readonly where?: string;
}

/** The failure {@link assertInvariants} throws: the broken law and every violation found. */
export class InvariantAssertionError extends EscrowAssertionError {
  readonly rule: InvariantRule;
  readonly violations: readonly InvariantViolation[];

  constructor(message: string, violations: readonly InvariantViolation[]) {
    super(message, { expected: [], actual: violations });
    const first = violations[0];
    this.rule = first === undefined ? 'C1' : first.rule;
    this.violations = violations;
  }
}

/**
 * Asserts the money conservation laws C1–C4 on a job's state; throws an
 * {@link InvariantAssertionError} naming the first violation (all of them in `violations`).
 * For a user's own property tests: `assertInvariants(fold(events))`.
 */
export function assertInvariants(state: JobState, options: AssertInvariantsOptions = {}): void {
  const read = readOptions(options, ['rules', 'where'], 'rules or where, or none');
  const rules = read.rules ?? INVARIANT_RULES;
  const violations = invariantViolations(state).filter((v) => rules.includes(v.rule));
  const first = violations[0];
  if (first === undefined) return;
  const where = read.where === undefined ? '' : ` ${read.where}`;
  const more = violations.length > 1 ? ` (and ${String(violations.length - 1)} more)` : '';
  throw new InvariantAssertionError(
    `${first.rule} broken${where}: ${first.message}${more}`,
    violations,
  );
}

/**
 * Asserts that a history is legal and conserves money all along: it is checked against every
 * rule as `verifyHistory` does, C1 and C3 are asserted after every event and all of C1–C4 after
 * every whole decision. Returns the final state.
 */
export function assertHistory(events: Iterable<JobEvent>): JobState {
  requireEvents(events);
  const checker = createHistoryChecker();
  const legal = <T>(step: () => T): T => {
    try {
      return step();
    } catch (error) {
      if (!isDomainError(error)) throw error;
      throw new EscrowAssertionError(`the history is not legal: ${error.message}`, {
        cause: error,
      });
    }
  };
  for (const event of events) {
    legal(() => checker.push(event));
    // The events a decision owes (refunds, a settlement's release) follow their cause: all the
    // laws hold once none is owed, C1, C3 and C5 after every event.
    assertInvariants(liveState(checker), {
      ...(decisionComplete(checker) ? {} : { rules: EVERY_EVENT_RULES }),
      where: `after event ${String(checker.position)}`,
    });
  }
  const final = legal(() => checker.finish());
  assertInvariants(final, { where: 'at the end of the history' });
  return final;
}
