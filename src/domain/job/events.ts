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
import { PolicySchema } from './policy.js';

/**
 * The client awarded the job to the freelancer: the stream's first event. `policy` (whole) and
 * `platformId` (when the command gave one) are part two's; a v1 award without them has the
 * default policy and the platform `"platform"` (spec §7).
 */
export const JobAwardedSchema = eventSchema(
  'JobAwarded',
  v.strictObject({
    jobId: IdSchema,
    title: TitleSchema,
    clientId: IdSchema,
    freelancerId: IdSchema,
    currency: CurrencySchema,
    platformId: v.exactOptional(IdSchema),
    policy: v.exactOptional(PolicySchema),
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
 * @category Events
 */
export interface JobAwarded extends v.InferOutput<typeof JobAwardedSchema> {}
/**
 * The `WorkSubmitted` event: the freelancer submitted work for a milestone (R12).
 * @category Events
 */
export interface WorkSubmitted extends v.InferOutput<typeof WorkSubmittedSchema> {}
/**
 * The `ChangesRequested` event: the client asked for changes to a milestone's submitted work (R12).
 * @category Events
 */
export interface ChangesRequested extends v.InferOutput<typeof ChangesRequestedSchema> {}
/**
 * The `JobClosed` event: the client closed the job (R13); nothing can follow it.
 * @category Events
 */
export interface JobClosed extends v.InferOutput<typeof JobClosedSchema> {}
/** The events the job decider owns. */
export type JobLifecycleEvent = JobAwarded | WorkSubmitted | ChangesRequested | JobClosed;
