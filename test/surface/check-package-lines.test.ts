import { describe, expect, it } from 'vitest';
import { budgetLine } from '../../scripts/check-package/release.js';

/*
 * `npm run check:package` reports each subpath's size against its budget; a budget that is not a
 * whole number of kB (30.2, 30.7) was rounded, and a size within it read as over it.
 */
describe("check:package's size line", () => {
  it('writes a budget as the README does, not rounded to a whole kB', () => {
    expect(budgetLine({ name: 'milestone-escrow/postgres', size: 30_090, sizeLimit: 30_200 })).toBe(
      'milestone-escrow/postgres: 30.09 kB of 30.2 kB',
    );
    expect(budgetLine({ name: 'milestone-escrow/store', size: 14_400, sizeLimit: 15_000 })).toBe(
      'milestone-escrow/store: 14.40 kB of 15 kB',
    );
  });
});
