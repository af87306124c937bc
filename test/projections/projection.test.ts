import { describe, expect, it } from 'vitest';
import { type JobEvent } from '../../src/index.js';
import {
  byStream,
  createGlobalProjector,
  ledgerProjection,
  outboxProjection,
  project,
  projectAll,
  projectAllAsync,
  scheduleProjection,
  summaryProjection,
  closingStatementProjection,
  type Projection,
} from '../../src/projections/index.js';
import type { RecordedEvent } from '../../src/store/port.js';
import { interleave } from './histories.js';
import { accessJob, logoJob } from './seed.js';

const histories = new Map<string, JobEvent[]>([
  ['job-logo', logoJob().events],
  ['job-access', accessJob().events],
]);
// logo, access, logo, access, ... then the rest of the longer stream.
const read = interleave(histories, []);

describe('projecting many jobs from a global read', () => {
  it('groups a global read by stream, keeping each stream in order', () => {
    const grouped = byStream(read);
    expect([...grouped.keys()]).toEqual(['job-logo', 'job-access']);
    expect(grouped.get('job-access')?.map((e) => e.metadata.streamPosition)).toEqual([
      1, 2, 3, 4, 5, 6, 7, 8, 9,
    ]);
  });

  it('projects every job at once, each equal to projecting it alone', () => {
    const projections: Projection<unknown, unknown>[] = [
      summaryProjection,
      ledgerProjection,
      outboxProjection,
      closingStatementProjection,
      scheduleProjection({ asOf: '2014-11-21' }),
    ];
    for (const projection of projections) {
      const all = projectAll(projection, read);
      expect([...all.keys()]).toEqual(['job-logo', 'job-access']);
      for (const [streamId, events] of histories)
        expect(all.get(streamId)).toEqual(project(projection, events));
    }
  });

  it('reads an async global read (store.readAll())', async () => {
    async function* readAll(): AsyncIterable<RecordedEvent> {
      for (const { type, data, metadata } of read) {
        const { streamId, streamPosition = 0, globalPosition = 0 } = metadata;
        yield {
          type,
          data,
          metadata: {
            eventId: `e${String(globalPosition)}`,
            streamId,
            streamPosition,
            globalPosition,
            schemaVersion: 1,
            recordedAt: '2026-01-01T00:00:00Z',
          },
        };
      }
    }
    const all = await projectAllAsync(summaryProjection, readAll());
    expect(all.get('job-logo')?.totals.released).toBe(24000);
    expect(all.get('job-access')?.status).toBe('in-progress'); // the accepted terms' prefund held: work may begin
  });

  it('skips a redelivered event (at-least-once delivery) and refuses a gap', () => {
    const projector = createGlobalProjector(ledgerProjection);
    const [first, second, third] = read;
    if (first === undefined || second === undefined || third === undefined)
      throw new Error('short read');
    expect(projector.push(first)).toBe(true);
    expect(projector.push(first)).toBe(false);
    expect(projector.version(first.metadata.streamId)).toBe(1);
    // `third` is logo's second event, `second` access's first.
    expect(() => projector.push(read[4] as (typeof read)[number])).toThrow(
      expect.objectContaining({ code: 'INVALID_HISTORY' }),
    );
    expect(projector.push(second)).toBe(true);
    expect(projector.push(third)).toBe(true);
    expect(projector.streamIds()).toEqual(['job-logo', 'job-access']);
    expect(projector.lastGlobalPosition).toBe(3);
    expect(projector.view('nope')).toBeUndefined();
    expect(projector.view('job-logo')?.version).toBe(2);
  });

  it('validates stored events by default (INVALID_INPUT), or decodes them as told', () => {
    const bad = [
      {
        type: 'MilestoneFunded',
        data: { milestoneId: 'm1', amount: 1.5 },
        metadata: { streamId: 's' },
      },
    ];
    expect(() => projectAll(summaryProjection, bad)).toThrow(
      expect.objectContaining({ code: 'INVALID_INPUT' }),
    );
    // A decode that upcasts an old event type name.
    const old = [
      {
        type: 'JobAwardedV0',
        data: {
          jobId: 'j',
          title: 'T',
          clientId: 'c',
          freelancerId: 'f',
          currency: 'EUR',
          at: '2014-11-03T09:00:00Z',
        },
        metadata: { streamId: 's' },
      },
    ];
    const all = projectAll(summaryProjection, old, {
      decode: (e) => ({ type: 'JobAwarded', data: e.data }),
    });
    expect(all.get('s')?.currency).toBe('EUR');
  });

  it('a stream without positions is folded in the order it comes', () => {
    const plain = (histories.get('job-access') ?? []).map((e) => ({
      ...e,
      metadata: { streamId: 'a' },
    }));
    expect(projectAll(summaryProjection, plain).get('a')).toEqual(
      project(summaryProjection, histories.get('job-access') ?? []),
    );
  });
});
