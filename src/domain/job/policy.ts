import * as v from 'valibot';
import { objectOnly } from '../shared/object-only.js';
import { DEFAULT_PLATFORM_ID } from '../shared/roles.js';
import type { JobAwarded } from './events.js';

/*
 * The job's policy (spec §7): fixed at the award, every field with a default. `AwardJob` may give
 * any of its fields; `JobAwarded` records the whole policy; a v1 `JobAwarded` without one folds
 * with the defaults.
 */

const days = (max: number, what: string) =>
  v.pipe(
    v.number(),
    v.integer(`${what} is a whole number of days`),
    v.minValue(1, `${what} is 1–${String(max)} days`),
    v.maxValue(max, `${what} is 1–${String(max)} days`),
  );

const ReviewDaysSchema = days(90, 'reviewDays');
const DisputeResponseDaysSchema = days(30, 'disputeResponseDays');
const ServiceFeeBpsSchema = v.pipe(
  v.number(),
  v.integer('serviceFeeBps is a whole number of basis points'),
  v.minValue(0, 'serviceFeeBps is 0–5000 basis points'),
  v.maxValue(5000, 'serviceFeeBps is 0–5000 basis points'),
);

const PolicyFieldsSchema = v.strictObject({
  reviewDays: v.optional(ReviewDaysSchema),
  disputeResponseDays: v.optional(DisputeResponseDaysSchema),
  serviceFeeBps: v.optional(ServiceFeeBpsSchema),
});

/**
 * The policy as `AwardJob` may give it, an object whose fields may each be left out (an array is
 * refused: `policy: []` was the default policy; spec §7: a policy that is not an object is
 * INVALID_INPUT).
 */
export const PolicyInputSchema = objectOnly(PolicyFieldsSchema);

/** The policy as `JobAwarded` records it: whole. */
export const PolicySchema = v.strictObject({
  reviewDays: ReviewDaysSchema,
  disputeResponseDays: DisputeResponseDaysSchema,
  serviceFeeBps: ServiceFeeBpsSchema,
});

/**
 * A job's policy (spec §7): how long the client has to review a submission (R14), how long a
 * party has to answer a dispute's offer (R16, R18), and the platform's fee on each release (R22).
 * @useDeclaredType
 * @category Deadlines and fees
 */
export type Policy = v.InferOutput<typeof PolicySchema>;
/**
 * A policy as `AwardJob` may give it (every field optional).
 * @useDeclaredType
 * @category Deadlines and fees
 */
export type PolicyInput = v.InferOutput<typeof PolicyInputSchema>;

/**
 * The defaults (spec §7): a 14-day review, 7 days to answer a dispute, no fee.
 * @category Deadlines and fees
 */
export const DEFAULT_POLICY: Policy = Object.freeze({
  reviewDays: 14,
  disputeResponseDays: 7,
  serviceFeeBps: 0,
});

/** The whole policy for what an `AwardJob` gave, the defaults filled in. */
export function wholePolicy(given: PolicyInput | undefined): Policy {
  return {
    reviewDays: given?.reviewDays ?? DEFAULT_POLICY.reviewDays,
    disputeResponseDays: given?.disputeResponseDays ?? DEFAULT_POLICY.disputeResponseDays,
    serviceFeeBps: given?.serviceFeeBps ?? DEFAULT_POLICY.serviceFeeBps,
  };
}

/** The policy of an awarded job (the defaults for a v1 award, which records none). */
export function policyOf(award: JobAwarded['data'] | null): Policy {
  return award?.policy ?? DEFAULT_POLICY;
}

/** The platform's id in an awarded job (`"platform"` when the award names none). */
export function platformIdOf(award: JobAwarded['data'] | null): string {
  return award?.platformId ?? DEFAULT_PLATFORM_ID;
}
