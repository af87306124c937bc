import type { JobCommand } from '../commands.js';
import type { JobEvent } from '../events.js';
import type { RuleId } from '../shared/errors.js';
import type { ActorRole, Role } from '../shared/schema.js';

/*
 * What the history checker asks of each event type, answered by one lookup per event. A stored
 * event's `type` comes from JSON and is not an interned string, so each case a `switch` on it
 * passes is a call comparing strings: asking of every event whether part two wrote it, which
 * command it records, whose, and whether decide computes a value in it took two dozen of them,
 * about a tenth of the checker's time on realistic jobs.
 */

type EventOf<T extends JobEvent['type']> = Extract<JobEvent, { type: T }>;

// Where an event names its party (`by`), the table names none; elsewhere the type fixes it.
type FixedRole<T extends JobEvent['type']> = T extends JobEvent['type']
  ? EventOf<T>['data'] extends { readonly by: ActorRole }
    ? undefined
    : Role
  : never;

/** What the checker knows of the event type `T`. */
interface KindOf<T extends JobEvent['type']> {
  /**
   * The command whose decision starts with such an event. A settlement's depends on its outcome
   * (`commandOf`): the table names the ruling's.
   */
  readonly command: JobCommand['type'];
  /** The party whose command it records, where the type fixes it (otherwise the event's `by`). */
  readonly role: FixedRole<T>;
  /** The rule whose value decide computes in such an event: a stored value that differs breaks it. */
  readonly computed: RuleId | undefined;
  /** Whether only part two writes such events; `undefined` where its data tells (`isPartTwo`). */
  readonly partTwo: boolean | undefined;
}

type Kinds = { readonly [T in JobEvent['type']]: KindOf<T> };

/** What the checker knows of an event type (of any). */
export type EventKind = Kinds[JobEvent['type']];

/** Every event type's kind. */
const EVENT_KINDS: Kinds = {
  JobAwarded: { command: 'AwardJob', role: 'client', computed: undefined, partTwo: undefined },
  TermsProposed: { command: 'ProposeTerms', role: undefined, computed: undefined, partTwo: false },
  TermsAccepted: { command: 'AcceptTerms', role: undefined, computed: undefined, partTwo: false },
  TermsDeclined: { command: 'DeclineTerms', role: undefined, computed: undefined, partTwo: false },
  TermsWithdrawn: {
    command: 'WithdrawTerms',
    role: undefined,
    computed: undefined,
    partTwo: false,
  },
  MilestoneFunded: {
    command: 'FundMilestone',
    role: 'client',
    computed: undefined,
    partTwo: false,
  },
  // The amount released and its fee.
  FundsReleased: { command: 'ReleaseFunds', role: 'client', computed: 'R10', partTwo: undefined },
  // The refunds of RefundMilestone, source by source.
  FundsRefunded: {
    command: 'RefundMilestone',
    role: 'freelancer',
    computed: 'R11',
    partTwo: undefined,
  },
  WorkSubmitted: { command: 'SubmitWork', role: 'freelancer', computed: undefined, partTwo: false },
  ChangesRequested: {
    command: 'RequestChanges',
    role: 'client',
    computed: undefined,
    partTwo: false,
  },
  JobClosed: { command: 'CloseJob', role: undefined, computed: undefined, partTwo: false },
  // The release the expiry owes.
  ReviewExpired: { command: 'ExpireReview', role: undefined, computed: 'R15', partTwo: true },
  // The dispute's deadline.
  DisputeOpened: { command: 'OpenDispute', role: undefined, computed: 'R16', partTwo: true },
  // The split's amounts and the deadline of the answer.
  SettlementProposed: {
    command: 'ProposeSettlement',
    role: undefined,
    computed: 'R18',
    partTwo: true,
  },
  DisputeEscalated: {
    command: 'EscalateDispute',
    role: undefined,
    computed: undefined,
    partTwo: true,
  },
  DisputeWithdrawn: {
    command: 'WithdrawDispute',
    role: undefined,
    computed: undefined,
    partTwo: true,
  },
  // The split that settles it.
  DisputeSettled: { command: 'ResolveDispute', role: undefined, computed: 'R21', partTwo: true },
};

// A Map, not the object: a type such as `toString` finds nothing in it.
const KINDS = new Map<string, EventKind>(Object.entries(EVENT_KINDS));

/**
 * The kind of an event's type; `undefined` for a type that is no event's (an untyped caller's):
 * the checker then fails as an exhaustive `switch` would.
 */
export function kindOf(event: JobEvent): EventKind | undefined {
  return KINDS.get(event.type);
}
