/**
 * milestone-escrow: the domain core of milestone escrow, as an event-sourced decider.
 * @packageDocumentation
 * @module milestone-escrow
 */
export { decide, evolve, fold, initialState, jobDecider, type Decider } from './domain/decider.js';
export { parseCommand, JobCommandSchema, JOB_COMMAND_TYPES } from './domain/commands.js';
export type { JobCommand, JobCommandInput, JobCommandType, CommandOf } from './domain/commands.js';
export { parseEvent, freezeEvent, JobEventSchema, JOB_EVENT_TYPES } from './domain/events.js';
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
export { isCalendarDate, isInstant } from './domain/shared/schema.js';
export type { Money } from './domain/shared/money.js';
export type { IdRecord } from './domain/shared/records.js';
export {
  tableGet,
  tableHas,
  tableEntries,
  tableKeys,
  type IdTable,
} from './domain/shared/table.js';
export {
  DomainError,
  isDomainError,
  ERROR_CODES,
  type ErrorCode,
  type ErrorDetails,
  type RuleId,
} from './domain/shared/errors.js';
export {
  verifyHistory,
  createHistoryChecker,
  sameEvent,
  type HistoryChecker,
} from './domain/history.js';
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
export {
  project,
  projectAll,
  projectAllAsync,
  createProjector,
  createGlobalProjector,
  byStream,
  mapView,
} from './projections/projection.js';
export type {
  Projection,
  ViewOf,
  Projector,
  GlobalProjector,
  StreamEvent,
  ProjectAllOptions,
} from './projections/projection.js';
export { jobStateProjection, summaryProjection } from './projections/job.js';
export {
  schedule,
  scheduleProjection,
  type JobSchedule,
  type ScheduledMilestone,
  type ScheduleOptions,
} from './projections/schedule.js';
export {
  ledger,
  ledgerProjection,
  trialBalance,
  escrowAccount,
  sourceAccount,
  FREELANCER_ACCOUNT,
} from './projections/ledger.js';
export type {
  Ledger,
  LedgerAccount,
  LedgerAccumulator,
  LedgerTotals,
  Posting,
  PostingKind,
  TrialBalance,
  TrialBalanceLine,
} from './projections/ledger.js';
export {
  closingStatement,
  closingStatementOf,
  closingStatementProjection,
} from './projections/closing.js';
export type {
  ClosingStatement,
  FundingStatement,
  FundingMovement,
  SourceStatement,
} from './projections/closing.js';
export { outbox, outboxProjection, NOTIFICATION_KINDS } from './projections/outbox.js';
export type {
  Outbox,
  OutboxAccumulator,
  Notification,
  NotificationOf,
  NotificationKind,
  NotificationData,
  Recipient,
} from './projections/outbox.js';
export type {
  EventStore,
  RecordedEvent,
  RecordedMetadata,
  EventToAppend,
  ExpectedVersion,
  AppendResult,
  ReadStreamOptions,
  ReadAllOptions,
} from './store/port.js';
export {
  InMemoryEventStore,
  createInMemoryEventStore,
  type InMemoryEventStoreOptions,
} from './store/memory.js';
export {
  checkAppend,
  checkExpectedVersion,
  concurrencyConflict,
  versionMatches,
} from './store/append-rules.js';
export {
  JOB_SNAPSHOT_VERSION,
  InMemorySnapshotStore,
  createInMemorySnapshotStore,
  serializeState,
  deserializeState,
  stateFromJson,
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
export {
  replay,
  createReplayer,
  type ReplayOptions,
  type ReplayResult,
  type ReplayUntil,
  type Replayer,
} from './replay/fold.js';
export {
  readNdjson,
  readNdjsonLines,
  type NdjsonLine,
  type NdjsonOptions,
} from './replay/ndjson.js';
export {
  loadJob,
  type LoadJobOptions,
  type LoadedJob,
  type SnapshotUse,
  type HandlerMetadata,
} from './handler/load.js';
export { commandHash } from './handler/idempotency.js';
export {
  createCommandHandler,
  type CommandHandler,
  type CommandHandlerOptions,
  type HandleOptions,
  type HandleResult,
} from './handler/command-handler.js';
