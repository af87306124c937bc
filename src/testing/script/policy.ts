import type { Rng } from './rng.js';

/*
 * The award's policy (spec §7): the review period (R14), the dispute response period (R16) and
 * the platform's service fee (R22). Half the generated jobs take part one's defaults; the others
 * one of these.
 */

/** The policy of an award, as a caller writes it. */
export interface PolicyInput {
  reviewDays?: number;
  disputeResponseDays?: number;
  serviceFeeBps?: number;
}

/** A job's policy: any of its fields, fees from none to the most (R22). */
export function policy(rng: Rng): PolicyInput {
  return {
    ...(rng.chance(0.5) ? { reviewDays: rng.pick([1, 3, 14, 90]) } : {}),
    ...(rng.chance(0.5) ? { disputeResponseDays: rng.pick([1, 7, 30]) } : {}),
    ...(rng.chance(0.8)
      ? { serviceFeeBps: rng.pick([0, 875, 1000, 5000, 1 + rng.int(4999)]) }
      : {}),
  };
}
