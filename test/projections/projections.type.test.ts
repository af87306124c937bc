import { describe, expectTypeOf, it } from 'vitest';
import { type JobSummary } from '../../src/index.js';
import {
  ledgerProjection,
  outboxProjection,
  projectAll,
  projectAllAsync,
  summaryProjection,
  type Ledger,
  type Notification,
  type NotificationData,
  type Outbox,
  type Projection,
  type StreamEvent,
  type ViewOf,
} from '../../src/projections/index.js';
import type { RecordedEvent } from '../../src/store/port.js';

describe('read models: public types', () => {
  it('a store record is a stream event, and projectAll maps stream ids to views', () => {
    expectTypeOf<RecordedEvent>().toExtend<StreamEvent>();
    expectTypeOf(projectAll(summaryProjection, [] as RecordedEvent[])).toEqualTypeOf<
      ReadonlyMap<string, JobSummary>
    >();
    expectTypeOf(
      projectAllAsync(ledgerProjection, (async function* () {})() as AsyncIterable<RecordedEvent>),
    ).toEqualTypeOf<Promise<ReadonlyMap<string, Ledger>>>();
  });

  it('every projection fits a list of projections of unknown views', () => {
    expectTypeOf(ledgerProjection).toExtend<Projection<unknown, unknown>>();
    expectTypeOf<ViewOf<typeof outboxProjection>>().toEqualTypeOf<Outbox>();
  });

  it('a notification narrows by kind', () => {
    const n = {} as Notification;
    if (n.kind === 'milestone-funded')
      expectTypeOf(n.data).toEqualTypeOf<NotificationData['milestone-funded']>();
    expectTypeOf<Ledger['balances']['freelancer']>().toEqualTypeOf<number | undefined>();
  });
});
