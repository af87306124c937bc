import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { JobEvent } from '../../src/domain/events.js';
import { sameStored } from '../../src/domain/history/compare.js';
import { sameStoredByDefinition } from './same-stored-definition.js';

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
        expect(sameStored(computed, given)).toBe(sameStoredByDefinition(computed, given));
        const copy = { type: t1, data: { ...d1 } } as unknown as JobEvent;
        expect(sameStored(computed, copy)).toBe(sameStoredByDefinition(computed, copy));
      }),
      { numRuns: 3000 },
    );
  });
});
