/**
 * milestone-escrow: the domain core of milestone escrow, as an event-sourced decider.
 * @packageDocumentation
 * @module milestone-escrow
 */
export { decide, evolve, fold, initialState, jobDecider, type Decider } from './domain/decider.js';
export { parseCommand, JOB_COMMAND_TYPES } from './domain/commands.js';
export type { JobCommand, JobCommandInput, JobCommandType } from './domain/commands.js';
export { parseEvent, JOB_EVENT_TYPES } from './domain/events.js';
export type { JobEvent, JobEventType, EventOf } from './domain/events.js';
export type { JobState } from './domain/state.js';
// The state's parts (slices, terms, disputes, clocks) are on `milestone-escrow/projections`, for
// read models that read a state directly; an app reads it through the readers below.
export type { MilestoneEscrow, Funding } from './domain/escrow/state.js';
export { REFUND_REASONS, type RefundReason } from './domain/escrow/events.js';
export type {
  JobAwarded,
  WorkSubmitted,
  ChangesRequested,
  JobClosed,
} from './domain/job/events.js';
export type {
  TermsProposed,
  TermsAccepted,
  TermsDeclined,
  TermsWithdrawn,
} from './domain/terms/events.js';
export type { MilestoneFunded, FundsReleased, FundsRefunded } from './domain/escrow/events.js';
export type { AwardJob, SubmitWork, RequestChanges, CloseJob } from './domain/job/commands.js';
export type {
  ProposeTerms,
  ProposeTermsInput,
  AcceptTerms,
  DeclineTerms,
  WithdrawTerms,
} from './domain/terms/commands.js';
export type { FundMilestone, ReleaseFunds, RefundMilestone } from './domain/escrow/commands.js';
export type { Milestone, MilestoneInput, Role } from './domain/shared/schema.js';
export type { Money } from './domain/shared/money.js';
export { milestoneMoney, moneyByMilestone } from './projections/state-readers.js';
export {
  DomainError,
  isDomainError,
  ERROR_CODES,
  type ErrorCode,
  type ErrorDetails,
  type RuleId,
} from './domain/shared/errors.js';
export { verifyHistory, createHistoryChecker, type HistoryChecker } from './domain/history.js';
export { summarize } from './projections/summary.js';
export type {
  JobSummary,
  JobStatus,
  MilestoneStatus,
  MilestoneSummary,
  ProposedMilestoneSummary,
} from './projections/summary.js';
// Read models (the milestone table, the timeline, the money and date formats, ledger, outbox,
// schedule, closing statement, projections) are on `milestone-escrow/projections`; the
// conservation laws as a function (`invariantViolations`) on `milestone-escrow/testing`.
// The store port as an app uses it; the rest of it (and the helpers for writing a store) is on
// `milestone-escrow/store`.
export type { EventStore, RecordedEvent, EventToAppend, ExpectedVersion } from './store/port.js';
export { createInMemoryEventStore, type InMemoryEventStoreOptions } from './store/memory.js';
// A snapshot's contents (`Snapshot`, `JOB_SNAPSHOT_VERSION`, `serializeState`, …) are for people
// writing a snapshot store: `milestone-escrow/store`.
export {
  createInMemorySnapshotStore,
  type SnapshotStore,
  type InMemorySnapshotStoreOptions,
} from './store/snapshots.js';
export {
  UpcasterChain,
  upcasterChain,
  createUpcasters,
  currentUpcasters,
} from './upcasting/upcasters.js';
export type {
  Upcasters,
  UpcastOptions,
  StoredEventLike,
  CompleteUpcasterChain,
} from './upcasting/upcasters.js';
export { replay, type ReplayOptions, type ReplayResult, type ReplayUntil } from './replay/fold.js';
export {
  readNdjson,
  readNdjsonLines,
  type NdjsonLine,
  type NdjsonOptions,
} from './replay/ndjson.js';
export { loadJob, type LoadJobOptions, type LoadedJob, type SnapshotUse } from './handler/load.js';
export {
  createCommandHandler,
  type CommandHandler,
  type CommandHandlerOptions,
  type HandleOptions,
  type HandleResult,
} from './handler/command-handler.js';

// Part two (spec §7–§11): the platform, the policy, deadlines, disputes and the service fee.
export {
  deadlines,
  type Deadline,
  type ExpireReviewTimer,
  type ExpireDisputeTimer,
} from './domain/deadlines.js';
export { reviewDueAt } from './domain/review/clock.js';
export { DEFAULT_POLICY, type Policy, type PolicyInput } from './domain/job/policy.js';
export { feeOn, type BasisPoints } from './domain/shared/money.js';
export type { ActorRole } from './domain/shared/schema.js';
export type { ExpireReview } from './domain/review/commands.js';
export type { ReviewExpired } from './domain/review/events.js';
export type {
  OpenDispute,
  ProposeSettlement,
  AcceptSettlement,
  EscalateDispute,
  ExpireDispute,
  ResolveDispute,
  WithdrawDispute,
} from './domain/dispute/commands.js';
export {
  SETTLEMENT_OUTCOMES,
  type SettlementOutcome,
  type DisputeOpened,
  type SettlementProposed,
  type DisputeEscalated,
  type DisputeWithdrawn,
  type DisputeSettled,
} from './domain/dispute/events.js';
export type { DisputeSummary } from './projections/summary.js';
