import * as v from 'valibot';
import {
  ChangesRequestedSchema,
  JobAwardedSchema,
  JobClosedSchema,
  WorkSubmittedSchema,
  type ChangesRequested,
  type JobAwarded,
  type JobClosed,
  type WorkSubmitted,
} from './job/events.js';
import {
  TermsAcceptedSchema,
  TermsDeclinedSchema,
  TermsProposedSchema,
  TermsWithdrawnSchema,
  type TermsAccepted,
  type TermsDeclined,
  type TermsProposed,
  type TermsWithdrawn,
} from './terms/events.js';
import {
  FundsRefundedSchema,
  FundsReleasedSchema,
  MilestoneFundedSchema,
  type FundsRefunded,
  type FundsReleased,
  type MilestoneFunded,
} from './escrow/events.js';
import { ReviewExpiredSchema, type ReviewExpired } from './review/events.js';
import {
  DisputeEscalatedSchema,
  DisputeOpenedSchema,
  DisputeSettledSchema,
  DisputeWithdrawnSchema,
  SettlementProposedSchema,
  type DisputeEscalated,
  type DisputeOpened,
  type DisputeSettled,
  type DisputeWithdrawn,
  type SettlementProposed,
} from './dispute/events.js';
import { parserFor } from './shared/parse.js';
import { dataOnly, deepFreeze } from './shared/freeze.js';
import { freezeEvent } from './freeze-event.js';
import { fastVariant, UNSURE } from './shared/fast-parse.js';

/** Every event of a job stream, as one schema keyed by `type`. */
export const JobEventSchema = v.variant(
  'type',
  [
    JobAwardedSchema,
    TermsProposedSchema,
    TermsAcceptedSchema,
    TermsDeclinedSchema,
    TermsWithdrawnSchema,
    MilestoneFundedSchema,
    FundsReleasedSchema,
    FundsRefundedSchema,
    WorkSubmittedSchema,
    ChangesRequestedSchema,
    JobClosedSchema,
    ReviewExpiredSchema,
    DisputeOpenedSchema,
    SettlementProposedSchema,
    DisputeEscalatedSchema,
    DisputeWithdrawnSchema,
    DisputeSettledSchema,
  ],
  'unknown event type',
);

/**
 * Any event of a job stream: `{ type, data, metadata? }`. The union of the named event types, so
 * that hovers and errors name them; a type test checks that it is exactly what
 * the event schema accepts (an event added to the schema and not here fails it).
 * @category Deciding
 */
export type JobEvent =
  | JobAwarded
  | TermsProposed
  | TermsAccepted
  | TermsDeclined
  | TermsWithdrawn
  | MilestoneFunded
  | FundsReleased
  | FundsRefunded
  | WorkSubmitted
  | ChangesRequested
  | JobClosed
  | ReviewExpired
  | DisputeOpened
  | SettlementProposed
  | DisputeEscalated
  | DisputeWithdrawn
  | DisputeSettled;
/**
 * The event types, as a union of strings.
 * @category Deciding
 */
export type JobEventType = JobEvent['type'];
/**
 * The event of one type.
 * @category Deciding
 */
export type EventOf<T extends JobEventType> = Extract<JobEvent, { type: T }>;

/**
 * The event types in the order the spec lists them.
 * @category Deciding
 */
export const JOB_EVENT_TYPES = JobEventSchema.options.map(
  (o) => o.entries.type.literal,
) as readonly JobEventType[];

const checkedJobEventSchema = parserFor(JobEventSchema, 'event');
// Valid events take the compiled fast path; anything it is not sure of goes to valibot.
const fastJobEvent = fastVariant(JobEventSchema);

// The same checks in place, for JSON the library parsed itself (see `parseOwnEvent`).
const ownJobEvent = fastVariant(JobEventSchema, true);

/** The validated copy of an event, by the fast path when it is sure, else by the schema. */
function validEvent(input: unknown): JobEvent {
  let fast: unknown;
  try {
    fast = fastJobEvent(input);
  } catch {
    // A getter or a proxy threw while the fast path read the input: the checked parser says why.
    fast = UNSURE;
  }
  return fast === UNSURE ? checkedJobEventSchema(input) : (fast as JobEvent);
}

/**
 * Validates untrusted JSON as a job event (a stored history, a line of NDJSON).
 * Throws `INVALID_INPUT` naming the path of the first problem.
 * @category Deciding
 */
export function parseEvent(input: unknown): JobEvent {
  // The parser's data is a fresh copy: frozen, a fold can share it instead of copying it. The
  // metadata's values are the caller's (the schema does not look inside them): left as they are.
  const event = validEvent(input);
  deepFreeze(event.data);
  if (event.metadata !== undefined) Object.freeze(event.metadata);
  return Object.freeze(event);
}

/**
 * Validates an event the library parsed from JSON itself (a line of a file the CLI reads), which
 * nobody else holds: a valid one is frozen in place and returned rather than copied (`parseEvent`
 * copies, because its input is the caller's). Anything the in-place check is not sure of goes
 * through `parseEvent`, so the result and every error are the same as `parseEvent`'s.
 */
export function parseOwnEvent(input: unknown): JobEvent {
  if (ownJobEvent(input) === input) return freezeEvent(input as JobEvent);
  return parseEvent(input);
}

/**
 * Validates an event that is frozen already (an event from `decide`, `parseEvent` or a store,
 * checked again by `verifyHistory`): a valid one is checked in place and returned as it is, since
 * nothing can change it, rather than copied. Anything else (not frozen, or anything the in-place
 * check is not sure of, or whose reading throws) goes through `parseEvent`, so the result and
 * every error are `parseEvent`'s. Nothing of the caller's is frozen here.
 */
export function parseFrozenEvent(input: unknown): JobEvent {
  try {
    // Without accessors: a getter read once by the check could read otherwise in the fold.
    if (
      isFrozenRecord(input) &&
      isFrozenRecord((input as { data?: unknown }).data) &&
      ownJobEvent(input) === input &&
      dataOnly(input)
    )
      return input as JobEvent;
  } catch {
    // A getter or a proxy threw (`Object.isFrozen` of a revoked one too): the checked parser
    // says why.
  }
  return parseEvent(input);
}

function isFrozenRecord(value: unknown): boolean {
  return typeof value === 'object' && value !== null && Object.isFrozen(value);
}
