import { describe, expect, it } from 'vitest';
import { DATABASE_URL, SKIP_NOTE, skipPostgres, warnIfSkipped } from './database.js';

// CI must never pass without the PostgreSQL suite: there a missing DATABASE_URL is a failure.
const inCi = process.env.CI !== undefined && process.env.CI !== '' && process.env.CI !== 'false';

describe('PostgreSQL test environment', () => {
  it('CI sets DATABASE_URL (.ci/run exports the one .ci/postgres.sh prints)', ({ skip }) => {
    if (!inCi) skip('checked in CI only (CI=true)');
    expect(
      DATABASE_URL,
      'CI=true but DATABASE_URL is not set: the PostgreSQL suite would not run',
    ).not.toBe('');
  });

  // Here only so that the skip shows in the report: its note is the reason `npm test`'s last lines give for every skip in test/postgres/.
  if (!inCi && skipPostgres)
    it('SKIPPED: the PostgreSQL suite (DATABASE_URL is not set)', ({ skip }) => {
      skip(SKIP_NOTE);
    });

  if (!inCi) warnIfSkipped();
});
