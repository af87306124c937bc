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
 * True when a stored event is the event a decision computed: instants (`at`, the deadlines)
 * compared by value (spec §7: `…09:00:00Z` is `…10:00:00+01:00`, for the history checker too: the
 * events a decision owes may write its instant another way), a stored release without `fee` read
 * as fee 0 (R22: a v1 release). Field by field, without a normalised copy of the stored data: a release
 * or a refund is compared with its decision's in every checked replay.
 */
export function sameStored(computed: JobEvent, stored: JobEvent): boolean {
  if (computed.type !== stored.type) return false;
  const data = computed.data as Record<string, unknown>;
  const given = stored.data as Record<string, unknown>;
  const feeless = computed.type === 'FundsReleased' && given['fee'] === undefined;
  // The stored fields, a fee read as 0 among them: as many as the computed ones, and each equal.
  let fields = feeless && !hasOwn(given, 'fee') ? 1 : 0;
  for (const key in given) if (hasOwn(given, key)) fields += 1;
  for (const key in data) {
    if (!hasOwn(data, key)) continue;
    fields -= 1;
    const want = data[key];
    let have: unknown;
    if (feeless && key === 'fee') have = 0;
    else if (hasOwn(given, key)) have = given[key];
    else return false;
    if (want === have) continue;
    if (
      (key === 'at' || key === 'respondBy' || key === 'dueAt') &&
      typeof want === 'string' &&
      typeof have === 'string' &&
      compareInstants(want, have) === 0
    )
      continue;
    if (!sameValue(want, have)) return false;
  }
  return fields === 0;
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
