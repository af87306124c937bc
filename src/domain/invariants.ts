import { tableEntries } from './shared/table.js';
import { readState, type JobState } from './state.js';
import { milestoneIn } from './terms/state.js';
import { isSettled, type MilestoneEscrow } from './escrow/state.js';
import { policyOf } from './job/policy.js';
import { feeOn } from './shared/money.js';

/**
 * One broken conservation law found in a state.
 * @category Verifying histories
 */
export interface InvariantViolation {
  readonly rule: 'C1' | 'C2' | 'C3' | 'C4' | 'C5';
  readonly message: string;
  readonly milestoneId?: string;
}

/**
 * Checks the money conservation laws on a state and lists what is broken (empty when none):
 * - C1 funded = held + released + refunded, per funding, per milestone and in total;
 * - C2 `0 ≤ held ≤ amount` for every active milestone; a released one has `released = amount`, `held = 0`;
 * - C3 no funding refunded more than it paid in, and no amount is negative;
 * - C4 no money is held where no refund could still be owed: only active milestones and the
 *   pending proposal's new milestones hold money;
 * - C5 the platform's fees: a milestone is released once at most (wholly, or by its settlement),
 *   so its fees are R22's fee on what it released; the job's fees are their sum, never more than
 *   `released`. A settled milestone (R21) holds nothing and released at most its amount (C2).
 *
 * @example
 * ```ts
 * import { decide, fold, type JobEvent } from 'milestone-escrow';
 * import { invariantViolations } from 'milestone-escrow/testing';
 *
 * const at = '2014-11-03T09:00:00Z';
 * const events: JobEvent[] = decide({ type: 'AwardJob', actor: 'clara', at, data: { jobId: 'logo', title: 'Logo design', clientId: 'clara', freelancerId: 'felix', currency: 'USD' } }, fold([]));
 * console.log(invariantViolations(fold(events))); // [] — run it after every event in your own property tests
 * ```
 * @category Verifying histories
 */
export function invariantViolations(state: JobState): InvariantViolation[] {
  return readState(state, violationsOf);
}

/** {@link invariantViolations} of a state the library made (unchecked: a snapshot's load checks it). */
export function violationsOf(state: JobState): InvariantViolation[] {
  const found: InvariantViolation[] = [];
  const sums = { funded: 0, held: 0, released: 0, refunded: 0, fees: 0 };
  const bps = policyOf(state.job.award).serviceFeeBps;
  for (const [milestoneId, m] of tableEntries(state.escrow.milestones)) {
    const report: Report = (rule, message) => found.push({ rule, milestoneId, message });
    checkFundings(milestoneId, m, report);
    checkMilestoneMoney(milestoneId, m, bps, report);
    checkWhereHeld(state, milestoneId, m, report);
    sums.funded += m.funded;
    sums.held += m.held;
    sums.released += m.released;
    sums.refunded += m.refunded;
    sums.fees += m.fees;
  }
  const t = state.escrow.totals;
  if (
    t.funded !== sums.funded ||
    t.held !== sums.held ||
    t.released !== sums.released ||
    t.refunded !== sums.refunded
  ) {
    found.push({ rule: 'C1', message: 'the job totals disagree with the milestones' });
  }
  if (t.funded !== t.held + t.released + t.refunded)
    found.push({ rule: 'C1', message: 'total funded ≠ held + released + refunded' });
  if (t.fees !== sums.fees || t.fees > t.released)
    found.push({ rule: 'C5', message: "the job's fees are not its releases' fees" });
  return found;
}

/** Records one broken law of the milestone being checked. */
type Report = (rule: InvariantViolation['rule'], message: string) => void;

/** C1 and C3 on each funding, and C1 between the fundings and the milestone's balances. */
function checkFundings(milestoneId: string, m: MilestoneEscrow, report: Report): void {
  let funded = 0;
  let held = 0;
  let released = 0;
  let refunded = 0;
  for (const f of m.fundings) {
    if (f.held < 0 || f.released < 0 || f.refunded < 0)
      report('C3', `funding ${f.fundingId} has a negative balance`);
    if (f.held + f.released + f.refunded !== f.amount)
      report('C1', `funding ${f.fundingId}: ${String(f.amount)} ≠ held + released + refunded`);
    if (f.refunded > f.amount)
      report(
        'C3',
        `funding ${f.fundingId} refunded ${String(f.refunded)} of ${String(f.amount)} paid in`,
      );
    funded += f.amount;
    held += f.held;
    released += f.released;
    refunded += f.refunded;
  }
  if (funded !== m.funded || held !== m.held || released !== m.released || refunded !== m.refunded)
    report('C1', `milestone ${milestoneId}: its balances disagree with its fundings`);
}

/** C1 on the milestone's own balances, and C5: its fees are R22's on what it released. */
function checkMilestoneMoney(
  milestoneId: string,
  m: MilestoneEscrow,
  bps: number,
  report: Report,
): void {
  if (m.funded !== m.held + m.released + m.refunded)
    report('C1', `milestone ${milestoneId}: funded ≠ held + released + refunded`);
  if (m.fees < 0 || m.fees > m.released || m.fees !== feeOn(m.released, bps))
    report(
      'C5',
      `milestone ${milestoneId}: fees ${String(m.fees)} on ${String(m.released)} released are not R22's`,
    );
}

/**
 * C2 for an active milestone (it holds at most its amount; released wholly, or by its settlement
 * at most its amount), C2 and C4 for any other (nothing released; money held only for the
 * pending proposal).
 */
function checkWhereHeld(
  state: JobState,
  milestoneId: string,
  m: MilestoneEscrow,
  report: Report,
): void {
  const term = milestoneIn(state.terms.active, milestoneId);
  if (term === undefined) {
    if (m.released > 0) report('C2', `milestone ${milestoneId} was released but is not active`);
    if (m.held > 0 && milestoneIn(state.terms.pending, milestoneId) === undefined)
      report(
        'C4',
        `milestone ${milestoneId} holds ${String(m.held)} that is owed back to its sources`,
      );
    return;
  }
  if (m.held < 0 || m.held > term.amount)
    report('C2', `milestone ${milestoneId} holds ${String(m.held)} of ${String(term.amount)}`);
  if (isSettled(state.escrow, milestoneId)) {
    if (m.held !== 0 || m.released > term.amount)
      report(
        'C2',
        `settled milestone ${milestoneId} still holds money or released more than its amount`,
      );
  } else if (m.released > 0 && (m.released !== term.amount || m.held !== 0)) {
    report('C2', `released milestone ${milestoneId} is not paid exactly and wholly`);
  }
}
