import * as v from 'valibot';
import {
  commandSchema,
  CurrencySchema,
  IdSchema,
  MilestoneCountSchema,
  NoteSchema,
  TitleSchema,
} from '../shared/schema.js';
import { PolicyInputSchema } from './policy.js';

/**
 * The client awards the job to a freelancer; opens the stream. `platformId` and `policy` are part
 * two's (spec §7): the platform's id (default `"platform"`) and the job's policy.
 */
export const AwardJobSchema = commandSchema(
  'AwardJob',
  v.strictObject({
    jobId: IdSchema,
    title: TitleSchema,
    clientId: IdSchema,
    freelancerId: IdSchema,
    currency: CurrencySchema,
    platformId: v.exactOptional(IdSchema),
    policy: v.optional(PolicyInputSchema),
    // At most this many milestones in any proposal of the job (none: no cap).
    maxMilestones: v.exactOptional(MilestoneCountSchema),
  }),
);
/** The freelancer submits work for an active milestone (R12). */
export const SubmitWorkSchema = commandSchema(
  'SubmitWork',
  v.strictObject({ milestoneId: IdSchema, note: v.optional(NoteSchema) }),
);
/** The client asks for changes to submitted work (R12). */
export const RequestChangesSchema = commandSchema(
  'RequestChanges',
  v.strictObject({ milestoneId: IdSchema, note: v.optional(NoteSchema) }),
);
/** The client closes the job once escrow is empty and nothing is pending (R13). */
export const CloseJobSchema = commandSchema(
  'CloseJob',
  v.strictObject({ reason: v.optional(NoteSchema) }),
);

/**
 * The `AwardJob` command: the client named in it awards the job to a freelancer and opens the stream.
 * @category Commands
 */
export interface AwardJob extends v.InferOutput<typeof AwardJobSchema> {}
/**
 * The `SubmitWork` command: the freelancer submits work for an active, unreleased milestone (R12).
 * @category Commands
 */
export interface SubmitWork extends v.InferOutput<typeof SubmitWorkSchema> {}
/**
 * The `RequestChanges` command: the client asks for changes to submitted work (R12; `NOTHING_SUBMITTED` without any).
 * @category Commands
 */
export interface RequestChanges extends v.InferOutput<typeof RequestChangesSchema> {}
/**
 * The `CloseJob` command: the client closes the job once escrow holds nothing and no proposal is pending (R13).
 * @category Commands
 */
export interface CloseJob extends v.InferOutput<typeof CloseJobSchema> {}
/** The commands the job decider owns. */
export type JobLifecycleCommand = AwardJob | SubmitWork | RequestChanges | CloseJob;
