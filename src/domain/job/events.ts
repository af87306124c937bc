import * as v from 'valibot';
import {
  eventSchema,
  CurrencySchema,
  IdSchema,
  InstantSchema,
  MilestoneCountSchema,
  NoteSchema,
  RoleSchema,
  TitleSchema,
} from '../shared/schema.js';

/** The client awarded the job to the freelancer: the stream's first event. */
export const JobAwardedSchema = eventSchema(
  'JobAwarded',
  v.strictObject({
    jobId: IdSchema,
    title: TitleSchema,
    clientId: IdSchema,
    freelancerId: IdSchema,
    currency: CurrencySchema,
    maxMilestones: v.exactOptional(MilestoneCountSchema),
    at: InstantSchema,
  }),
);

/** The freelancer submitted work for a milestone (R12). */
export const WorkSubmittedSchema = eventSchema(
  'WorkSubmitted',
  v.strictObject({ milestoneId: IdSchema, note: v.exactOptional(NoteSchema), at: InstantSchema }),
);

/** The client asked for changes to a milestone's submitted work (R12). */
export const ChangesRequestedSchema = eventSchema(
  'ChangesRequested',
  v.strictObject({ milestoneId: IdSchema, note: v.exactOptional(NoteSchema), at: InstantSchema }),
);

/** The client closed the job (R13): the stream's last event. */
export const JobClosedSchema = eventSchema(
  'JobClosed',
  v.strictObject({ by: RoleSchema, reason: v.exactOptional(NoteSchema), at: InstantSchema }),
);

/**
 * The `JobAwarded` event: the client awarded the job to the freelancer; the first event of every job stream.
 */
export interface JobAwarded extends v.InferOutput<typeof JobAwardedSchema> {}
/**
 * The `WorkSubmitted` event: the freelancer submitted work for a milestone (R12).
 */
export interface WorkSubmitted extends v.InferOutput<typeof WorkSubmittedSchema> {}
/**
 * The `ChangesRequested` event: the client asked for changes to a milestone's submitted work (R12).
 */
export interface ChangesRequested extends v.InferOutput<typeof ChangesRequestedSchema> {}
/**
 * The `JobClosed` event: the client closed the job (R13); nothing can follow it.
 */
export interface JobClosed extends v.InferOutput<typeof JobClosedSchema> {}
/** The events the job decider owns. */
export type JobLifecycleEvent = JobAwarded | WorkSubmitted | ChangesRequested | JobClosed;
