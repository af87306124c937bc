import { fail } from '../domain/shared/errors.js';
import { describe } from '../domain/shared/parse.js';
import type { Ledger } from './ledger.js';

/**
 * A ledger handed to a reader (`trialBalance`, `closingStatement`): what they read of it, at its
 * top (`postings` a list, `version` a count); anything else is `INVALID_INPUT` at `ledger`.
 */
export function requireLedger(ledger: unknown): asserts ledger is Ledger {
  let looks = false;
  try {
    const { postings, version } = ledger as Ledger;
    looks = Array.isArray(postings) && Number.isSafeInteger(version);
  } catch {
    // null, undefined, or a getter that throws: not a ledger.
  }
  if (!looks)
    fail(
      'INVALID_INPUT',
      `ledger must be a job's ledger (ledger(events)), not ${describe(ledger)}`,
      {
        path: 'ledger',
      },
    );
}
