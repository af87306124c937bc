import * as v from 'valibot';
import { AwardJobSchema, CloseJobSchema, RequestChangesSchema, SubmitWorkSchema } from './job/commands.js';
import { AcceptTermsSchema, DeclineTermsSchema, ProposeTermsSchema, WithdrawTermsSchema } from './terms/commands.js';
import { FundMilestoneSchema, RefundMilestoneSchema, ReleaseFundsSchema } from './escrow/commands.js';
import { parserFor } from './shared/parse.js';

/** Every command a job accepts, as one schema keyed by `type`. */
export const JobCommandSchema = v.variant(
  'type',
  [
    AwardJobSchema,
    ProposeTermsSchema,
    AcceptTermsSchema,
    DeclineTermsSchema,
    WithdrawTermsSchema,
    FundMilestoneSchema,
    ReleaseFundsSchema,
    RefundMilestoneSchema,
    SubmitWorkSchema,
    RequestChangesSchema,
    CloseJobSchema,
  ],
  'unknown command type',
);

/** A command after validation (defaults filled in): `{ type, actor, at, data }`. */
export type JobCommand = v.InferOutput<typeof JobCommandSchema>;
/** A command as a caller may write it (e.g. a milestone's `description` left out). */
export type JobCommandInput = v.InferInput<typeof JobCommandSchema>;
/** The command types, as a union of strings. */
export type JobCommandType = JobCommand['type'];
/** The command of one type. */
export type CommandOf<T extends JobCommandType> = Extract<JobCommand, { type: T }>;

/** The command types in the order the spec lists them. */
export const JOB_COMMAND_TYPES = JobCommandSchema.options.map((o) => o.entries.type.literal) as readonly JobCommandType[];

const checkedJobCommandSchema = parserFor(JobCommandSchema, 'command');

/**
 * Validates untrusted JSON as a command (an HTTP body, a line of NDJSON) and fills in defaults.
 * Throws `INVALID_INPUT` naming the path of the first problem.
 */
export function parseCommand(input: unknown): JobCommand {
  return checkedJobCommandSchema(input);
}
