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
 * The job's own summary, milestone table and timeline are on the main entry.
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
