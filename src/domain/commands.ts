import * as v from 'valibot';
import {
  AwardJobSchema,
  CloseJobSchema,
  RequestChangesSchema,
  SubmitWorkSchema,
  type AwardJob,
  type CloseJob,
  type RequestChanges,
  type SubmitWork,
} from './job/commands.js';
import {
  AcceptTermsSchema,
  DeclineTermsSchema,
  ProposeTermsSchema,
  WithdrawTermsSchema,
  type AcceptTerms,
  type DeclineTerms,
  type ProposeTerms,
  type ProposeTermsInput,
  type WithdrawTerms,
} from './terms/commands.js';
import {
  FundMilestoneSchema,
  RefundMilestoneSchema,
  ReleaseFundsSchema,
  type FundMilestone,
  type RefundMilestone,
  type ReleaseFunds,
} from './escrow/commands.js';
import { ExpireReviewSchema, type ExpireReview } from './review/commands.js';
import {
  AcceptSettlementSchema,
  EscalateDisputeSchema,
  ExpireDisputeSchema,
  OpenDisputeSchema,
  ProposeSettlementSchema,
  ResolveDisputeSchema,
  WithdrawDisputeSchema,
  type AcceptSettlement,
  type EscalateDispute,
  type ExpireDispute,
  type OpenDispute,
  type ProposeSettlement,
  type ResolveDispute,
  type WithdrawDispute,
} from './dispute/commands.js';
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
    ExpireReviewSchema,
    OpenDisputeSchema,
    ProposeSettlementSchema,
    AcceptSettlementSchema,
    EscalateDisputeSchema,
    ExpireDisputeSchema,
    ResolveDisputeSchema,
    WithdrawDisputeSchema,
  ],
  'unknown command type',
);

/**
 * A command after validation (defaults filled in): `{ type, actor, at, data }`. The union of the
 * named command types, so that hovers and errors name them; a type test checks that it is exactly
 * what the command schema accepts (a command added to the schema and not here fails it).
 * @category Deciding
 */
export type JobCommand =
  | AwardJob
  | ProposeTerms
  | AcceptTerms
  | DeclineTerms
  | WithdrawTerms
  | FundMilestone
  | ReleaseFunds
  | RefundMilestone
  | SubmitWork
  | RequestChanges
  | CloseJob
  | ExpireReview
  | OpenDispute
  | ProposeSettlement
  | AcceptSettlement
  | EscalateDispute
  | ExpireDispute
  | ResolveDispute
  | WithdrawDispute;
/**
 * A command as a caller may write it (a milestone's `description` left out): only `ProposeTerms`
 * has defaults, so every other command is written as it is validated.
 * @category Deciding
 */
export type JobCommandInput = Exclude<JobCommand, ProposeTerms> | ProposeTermsInput;
/**
 * The command types, as a union of strings.
 * @category Deciding
 */
export type JobCommandType = JobCommand['type'];
/** The command of one type. */
export type CommandOf<T extends JobCommandType> = Extract<JobCommand, { type: T }>;

/**
 * The command types in the order the spec lists them.
 * @category Deciding
 */
export const JOB_COMMAND_TYPES = JobCommandSchema.options.map(
  (o) => o.entries.type.literal,
) as readonly JobCommandType[];

const checkedJobCommandSchema = parserFor(JobCommandSchema, 'command');

/**
 * Validates untrusted JSON as a command (an HTTP body, a line of NDJSON) and fills in defaults.
 * Throws `INVALID_INPUT` naming the path of the first problem.
 *
 * @example
 * ```ts
 * import { isDomainError, parseCommand } from 'milestone-escrow';
 *
 * const body: unknown = JSON.parse('{"type":"FundMilestone","actor":"clara","at":"2014-11-03T09:00:00Z","data":{"milestoneId":"m1","fundingId":"f1","source":"card:visa-4242","ammount":7500}}');
 * try {
 *   parseCommand(body);
 * } catch (error) {
 *   if (isDomainError(error)) console.log(error.code, error.details.path); // INVALID_INPUT data.ammount: a typo is never ignored
 * }
 * ```
 * @category Deciding
 */
export function parseCommand(input: unknown): JobCommand {
  return checkedJobCommandSchema(input);
}
