import { fail } from './errors.js';

/** An amount in the currency's minor units (USD cents): a safe non-negative integer. */
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
 * Rejects an amount that would take a cumulative total past `Number.MAX_SAFE_INTEGER`
 * (`INVALID_INPUT`): counters such as the job's total funded must stay exact, however many
 * fund/refund rounds a job goes through.
 */
export function requireExactTotal(total: Money, amount: Money): void {
  addMoney(total, amount);
}
