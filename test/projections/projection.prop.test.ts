import { fc, test } from '@fast-check/vitest';
import { expect } from 'vitest';
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
import { globalReadArb } from './histories.js';

const RUNS = { numRuns: 60 };
const PROJECTIONS: Projection<unknown, unknown>[] = [
  jobStateProjection,
  summaryProjection,
  ledgerProjection,
  closingStatementProjection,
  outboxProjection,
  scheduleProjection({ asOf: '2014-11-16' }),
];

test.prop([globalReadArb()], RUNS)(
  'projecting many jobs from an interleaved global read equals projecting each job alone',
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
  'a redelivered event changes nothing (at-least-once delivery)',
  ({ read }, repeats) => {
    // Deliver again, right after, some events already delivered.
    const redelivered: StreamEvent[] = [];
    const again = new Set(repeats.map((r) => r % Math.max(read.length, 1)));
    read.forEach((event, i) => {
      redelivered.push(event);
      if (again.has(i)) redelivered.push(read[Math.max(0, i - (i % 3))] as StreamEvent);
    });
    for (const projection of [summaryProjection, ledgerProjection, outboxProjection] as Projection<
      unknown,
      unknown
    >[]) {
      expect(projectAll(projection, redelivered)).toEqual(projectAll(projection, read));
    }
    const projector = createGlobalProjector(ledgerProjection);
    const folded = redelivered.filter((e) => projector.push(e)).length;
    expect(folded).toBe(read.length);
  },
);
