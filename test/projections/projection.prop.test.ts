import { fc, test } from '@fast-check/vitest';
import { expect, it } from 'vitest';
import {
  closingStatementProjection,
  createGlobalProjector,
  jobStateProjection,
  ledgerProjection,
  outboxProjection,
  project,
  projectAll,
  scheduleProjection,
  summaryProjection,
  type Projection,
  type StreamEvent,
} from '../../src/projections/index.js';
import { GLOBAL_READS, partTwoGlobalReadArb } from './histories.js';

const RUNS = { numRuns: 60 };
const PROJECTIONS: Projection<unknown, unknown>[] = [
  jobStateProjection,
  summaryProjection,
  ledgerProjection,
  closingStatementProjection,
  outboxProjection,
  scheduleProjection({ asOf: '2014-11-16' }),
];

// Part one's histories and part two's (disputes, expiries, fees): the same properties.
for (const [part, globalReadArb] of GLOBAL_READS) {
  test.prop([globalReadArb()], RUNS)(
    `${part}: projecting many jobs from an interleaved global read equals projecting each job alone`,
    ({ histories, read }) => {
      for (const projection of PROJECTIONS) {
        const all = projectAll(projection, read);
        expect([...all.keys()].sort()).toEqual([...histories.keys()].sort());
        for (const [streamId, events] of histories)
          expect(all.get(streamId)).toEqual(project(projection, events));
      }
    },
  );

  test.prop([globalReadArb(3, 20), fc.array(fc.nat(), { maxLength: 30 })], RUNS)(
    `${part}: a redelivered event changes nothing (at-least-once delivery)`,
    ({ read }, repeats) => {
      // Deliver again, right after, some events already delivered.
      const redelivered: StreamEvent[] = [];
      const again = new Set(repeats.map((r) => r % Math.max(read.length, 1)));
      read.forEach((event, i) => {
        redelivered.push(event);
        if (again.has(i)) redelivered.push(read[Math.max(0, i - (i % 3))] as StreamEvent);
      });
      for (const projection of [
        summaryProjection,
        ledgerProjection,
        outboxProjection,
      ] as Projection<unknown, unknown>[]) {
        expect(projectAll(projection, redelivered)).toEqual(projectAll(projection, read));
      }
      const projector = createGlobalProjector(ledgerProjection);
      const folded = redelivered.filter((e) => projector.push(e)).length;
      expect(folded).toBe(read.length);
    },
  );
}

it('the part-two global reads hold what part one has not: fees, expired reviews, disputes ruled and expired (the properties above are not vacuous)', () => {
  const seen = new Set<string>();
  for (const { read } of fc.sample(partTwoGlobalReadArb(), { ...RUNS, seed: 20141103 }))
    for (const { type, data } of read) {
      if (type === 'FundsReleased' && (data as { fee?: number }).fee) seen.add('fee');
      if (type === 'DisputeSettled') seen.add(`dispute ${(data as { outcome: string }).outcome}`);
      if (type === 'ReviewExpired' || type === 'DisputeWithdrawn') seen.add(type);
    }
  expect([...seen].sort()).toEqual([
    'DisputeWithdrawn',
    'ReviewExpired',
    'dispute agreed',
    'dispute expired',
    'dispute ruled',
    'fee',
  ]);
});
