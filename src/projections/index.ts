/**
 * milestone-escrow/projections: read models of job streams, and the machinery to keep your own.
 *
 * - {@link ledger}, {@link trialBalance}, {@link closingStatement}: double-entry bookkeeping of
 *   every movement of money, and what each funding and source came to;
 * - {@link outbox}: the notifications each event owes to the client and the freelancer;
 * - {@link schedule}: what is due when, milestone by milestone;
 * - {@link project}, {@link projectAll}, {@link createProjector}, {@link createGlobalProjector}:
 *   run any {@link Projection} (these, or your own) over one stream or the global order.
 *
 * - {@link milestoneTable}, {@link renderMilestoneTable}, {@link timeline},
 *   {@link createTimeline}, {@link formatMoney}, {@link formatDueDate}: the job as a table and as
 *   a story, in a person's words and currency (the CLI prints these);
 * - {@link jobStatus}, {@link workMayBegin}: two fields of the summary, without the rest;
 * - the state's parts ({@link JobSlice}, {@link TermsSlice}, {@link EscrowSlice},
 *   {@link DisputeSlice}, {@link ReviewSlice}, …), for a read model that reads a state directly.
 *
 * The job's summary ({@link milestone-escrow!summarize}) and the state's money readers are on the main entry.
 * @packageDocumentation
 * @module milestone-escrow/projections
 */
export {
  project,
  projectAll,
  projectAllAsync,
  createProjector,
  createGlobalProjector,
  byStream,
  mapView,
} from './projection.js';
export type {
  Projection,
  ViewOf,
  Projector,
  GlobalProjector,
  StreamEvent,
  ProjectAllOptions,
} from './projection.js';
export { jobStateProjection, summaryProjection } from './job.js';
export {
  schedule,
  scheduleProjection,
  type JobSchedule,
  type ScheduledMilestone,
  type ScheduleOptions,
} from './schedule.js';
export {
  ledger,
  ledgerProjection,
  trialBalance,
  escrowAccount,
  sourceAccount,
  FREELANCER_ACCOUNT,
  PLATFORM_ACCOUNT,
} from './ledger.js';
export type {
  Ledger,
  LedgerAccount,
  LedgerAccumulator,
  LedgerSettlement,
  LedgerTotals,
  Posting,
  PostingKind,
  TrialBalance,
  TrialBalanceLine,
} from './ledger.js';
export { closingStatement, closingStatementProjection } from './closing.js';
export type {
  ClosingStatement,
  FundingStatement,
  FundingMovement,
  SettlementRefund,
  SettlementStatement,
  SourceStatement,
} from './closing.js';
export { outbox, outboxProjection, NOTIFICATION_KINDS } from './outbox.js';
export type {
  Outbox,
  OutboxAccumulator,
  Notification,
  NotificationOf,
  NotificationKind,
  NotificationData,
  Recipient,
  DisputeOffer,
} from './outbox.js';
export { jobStatus, workMayBegin } from './summary.js';
export { formatMoney, minorUnitDigits, formatDueDate, type DateStyle } from './format.js';
export { milestoneTable, renderMilestoneTable } from './milestone-table.js';
export type {
  MilestoneTable,
  MilestoneTableRow,
  ProposedMilestoneRow,
  MilestoneTableOptions,
  TableFormat,
} from './milestone-table.js';
export { timeline, createTimeline, type Timeline, type TimelineOptions } from './timeline.js';
export type { JobSlice, ReviewStatus } from '../domain/job/state.js';
export type { TermsSlice, Terms, Proposal } from '../domain/terms/state.js';
export type { EscrowSlice, EscrowTotals } from '../domain/escrow/state.js';
export type { DisputeSlice, Dispute, DisputeStatus } from '../domain/dispute/state.js';
export type { ReviewSlice, ReviewClock } from '../domain/review/state.js';
