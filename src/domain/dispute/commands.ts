import * as v from 'valibot';
import { commandSchema, IdSchema, MoneySchema, NoteSchema } from '../shared/schema.js';

// JSON reads `-0` as -0, a safe integer not below 0: refused in a command (money is never
// negative); a stored event keeps reading it, as every limit made tighter does.
const RefundSchema = v.pipe(
  MoneySchema,
  v.check((refund) => !Object.is(refund, -0), 'money is never negative, not even -0'),
);

/** The client or the freelancer disputes the money held for a milestone, offering a split (R16). */
export const OpenDisputeSchema = commandSchema(
  'OpenDispute',
  v.strictObject({
    disputeId: IdSchema,
    milestoneId: IdSchema,
    refund: RefundSchema,
    reason: v.optional(NoteSchema),
  }),
);
/** Either party replaces the current offer (R18). */
export const ProposeSettlementSchema = commandSchema(
  'ProposeSettlement',
  v.strictObject({ disputeId: IdSchema, refund: RefundSchema }),
);
/** The party that must answer accepts the current offer; `refund` guards it (R18). */
export const AcceptSettlementSchema = commandSchema(
  'AcceptSettlement',
  v.strictObject({ disputeId: IdSchema, refund: RefundSchema }),
);
/** Either party hands the dispute to the platform (R19). */
export const EscalateDisputeSchema = commandSchema(
  'EscalateDispute',
  v.strictObject({ disputeId: IdSchema }),
);
/** The platform or the offer's author ends an unanswered dispute on the current offer (R20). */
export const ExpireDisputeSchema = commandSchema(
  'ExpireDispute',
  v.strictObject({ disputeId: IdSchema }),
);
/** The platform rules on an escalated dispute (R20). */
export const ResolveDisputeSchema = commandSchema(
  'ResolveDispute',
  v.strictObject({ disputeId: IdSchema, refund: RefundSchema }),
);
/** The opener withdraws the dispute (R20). */
export const WithdrawDisputeSchema = commandSchema(
  'WithdrawDispute',
  v.strictObject({ disputeId: IdSchema }),
);

/**
 * The `OpenDispute` command: the client or the freelancer disputes a milestone's held money; `refund` is the opener's offer (R16).
 * @category Commands
 */
export interface OpenDispute extends v.InferOutput<typeof OpenDisputeSchema> {}
/**
 * The `ProposeSettlement` command: either party replaces the current offer (R18).
 * @category Commands
 */
export interface ProposeSettlement extends v.InferOutput<typeof ProposeSettlementSchema> {}
/**
 * The `AcceptSettlement` command: the party that must answer accepts the current offer, which must still be `refund` (R18).
 * @category Commands
 */
export interface AcceptSettlement extends v.InferOutput<typeof AcceptSettlementSchema> {}
/**
 * The `EscalateDispute` command: either party hands the dispute to the platform (R19).
 * @category Commands
 */
export interface EscalateDispute extends v.InferOutput<typeof EscalateDisputeSchema> {}
/**
 * The `ExpireDispute` command: the platform or the offer's author settles an unanswered dispute on the current offer (R20).
 * @category Commands
 */
export interface ExpireDispute extends v.InferOutput<typeof ExpireDisputeSchema> {}
/**
 * The `ResolveDispute` command: the platform's ruling on an escalated dispute (R20).
 * @category Commands
 */
export interface ResolveDispute extends v.InferOutput<typeof ResolveDisputeSchema> {}
/**
 * The `WithdrawDispute` command: the opener withdraws the dispute; the money stays held (R20).
 * @category Commands
 */
export interface WithdrawDispute extends v.InferOutput<typeof WithdrawDisputeSchema> {}
/** The commands the dispute decider owns. */
export type DisputeCommand =
  | OpenDispute
  | ProposeSettlement
  | AcceptSettlement
  | EscalateDispute
  | ExpireDispute
  | ResolveDispute
  | WithdrawDispute;
