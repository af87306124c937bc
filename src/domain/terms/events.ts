import * as v from 'valibot';
import {
  eventSchema,
  IdSchema,
  InstantSchema,
  MilestoneSchema,
  NoteSchema,
  RoleSchema,
} from '../shared/schema.js';

/** A party proposed terms: the whole milestone list (R3, R4). */
export const TermsProposedSchema = eventSchema(
  'TermsProposed',
  v.strictObject({
    proposalId: IdSchema,
    by: RoleSchema,
    milestones: v.pipe(
      v.array(MilestoneSchema),
      v.minLength(1, 'terms have at least one milestone'),
    ),
    at: InstantSchema,
  }),
);

/** The other party accepted the pending proposal: its milestones are now the active terms (R2). */
export const TermsAcceptedSchema = eventSchema(
  'TermsAccepted',
  v.strictObject({ proposalId: IdSchema, by: RoleSchema, at: InstantSchema }),
);

/** The other party declined the pending proposal (R2, R8). */
export const TermsDeclinedSchema = eventSchema(
  'TermsDeclined',
  v.strictObject({
    proposalId: IdSchema,
    by: RoleSchema,
    reason: v.exactOptional(NoteSchema),
    at: InstantSchema,
  }),
);

/** The proposer withdrew its pending proposal (R3, R8). */
export const TermsWithdrawnSchema = eventSchema(
  'TermsWithdrawn',
  v.strictObject({ proposalId: IdSchema, by: RoleSchema, at: InstantSchema }),
);

/**
 * The `TermsProposed` event: a party proposed terms, the whole milestone list (R3, R4).
 * @category Events
 */
export interface TermsProposed extends v.InferOutput<typeof TermsProposedSchema> {}
/**
 * The `TermsAccepted` event: the other party accepted the pending proposal, whose milestones are now the active terms (R2).
 * @category Events
 */
export interface TermsAccepted extends v.InferOutput<typeof TermsAcceptedSchema> {}
/**
 * The `TermsDeclined` event: the other party declined the pending proposal (R2); its prefunds are refunded in the same decision (R8).
 * @category Events
 */
export interface TermsDeclined extends v.InferOutput<typeof TermsDeclinedSchema> {}
/**
 * The `TermsWithdrawn` event: the proposer withdrew its pending proposal (R3); its prefunds are refunded in the same decision (R8).
 * @category Events
 */
export interface TermsWithdrawn extends v.InferOutput<typeof TermsWithdrawnSchema> {}
/** The events the terms decider owns. */
export type TermsEvent = TermsProposed | TermsAccepted | TermsDeclined | TermsWithdrawn;
