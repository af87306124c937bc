import { describe, expect, it } from 'vitest';
import { DATABASE_URL, skipPostgres, warnIfSkipped } from './database.js';

// CI must never pass without the PostgreSQL suite: there a missing DATABASE_URL is a failure.
const inCi = process.env.CI !== undefined && process.env.CI !== '' && process.env.CI !== 'false';

describe('PostgreSQL test environment', () => {
  it.runIf(inCi)('CI sets DATABASE_URL (.ci/run exports the one .ci/postgres.sh prints)', () => {
    expect(
      DATABASE_URL,
      'CI=true but DATABASE_URL is not set: the PostgreSQL suite would not run',
    ).not.toBe('');
  });

  // Here only so that the skip shows in the report.
  if (!inCi && skipPostgres)
    it.skip('SKIPPED: the PostgreSQL suite (DATABASE_URL is not set)', () => {});

  if (!inCi) warnIfSkipped();
});
