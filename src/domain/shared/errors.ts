/**
 * Every stable error code a command, a history or a store can fail with.
 * The first nineteen are the spec's (§4); `NOTHING_TO_REFUND` and `NOTHING_SUBMITTED` close gaps
 * it leaves open (see docs/decisions.md); `IDEMPOTENCY_KEY_REUSED` is the command handler's (an
 * idempotency key sent again with a different command, see docs/app.md); the last eleven are
 * part two's (spec §11: deadlines, disputes, settled milestones).
 * @category Errors
 */
export const ERROR_CODES = [
  'INVALID_INPUT',
  'NOT_A_PARTY',
  'FORBIDDEN',
  'NOT_AWARDED',
  'ALREADY_AWARDED',
  'NO_PENDING_PROPOSAL',
  'PROPOSAL_MISMATCH',
  'PROPOSAL_PENDING',
  'UNKNOWN_MILESTONE',
  'DUPLICATE_ID',
  'MILESTONE_RELEASED',
  'NOTHING_TO_FUND',
  'AMOUNT_MISMATCH',
  'NOT_FULLY_FUNDED',
  'ALREADY_RELEASED',
  'FUNDS_HELD',
  'JOB_CLOSED',
  'INVALID_HISTORY',
  'CONCURRENCY_CONFLICT',
  'NOTHING_TO_REFUND',
  'NOTHING_SUBMITTED',
  'IDEMPOTENCY_KEY_REUSED',
  'TOO_EARLY',
  'REVIEW_NOT_RUNNING',
  'NOTHING_HELD',
  'DISPUTE_OPEN',
  'INVALID_SETTLEMENT',
  'SETTLEMENT_MISMATCH',
  'DISPUTE_ESCALATED',
  'DISPUTE_NOT_ESCALATED',
  'UNKNOWN_DISPUTE',
  'DISPUTE_CLOSED',
  'MILESTONE_SETTLED',
] as const;

/**
 * A stable, machine-readable reason for a rejection.
 * @category Errors
 */
export type ErrorCode = (typeof ERROR_CODES)[number];

/**
 * The rule of the spec (R1–R22, C1–C5) a rejection enforces, when there is one.
 * @category Errors
 */
export type RuleId =
  | 'R1'
  | 'R2'
  | 'R3'
  | 'R4'
  | 'R5'
  | 'R6'
  | 'R7'
  | 'R8'
  | 'R9'
  | 'R10'
  | 'R11'
  | 'R12'
  | 'R13'
  | 'R14'
  | 'R15'
  | 'R16'
  | 'R17'
  | 'R18'
  | 'R19'
  | 'R20'
  | 'R21'
  | 'R22'
  | 'C1'
  | 'C2'
  | 'C3'
  | 'C4'
  | 'C5';

/**
 * Structured facts about a rejection: the offending ids, the rule, the input path.
 * @category Errors
 */
export interface ErrorDetails {
  readonly rule?: RuleId;
  readonly path?: string;
  readonly [key: string]: unknown;
}

/**
 * The one error the library throws for a rejected command, an invalid input or a broken
 * history. `code` is stable API; `message` is for people; `details` names what was wrong.
 *
 * @example
 * ```ts
 * import { decide, initialState, isDomainError } from 'milestone-escrow';
 *
 * try {
 *   decide({ type: 'CloseJob', actor: 'clara', at: '2014-11-03T09:00:00Z', data: {} }, initialState());
 * } catch (error) {
 *   if (!isDomainError(error)) throw error;
 *   console.log(error.code, error.details); // NOT_AWARDED { command: 'CloseJob' }
 *   console.log(JSON.stringify(error)); // {"code":"NOT_AWARDED","message":"…","details":{…}}: an HTTP body
 * }
 * ```
 * @category Errors
 */
export class DomainError extends Error {
  override readonly name = 'DomainError';
  readonly code: ErrorCode;
  readonly details: ErrorDetails;

  /**
   * @throws {@link DomainError} `INVALID_INPUT` (naming `code`, `message` or `details`) for a code
   * or a message that is not a string, or details that are not an object whose fields can be read: an error that could not be printed or sent as JSON would hide the
   * one it reports.
   */
  constructor(code: ErrorCode, message: string, details: ErrorDetails = {}) {
    const read = errorFields(code, message, details);
    super(read.message);
    this.code = read.code;
    this.details = read.details;
  }

  /** A plain JSON shape of the error, for HTTP responses and logs. */
  toJSON(): { code: ErrorCode; message: string; details: ErrorDetails } {
    return { code: this.code, message: this.message, details: this.details };
  }
}

/** A value named in a message about a DomainError's own arguments (no quoting helper: a cycle). */
function named(value: unknown): string {
  return typeof value === 'string' ? JSON.stringify(value.slice(0, 60)) : typeof value;
}

function badArgument(path: string, rule: string, value: unknown): DomainError {
  return new DomainError(
    'INVALID_INPUT',
    `a DomainError's ${path} must be ${rule}, not ${named(value)}`,
    {
      path,
    },
  );
}

/**
 * A DomainError's arguments, checked, and its details read once into a plain copy: a getter or
 * proxy in `details` could otherwise throw (or answer otherwise) when the error is logged, read
 * or sent as JSON, far from where it was made.
 */
function errorFields(
  code: unknown,
  message: unknown,
  details: unknown,
): { code: ErrorCode; message: string; details: ErrorDetails } {
  // Any string: a DomainError re-thrown from another copy of the package may carry a newer code.
  if (typeof code !== 'string') throw badArgument('code', 'a string (one of ERROR_CODES)', code);
  if (typeof message !== 'string') throw badArgument('message', 'a string', message);
  if (typeof details !== 'object' || details === null)
    throw badArgument('details', 'an object', details);
  try {
    return { code: code as ErrorCode, message, details: { ...details } };
  } catch {
    throw badArgument('details', 'an object whose fields can be read', details);
  }
}

/**
 * True when `error` is a {@link DomainError} (also across duplicated package copies).
 * @category Errors
 */
export function isDomainError(error: unknown): error is DomainError {
  try {
    if (error instanceof DomainError) return true;
    return (
      typeof error === 'object' &&
      error !== null &&
      (error as { name?: unknown }).name === 'DomainError' &&
      typeof (error as { code?: unknown }).code === 'string'
    );
  } catch {
    // A proxy (revoked, or whose getPrototypeOf trap throws: `instanceof` asks it) or a getter
    // that throws is no DomainError (a `catch` asking must not throw).
    return false;
  }
}

/** Throws a {@link DomainError}: the one way the domain rejects. */
export function fail(code: ErrorCode, message: string, details: ErrorDetails = {}): never {
  throw new DomainError(code, message, details);
}
