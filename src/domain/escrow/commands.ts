import * as v from 'valibot';
import {
  commandSchema,
  IdSchema,
  NoteSchema,
  PositiveMoneySchema,
  SourceSchema,
} from '../shared/schema.js';

/** The client funds a milestone's unfunded remainder from one source (R6, R7). */
export const FundMilestoneSchema = commandSchema(
  'FundMilestone',
  v.strictObject({
    milestoneId: IdSchema,
    fundingId: IdSchema,
    source: SourceSchema,
    comment: v.optional(NoteSchema),
    // A guard: the remainder the client expects to pay (`AMOUNT_MISMATCH` otherwise).
    amount: v.optional(PositiveMoneySchema),
  }),
);
/** The client releases a fully funded milestone to the freelancer (R10). */
export const ReleaseFundsSchema = commandSchema(
  'ReleaseFunds',
  v.strictObject({ milestoneId: IdSchema }),
);
/** The freelancer sends a milestone's held money back to its sources (R11). */
export const RefundMilestoneSchema = commandSchema(
  'RefundMilestone',
  v.strictObject({ milestoneId: IdSchema }),
);

/**
 * The `FundMilestone` command: the client funds a milestone's unfunded remainder from one source (R6, R7); `amount`, when given, is a guard.
 * @category Commands
 */
export interface FundMilestone extends v.InferOutput<typeof FundMilestoneSchema> {}
/**
 * The `ReleaseFunds` command: the client releases a fully funded milestone to the freelancer (R10).
 * @category Commands
 */
export interface ReleaseFunds extends v.InferOutput<typeof ReleaseFundsSchema> {}
/**
 * The `RefundMilestone` command: the freelancer sends a milestone's held money back to its sources (R11).
 * @category Commands
 */
export interface RefundMilestone extends v.InferOutput<typeof RefundMilestoneSchema> {}
/** The commands the escrow decider owns. */
export type EscrowCommand = FundMilestone | ReleaseFunds | RefundMilestone;
