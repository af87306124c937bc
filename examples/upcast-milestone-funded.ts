/*
 * Example: an upcaster for an older shape of MilestoneFunded.
 *
 * Suppose the app's first release stored `MilestoneFunded.amount` as a decimal string of dollars
 * ("75.00"), before the wire format settled on integer minor units (7500). Those events are in
 * the store for good: events are never rewritten. This upcaster reads them as today's shape.
 * The old app was USD-only, so a dollar has 100 cents; a value that does not convert exactly
 * ("75.005", "1,000", "-5", "7.5e3") is rejected, never rounded or guessed.
 */
// #region upcaster
import * as v from 'valibot';
import { createUpcasters, upcasterChain, type MilestoneFunded } from 'milestone-escrow';

/** MilestoneFunded as version 1 stored it: `amount` a decimal string of US dollars. */
const MilestoneFundedV1 = v.strictObject({
  milestoneId: v.string(),
  fundingId: v.string(),
  amount: v.string(),
  source: v.string(),
  comment: v.exactOptional(v.string()),
  at: v.string(),
});
type MilestoneFundedV1 = v.InferOutput<typeof MilestoneFundedV1>;

const DOLLARS = /^(0|[1-9][0-9]*)(?:\.([0-9]{1,2}))?$/;

/** "75.00" → 7500, exactly; anything that is not a plain dollar amount with at most 2 decimals throws. */
export function dollarsToCents(dollars: string): number {
  const m = DOLLARS.exec(dollars);
  if (m === null)
    throw new Error(`amount ${JSON.stringify(dollars)} is not a dollar amount such as "75.00"`);
  const cents = BigInt(m[1] ?? '0') * 100n + BigInt((m[2] ?? '').padEnd(2, '0'));
  if (cents > BigInt(Number.MAX_SAFE_INTEGER))
    throw new Error(`amount ${dollars} is too large to be money`);
  return Number(cents);
}

/** v1 → v2 (today's shape): dollars as a string become integer cents. */
export const milestoneFundedUpcaster = upcasterChain('MilestoneFunded', 1, (raw) =>
  v.parse(MilestoneFundedV1, raw),
).then((old: MilestoneFundedV1): MilestoneFunded['data'] => ({
  ...old,
  amount: dollarsToCents(old.amount),
}));

/** The app's upcasters: MilestoneFunded is now at schema version 2. */
export const upcasters = createUpcasters(milestoneFundedUpcaster);
// #endregion upcaster
