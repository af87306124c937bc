/*
 * The history checker compares a stored event with the one its decision computes (`sameStored`)
 * field by field, without building a normalised copy of the stored data. It must answer exactly
 * what the definition answers: the stored data, with an equal deadline written another way taken
 * as the computed one and a missing release fee read as 0, deeply equal to the computed data.
 */
import { describe, expect, it } from 'vitest';
import { fc, test } from '@fast-check/vitest';
import { sameStored } from '../../src/domain/history/compare.js';
import type { JobEvent } from '../../src/index.js';
import { numRuns } from './prop-support.js';
import { sameStoredByDefinition } from './same-stored-definition.js';

const AT = '2014-11-03T09:00:00Z';
const computedEvents: JobEvent[] = [
  { type: 'FundsReleased', data: { milestoneId: 'm1', amount: 7500, fee: 0, at: AT } },
  { type: 'FundsReleased', data: { milestoneId: 'm1', amount: 7500, fee: 375, at: AT } },
  {
    type: 'FundsRefunded',
    data: {
      milestoneId: 'm1',
      fundingId: 'f1',
      amount: 2500,
      source: 'card:visa',
      reason: 'refunded-by-freelancer',
      at: AT,
    },
  },
  {
    type: 'DisputeOpened',
    data: {
      disputeId: 'd1',
      milestoneId: 'm1',
      by: 'client',
      reason: 'late',
      respondBy: '2014-11-10T09:00:00Z',
      at: AT,
    },
  },
  {
    type: 'ReviewExpired',
    data: { milestoneId: 'm1', by: 'platform', dueAt: '2014-11-17T09:00:00Z', at: AT },
  },
] as unknown as JobEvent[];

// What a stored copy may differ by: each change alone or together.
type Change = (data: Record<string, unknown>) => void;
const changes: Record<string, Change> = {
  none: () => undefined,
  dropFee: (d) => {
    delete d['fee'];
  },
  undefinedFee: (d) => {
    d['fee'] = undefined;
  },
  otherFee: (d) => {
    d['fee'] = 1;
  },
  zeroFee: (d) => {
    d['fee'] = 0;
  },
  sameDeadlineOtherZone: (d) => {
    for (const key of ['respondBy', 'dueAt'])
      if (typeof d[key] === 'string')
        d[key] = d[key].replace('T09:', 'T10:').replace('Z', '+01:00');
  },
  otherDeadline: (d) => {
    for (const key of ['respondBy', 'dueAt'])
      if (typeof d[key] === 'string') d[key] = d[key].replace('T09:', 'T11:');
  },
  extraField: (d) => {
    d['note'] = 'x';
  },
  extraUndefined: (d) => {
    d['note'] = undefined;
  },
  missingField: (d) => {
    delete d['milestoneId'];
  },
  otherAmount: (d) => {
    if (typeof d['amount'] === 'number') d['amount'] = d['amount'] + 1;
  },
  sameAtOtherZone: (d) => {
    d['at'] = '2014-11-03T10:00:00+01:00';
  },
  otherAt: (d) => {
    d['at'] = '2014-11-03T11:00:00Z';
  },
};

const stored = fc.record({
  computed: fc.constantFrom(...computedEvents),
  type: fc.option(fc.constantFrom<JobEvent['type']>('FundsReleased', 'FundsRefunded'), {
    freq: 4,
  }),
  applied: fc.subarray(Object.keys(changes)),
});

describe('sameStored compares a stored event with the computed one in place', () => {
  test.prop([stored], { numRuns: numRuns(400) })(
    'it answers what the definition answers (a normalised copy compared deeply)',
    ({ computed, type, applied }) => {
      const data: Record<string, unknown> = { ...(computed.data as Record<string, unknown>) };
      for (const name of applied) (changes[name] as Change)(data);
      const event = { type: type ?? computed.type, data } as unknown as JobEvent;
      expect(sameStored(computed, event)).toBe(sameStoredByDefinition(computed, event));
    },
  );

  it('a v1 release (no fee) is the decision of fee 0, a deadline written in another zone is the same', () => {
    const [feeless, withFee, , opened] = computedEvents as [JobEvent, JobEvent, JobEvent, JobEvent];
    const v1 = { type: 'FundsReleased', data: { milestoneId: 'm1', amount: 7500, at: AT } };
    expect(sameStored(feeless, v1 as JobEvent)).toBe(true);
    expect(sameStored(withFee, v1 as JobEvent)).toBe(false);
    const zonedData = { ...opened.data, respondBy: '2014-11-10T10:00:00+01:00' };
    const zoned = { type: opened.type, data: zonedData } as unknown as JobEvent;
    const extra = { type: opened.type, data: { ...zonedData, extra: 1 } } as unknown as JobEvent;
    expect(sameStored(opened, zoned)).toBe(true);
    expect(sameStored(opened, extra)).toBe(false);
  });
});
