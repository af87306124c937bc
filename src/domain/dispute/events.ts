import * as v from 'valibot';
import {
  ActorRoleSchema,
  eventSchema,
  IdSchema,
  InstantSchema,
  MoneySchema,
  NoteSchema,
  RoleSchema,
} from '../shared/schema.js';

/**
 * How a dispute ended in a split (R18, R20): agreed by the parties, by expiry, or by a ruling.
 * @category Events
 */
export const SETTLEMENT_OUTCOMES = ['agreed', 'expired', 'ruled'] as const;
export const SettlementOutcomeSchema = v.picklist(SETTLEMENT_OUTCOMES);
/**
 * How a dispute ended in a split.
 * @useDeclaredType
 * @category Events
 */
export type SettlementOutcome = v.InferOutput<typeof SettlementOutcomeSchema>;

/** A party opened a dispute over the money held for a milestone; its claim is the first offer (R16). */
export const DisputeOpenedSchema = eventSchema(
  'DisputeOpened',
  v.strictObject({
    disputeId: IdSchema,
    milestoneId: IdSchema,
    by: RoleSchema,
    refund: MoneySchema,
    reason: v.exactOptional(NoteSchema),
    respondBy: InstantSchema,
    at: InstantSchema,
  }),
);

/** A party made a new offer, replacing the current one, with a fresh deadline to answer (R18). */
export const SettlementProposedSchema = eventSchema(
  'SettlementProposed',
  v.strictObject({
    disputeId: IdSchema,
    by: RoleSchema,
    refund: MoneySchema,
    respondBy: InstantSchema,
    at: InstantSchema,
  }),
);

/** A party handed the dispute to the platform (R19). */
export const DisputeEscalatedSchema = eventSchema(
  'DisputeEscalated',
  v.strictObject({ disputeId: IdSchema, by: RoleSchema, at: InstantSchema }),
);

/** The opener withdrew the dispute; the money stays held (R20). */
export const DisputeWithdrawnSchema = eventSchema(
  'DisputeWithdrawn',
  v.strictObject({ disputeId: IdSchema, by: RoleSchema, at: InstantSchema }),
);

/**
 * The dispute ended in a split of the money held: `refund` back to the client's sources, then
 * `release` to the freelancer (R21); the milestone is settled.
 */
export const DisputeSettledSchema = eventSchema(
  'DisputeSettled',
  v.strictObject({
    disputeId: IdSchema,
    milestoneId: IdSchema,
    outcome: SettlementOutcomeSchema,
    by: ActorRoleSchema,
    refund: MoneySchema,
    release: MoneySchema,
    at: InstantSchema,
  }),
);

/**
 * The `DisputeOpened` event: a party opened a dispute over a milestone's held money; its claim is the first offer (R16).
 * @category Events
 */
export interface DisputeOpened extends v.InferOutput<typeof DisputeOpenedSchema> {}
/**
 * The `SettlementProposed` event: a party made a new offer with a fresh `respondBy` (R18).
 * @category Events
 */
export interface SettlementProposed extends v.InferOutput<typeof SettlementProposedSchema> {}
/**
 * The `DisputeEscalated` event: a party handed the dispute to the platform (R19).
 * @category Events
 */
export interface DisputeEscalated extends v.InferOutput<typeof DisputeEscalatedSchema> {}
/**
 * The `DisputeWithdrawn` event: the opener withdrew the dispute; the money stays held (R20).
 * @category Events
 */
export interface DisputeWithdrawn extends v.InferOutput<typeof DisputeWithdrawnSchema> {}
/**
 * The `DisputeSettled` event: the dispute ended in a split; its refunds and release follow in the same decision (R21).
 * @category Events
 */
export interface DisputeSettled extends v.InferOutput<typeof DisputeSettledSchema> {}
/** The events the dispute decider owns. */
export type DisputeEvent =
  DisputeOpened | SettlementProposed | DisputeEscalated | DisputeWithdrawn | DisputeSettled;
