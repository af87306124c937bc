import type { JobEvent } from '../events.js';
import type { RefundReason } from '../escrow/events.js';
import { fail, type ErrorCode, type RuleId } from '../shared/errors.js';
import { compareInstants } from '../shared/time.js';

/*
 * How the history checker compares a stored event with what a decision computes, and how it
 * names what a history breaks.
 */

/** A decision that owes no event after its first. */
export const NOTHING: readonly JobEvent[] = Object.freeze([]);

/** The rule an automatic refund of each reason follows from. */
export const REFUND_RULE: Record<RefundReason, RuleId> = {
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
export const COMPUTED_RULE: Partial<Record<JobEvent['type'], RuleId>> = {
  FundsReleased: 'R10',
  FundsRefunded: 'R11',
  ReviewExpired: 'R15',
  DisputeOpened: 'R16',
  SettlementProposed: 'R18',
  DisputeSettled: 'R21',
};

// Where a rejection carries no rule of its own, the rule its code enforces.
export const CODE_RULE: Partial<Record<ErrorCode, RuleId>> = {
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

const hasOwn = (o: object, key: string): boolean => Object.prototype.hasOwnProperty.call(o, key);

/**
 * True when two objects have the same own keys, each holding the very same value (`===`): then
 * `sameValue` holds too. False says nothing: `sameValue` decides.
 */
function sameOwnValues(a: Record<string, unknown>, b: Record<string, unknown>): boolean {
  let keys = 0;
  for (const key in a) {
    const x = a[key];
    if (x !== b[key] || !hasOwn(a, key) || !hasOwn(b, key)) return false;
    keys += 1;
  }
  for (const key in b) if (hasOwn(b, key)) keys -= 1;
  return keys === 0;
}

/**
 * True when a stored event is the event a decision computed: deadlines compared by value
 * (spec §7: `…09:00:00Z` is `…10:00:00+01:00`), a stored release without `fee` read as fee 0
 * (R22: a v1 release).
 */
export function sameStored(computed: JobEvent, stored: JobEvent): boolean {
  if (computed.type !== stored.type) return false;
  const data = computed.data as Record<string, unknown>;
  const given = stored.data as Record<string, unknown>;
  // Nearly always the stored values are the computed ones, the very same: said without a copy.
  if (
    sameOwnValues(data, given) &&
    !(computed.type === 'FundsReleased' && given['fee'] === undefined)
  )
    return true;
  const normal: Record<string, unknown> = { ...given };
  for (const key of ['respondBy', 'dueAt'])
    if (typeof data[key] === 'string' && typeof given[key] === 'string')
      if (compareInstants(data[key], given[key]) === 0) normal[key] = data[key];
  if (computed.type === 'FundsReleased' && given['fee'] === undefined) normal['fee'] = 0;
  return sameValue(data, normal);
}

/** The rule a stored event breaks when it differs from the decision's: R22 for a fee alone. */
export function ruleOfDifference(computed: JobEvent, stored: JobEvent, otherwise: RuleId): RuleId {
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

/** An event as a message shows it. */
export function describe(event: JobEvent): string {
  return `${event.type} ${JSON.stringify(event.data)}`;
}

/** Throws `INVALID_HISTORY`: the event at `position` (or the end, after it) breaks `rule`. */
export function broken(
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
