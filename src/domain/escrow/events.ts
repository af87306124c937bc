import * as v from 'valibot';
import {
  eventSchema,
  IdSchema,
  InstantSchema,
  MoneySchema,
  NoteSchema,
  PositiveMoneySchema,
  SourceSchema,
} from '../shared/schema.js';

/**
 * Why money went back to its source (spec §3).
 * @category Events
 */
export const REFUND_REASONS = [
  'terms-declined',
  'terms-withdrawn',
  'terms-superseded',
  'milestone-deleted',
  'milestone-reduced',
  'refunded-by-freelancer',
  'dispute-settled',
] as const;
export const RefundReasonSchema = v.picklist(REFUND_REASONS);
/**
 * Why money went back to its source.
 * @useDeclaredType
 * @category Events
 */
export type RefundReason = v.InferOutput<typeof RefundReasonSchema>;

/** The client deposited a milestone's unfunded remainder into escrow from one source (R6, R7). */
export const MilestoneFundedSchema = eventSchema(
  'MilestoneFunded',
  v.strictObject({
    milestoneId: IdSchema,
    fundingId: IdSchema,
    amount: PositiveMoneySchema,
    source: SourceSchema,
    comment: v.exactOptional(NoteSchema),
    at: InstantSchema,
  }),
);

/**
 * Held money went to the freelancer: a whole milestone (R10, R15) or a settlement's release
 * (R21). `fee` is the platform's (R22); a stored v1 release without it has fee 0.
 */
export const FundsReleasedSchema = eventSchema(
  'FundsReleased',
  v.strictObject({
    milestoneId: IdSchema,
    amount: PositiveMoneySchema,
    fee: v.exactOptional(MoneySchema),
    at: InstantSchema,
  }),
);

/** Money held for a milestone went back to the source of one funding (R8, R9, R11, R21). */
export const FundsRefundedSchema = eventSchema(
  'FundsRefunded',
  v.strictObject({
    milestoneId: IdSchema,
    fundingId: IdSchema,
    amount: v.pipe(MoneySchema, v.minValue(1, 'a refund is a positive amount')),
    source: SourceSchema,
    reason: RefundReasonSchema,
    at: InstantSchema,
  }),
);

/**
 * The `MilestoneFunded` event: the client deposited a milestone's unfunded remainder into escrow from one source (R6, R7).
 * @category Events
 */
export interface MilestoneFunded extends v.InferOutput<typeof MilestoneFundedSchema> {}
/**
 * The `FundsReleased` event: the client released a whole milestone's held money to the freelancer (R10).
 * @category Events
 */
export interface FundsReleased extends v.InferOutput<typeof FundsReleasedSchema> {}
/**
 * The `FundsRefunded` event: money held for a milestone went back to the source of one funding (R8, R9, R11).
 * @category Events
 */
export interface FundsRefunded extends v.InferOutput<typeof FundsRefundedSchema> {}
/** The events the escrow decider owns. */
export type EscrowEvent = MilestoneFunded | FundsReleased | FundsRefunded;
