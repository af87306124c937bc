import * as v from 'valibot';
import { commandSchema, IdSchema, MilestoneInputSchema, NoteSchema } from '../shared/schema.js';

/** Either party proposes the whole milestone list (R3, R4). */
export const ProposeTermsSchema = commandSchema(
  'ProposeTerms',
  v.strictObject({
    proposalId: IdSchema,
    milestones: v.pipe(
      v.array(MilestoneInputSchema),
      v.minLength(1, 'terms have at least one milestone'),
    ),
  }),
);
/** The other party accepts the pending proposal (R2). */
export const AcceptTermsSchema = commandSchema(
  'AcceptTerms',
  v.strictObject({ proposalId: IdSchema }),
);
/** The other party declines the pending proposal (R2, R8). */
export const DeclineTermsSchema = commandSchema(
  'DeclineTerms',
  v.strictObject({ proposalId: IdSchema, reason: v.optional(NoteSchema) }),
);
/** The proposer withdraws its pending proposal (R3, R8). */
export const WithdrawTermsSchema = commandSchema(
  'WithdrawTerms',
  v.strictObject({ proposalId: IdSchema }),
);

/**
 * A `ProposeTerms` command as a caller writes it (milestone descriptions may be left out).
 * @category Commands
 */
export interface ProposeTermsInput extends v.InferInput<typeof ProposeTermsSchema> {}
/**
 * The `ProposeTerms` command after validation: either party proposes the whole milestone list (R3, R4).
 * @category Commands
 */
export interface ProposeTerms extends v.InferOutput<typeof ProposeTermsSchema> {}
/**
 * The `AcceptTerms` command: the other party accepts the pending proposal (R2).
 * @category Commands
 */
export interface AcceptTerms extends v.InferOutput<typeof AcceptTermsSchema> {}
/**
 * The `DeclineTerms` command: the other party declines the pending proposal (R2, R8).
 * @category Commands
 */
export interface DeclineTerms extends v.InferOutput<typeof DeclineTermsSchema> {}
/**
 * The `WithdrawTerms` command: the proposer withdraws its pending proposal (R3, R8).
 * @category Commands
 */
export interface WithdrawTerms extends v.InferOutput<typeof WithdrawTermsSchema> {}
/** The commands the terms decider owns. */
export type TermsCommand = ProposeTerms | AcceptTerms | DeclineTerms | WithdrawTerms;
