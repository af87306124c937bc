/**
 * milestone-escrow: the domain core of milestone escrow, as an event-sourced decider.
 * @packageDocumentation
 * @module milestone-escrow
 */
export { decide, evolve, fold, initialState, jobDecider, type Decider } from './domain/decider.js';
export { parseCommand, JOB_COMMAND_TYPES } from './domain/commands.js';
export type { JobCommand, JobCommandInput, JobCommandType } from './domain/commands.js';
export { parseEvent, freezeEvent, JOB_EVENT_TYPES } from './domain/events.js';
export type { JobEvent, JobEventType, EventOf } from './domain/events.js';
export type { JobState } from './domain/state.js';
export type { JobSlice, ReviewStatus } from './domain/job/state.js';
export type { TermsSlice, Terms, Proposal } from './domain/terms/state.js';
export type { EscrowSlice, EscrowTotals, MilestoneEscrow, Funding } from './domain/escrow/state.js';
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
export { invariantViolations, type InvariantViolation } from './domain/invariants.js';
export { summarize, jobStatus, workMayBegin } from './projections/summary.js';
export type {
  JobSummary,
  JobStatus,
  MilestoneStatus,
  MilestoneSummary,
  ProposedMilestoneSummary,
} from './projections/summary.js';
export {
  formatMoney,
  minorUnitDigits,
  formatDueDate,
  type DateStyle,
} from './projections/format.js';
export { milestoneTable, renderMilestoneTable } from './projections/milestone-table.js';
export type {
  MilestoneTable,
  MilestoneTableRow,
  ProposedMilestoneRow,
  MilestoneTableOptions,
  TableFormat,
} from './projections/milestone-table.js';
export {
  timeline,
  createTimeline,
  type Timeline,
  type TimelineOptions,
} from './projections/timeline.js';
// Read models over many events (ledger, outbox, schedule, closing statement, projections) are
// on `milestone-escrow/projections`.
// The store port as an app uses it; the rest of it (and the helpers for writing a store) is on
// `milestone-escrow/store`.
export type { EventStore, RecordedEvent, EventToAppend, ExpectedVersion } from './store/port.js';
export { createInMemoryEventStore, type InMemoryEventStoreOptions } from './store/memory.js';
export {
  JOB_SNAPSHOT_VERSION,
  createInMemorySnapshotStore,
  serializeState,
  deserializeState,
} from './store/snapshots.js';
export type {
  Snapshot,
  SnapshotStore,
  IdempotencyRecord,
  InMemorySnapshotStoreOptions,
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
export { commandHash } from './handler/idempotency.js';
export {
  createCommandHandler,
  type CommandHandler,
  type CommandHandlerOptions,
  type HandleOptions,
  type HandleResult,
} from './handler/command-handler.js';
