import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
// Imported the way a user does: by the package's name, through package.json "exports" (the built dist).
import { DomainError, decide, isDomainError } from 'milestone-escrow';
import * as testing from 'milestone-escrow/testing';

const root = fileURLToPath(new URL('../..', import.meta.url));

describe('milestone-escrow/testing, as a user imports it', () => {
  it('exports the toolkit', () => {
    expect(Object.keys(testing).sort()).toEqual(
      [
        'DEFAULT_CAST',
        'EVERY_EVENT_RULES',
        'EscrowAssertionError',
        'INVARIANT_RULES',
        'InvariantAssertionError',
        'assertHistory',
        'assertInvariants',
        'invariantViolations',
        'decideAll',
        'escrowArbitraries',
        'given',
        'logoDesign',
        'microsoftAccess',
        'verifyHistory',
      ].sort(),
    );
  });

  it('shares the domain with the main entry: one DomainError class', () => {
    const error = testing
      .given(testing.logoDesign.stages.accepted.events)
      .when({
        type: 'ReleaseFunds',
        actor: testing.logoDesign.clientId,
        at: '2014-11-05T10:00:00Z',
        data: { milestoneId: 'm2' },
      })
      .thenThrows('NOT_FULLY_FUNDED');
    expect(error).toBeInstanceOf(DomainError);
    expect(() =>
      decide(
        { type: 'CloseJob', actor: 'x', at: '2014-11-05T10:00:00Z', data: {} },
        testing.logoDesign.state,
      ),
    ).toThrow(DomainError);
  });

  it('works under node:test (examples/testing/node-test.mjs)', () => {
    const out = execFileSync(
      process.execPath,
      ['--test', '--test-reporter=tap', 'examples/testing/node-test.mjs'],
      { cwd: root, encoding: 'utf8' },
    );
    expect(out).toMatch(/# pass 2/);
    expect(out).toMatch(/# fail 0/);
  });

  it('works from CommonJS, without fast-check loaded, sharing DomainError with the main entry', () => {
    const script = [
      "const t = require('milestone-escrow/testing');",
      "const m = require('milestone-escrow');",
      "const e = t.given(t.logoDesign.stages.accepted.events).when({ type: 'ReleaseFunds', actor: 'clara', at: '2014-11-05T10:00:00Z', data: { milestoneId: 'm2' } }).thenThrows('NOT_FULLY_FUNDED');",
      "if (!(e instanceof m.DomainError)) throw new Error('two DomainError classes');",
      "if (Object.keys(require.cache).some((k) => k.includes('fast-check'))) throw new Error('fast-check was loaded');",
      "console.log('ok');",
    ].join('\n');
    expect(
      execFileSync(process.execPath, ['-e', script], { cwd: root, encoding: 'utf8' }).trim(),
    ).toBe('ok');
    expect(isDomainError(new DomainError('FORBIDDEN', 'x'))).toBe(true);
  });
});
