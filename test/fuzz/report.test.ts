import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { failureReport } from './hostile.js';

/*
 * The fuzz suite's report of a failure (issue 16): fast-check's own report crashed on
 * counterexamples it cannot print (a RangeError on deep nesting, the getter's error on a throwing
 * getter), and fast-check 4 leaves the failing error out of its message, so failures were lost.
 */

function nested(levels: number): unknown {
  let value: unknown = 'bottom';
  for (let i = 0; i < levels; i++) value = [value];
  return value;
}

const throwing = Object.defineProperty({}, 'amount', {
  enumerable: true,
  get(): never {
    throw new Error('a getter that throws');
  },
});

async function failed(value: unknown): Promise<fc.RunDetails<[unknown, ...unknown[]]>> {
  return fc.check(
    fc.asyncProperty(fc.constant(value), async () => {
      await Promise.resolve();
      throw new Error('the case failed: not a DomainError');
    }),
    { seed: 42 },
  );
}

describe('fuzz: the report of a failure', () => {
  it.each([
    ['200,000 levels of nesting', nested(200_000)],
    ['a getter that throws', { metadata: throwing }],
    ['a plain value', { jobId: 'logo-2014' }],
  ])(
    'keeps the seed, the path, the error and a description of the counterexample: %s',
    async (_, value) => {
      const details = await failed(value);
      expect(details.failed).toBe(true);
      const report = failureReport(details);
      expect(report).toContain('seed: 42');
      expect(report).toContain(`FUZZ_SEED=42 FUZZ_PATH=${String(details.counterexamplePath)}`);
      expect(report).toContain('Got error: Error: the case failed: not a DomainError');
      expect(report).toMatch(/Counterexample/);
    },
  );
});
