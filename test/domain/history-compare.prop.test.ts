import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { JobEvent } from '../../src/domain/events.js';
import { sameStored } from '../../src/domain/history/compare.js';
import { compareInstants } from '../../src/domain/shared/time.js';

/** `sameStored` as it was before its fast path: a normalised copy compared value by value. */
function reference(computed: JobEvent, stored: JobEvent): boolean {
  if (computed.type !== stored.type) return false;
  const data = computed.data as Record<string, unknown>;
  const given = stored.data as Record<string, unknown>;
  const normal: Record<string, unknown> = { ...given };
  for (const key of ['respondBy', 'dueAt'])
    if (typeof data[key] === 'string' && typeof given[key] === 'string')
      if (compareInstants(data[key], given[key]) === 0) normal[key] = data[key];
  if (computed.type === 'FundsReleased' && given['fee'] === undefined) normal['fee'] = 0;
  return deepEqual(data, normal);
}

function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (Array.isArray(a))
    return Array.isArray(b) && a.length === b.length && a.every((x, i) => deepEqual(x, b[i]));
  if (a === null || b === null || typeof a !== 'object' || typeof b !== 'object') return false;
  if (Array.isArray(b)) return false;
  const ka = Object.keys(a);
  if (ka.length !== Object.keys(b).length) return false;
  return ka.every(
    (k) =>
      Object.prototype.hasOwnProperty.call(b, k) &&
      deepEqual((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]),
  );
}

const value = fc.constantFrom<unknown>(
  0,
  7500,
  '0',
  'm1',
  'f1',
  '2014-11-03T09:00:00Z',
  '2014-11-03T10:00:00+01:00',
  undefined,
  null,
  [1, 2],
  { a: 1 },
);
const data = fc.dictionary(
  fc.constantFrom('milestoneId', 'amount', 'fee', 'respondBy', 'dueAt', 'at', 'split'),
  value,
  { maxKeys: 5 },
);
const type = fc.constantFrom('FundsReleased', 'FundsRefunded', 'DisputeOpened');

describe('sameStored', () => {
  it('property: answers as the normalised comparison does (its fast path for the very same values changes no verdict)', () => {
    fc.assert(
      fc.property(type, type, data, fc.boolean(), data, (t1, t2, d1, same, d2) => {
        // Half the time the stored data is a copy of the computed one, maybe with one key changed.
        const stored = same ? { ...d1, ...d2 } : d2;
        const computed = { type: t1, data: d1 } as unknown as JobEvent;
        const given = { type: same ? t1 : t2, data: stored } as unknown as JobEvent;
        expect(sameStored(computed, given)).toBe(reference(computed, given));
        const copy = { type: t1, data: { ...d1 } } as unknown as JobEvent;
        expect(sameStored(computed, copy)).toBe(reference(computed, copy));
      }),
      { numRuns: 3000 },
    );
  });
});
