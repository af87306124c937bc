import { fail } from './errors.js';
import { describe } from './parse.js';

/**
 * An amount in the currency's minor units (USD cents): a safe non-negative integer.
 * @category State
 */
export type Money = number;

/**
 * Adds amounts of money, refusing any sum past `Number.MAX_SAFE_INTEGER` (spec §1): past it,
 * integers stop being exact and money would silently change.
 */
export function addMoney(...amounts: readonly Money[]): Money {
  let sum = 0;
  for (const amount of amounts) sum += amount;
  if (!Number.isSafeInteger(sum)) {
    fail(
      'INVALID_INPUT',
      `The sum ${String(sum)} exceeds the largest exact amount (${String(Number.MAX_SAFE_INTEGER)} minor units).`,
    );
  }
  return sum;
}

/**
 * Basis points: hundredths of a percent (`1000` is 10 %).
 * @category Deadlines and fees
 */
export type BasisPoints = number;

/**
 * The platform's fee on a release (R22): `⌊(amount × bps + 5000) / 10000⌋`, rounded half up,
 * exact for every safe amount. `amount × bps` passes 2^53 for amounts above 2^53 / 5000, where a
 * double would round it: such products are computed with BigInt.
 * @category Deadlines and fees
 */
export function feeOn(amount: Money, bps: BasisPoints): Money {
  if (bps === 0) return 0;
  let scaled = Number.NaN;
  try {
    scaled = amount * bps + 5000;
  } catch {
    // An object whose conversion to a number throws: rejected below, as anything not a number is.
  }
  // Below 2^53 the product is exact and `%` on integers is exact: no BigInt needed.
  if (Number.isSafeInteger(scaled)) return (scaled - (scaled % 10_000)) / 10_000;
  // Checked only here, off the fast path: BigInt() threw a TypeError or SyntaxError at the rest.
  if (!Number.isSafeInteger(amount) || !Number.isSafeInteger(bps))
    fail(
      'INVALID_INPUT',
      `a fee is on an amount in minor units at basis points, both whole numbers: not ${describe(amount)} at ${describe(bps)}`,
      { path: Number.isSafeInteger(amount) ? 'bps' : 'amount' },
    );
  return Number((BigInt(amount) * BigInt(bps) + 5000n) / 10_000n);
}

/**
 * Rejects an amount that would take a cumulative total past `Number.MAX_SAFE_INTEGER`
 * (`INVALID_INPUT`): counters such as the job's total funded must stay exact, however many
 * fund/refund rounds a job goes through.
 */
export function requireExactTotal(total: Money, amount: Money): void {
  addMoney(total, amount);
}
