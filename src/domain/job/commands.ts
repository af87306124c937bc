import * as v from 'valibot';
import { commandSchema, CurrencySchema, IdSchema, NoteSchema, TitleSchema } from '../shared/schema.js';

/** The client awards the job to a freelancer; opens the stream. */
export const AwardJobSchema = commandSchema(
  'AwardJob',
  v.strictObject({ jobId: IdSchema, title: TitleSchema, clientId: IdSchema, freelancerId: IdSchema, currency: CurrencySchema }),
);
/** The freelancer submits work for an active milestone (R12). */
export const SubmitWorkSchema = commandSchema('SubmitWork', v.strictObject({ milestoneId: IdSchema, note: v.optional(NoteSchema) }));
/** The client asks for changes to submitted work (R12). */
export const RequestChangesSchema = commandSchema('RequestChanges', v.strictObject({ milestoneId: IdSchema, note: v.optional(NoteSchema) }));
/** The client closes the job once escrow is empty and nothing is pending (R13). */
export const CloseJobSchema = commandSchema('CloseJob', v.strictObject({ reason: v.optional(NoteSchema) }));

export type AwardJob = v.InferOutput<typeof AwardJobSchema>;
export type SubmitWork = v.InferOutput<typeof SubmitWorkSchema>;
export type RequestChanges = v.InferOutput<typeof RequestChangesSchema>;
export type CloseJob = v.InferOutput<typeof CloseJobSchema>;
/** The commands the job decider owns. */
export type JobLifecycleCommand = AwardJob | SubmitWork | RequestChanges | CloseJob;
