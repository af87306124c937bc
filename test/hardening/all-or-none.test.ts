import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  createCommandHandler,
  createHistoryChecker,
  createInMemoryEventStore,
  createInMemorySnapshotStore,
  decide,
  fold,
  isDomainError,
  type DomainError,
  type EventStore,
  type JobEvent,
} from '../../src/index.js';
import {
  closingStatementProjection,
  createGlobalProjector,
  createProjector,
  createTimeline,
  jobStateProjection,
  ledgerProjection,
  outboxProjection,
  renderMilestoneTable,
  scheduleProjection,
  summaryProjection,
  timeline,
  type Projection,
} from '../../src/projections/index.js';
import { logoDesign, microsoftAccess } from '../../src/testing/fixtures.js';
import { funded, milestoneOf, OPENED_AT, opened } from '../domain/opening.js';
import { HISTORIES } from '../projections/histories.js';

/*
 * The objects that live on after a call throws (a timeline, a projector, the history checker):
 * a rejected event leaves them exactly as they were, and they go on as if it had never been
 * pushed. They took part of it: the timeline's state, its count and its note of a settlement
 * being told; a projector's state (terms accepted without data cleared the pending proposal
 * before throwing on the instant), a ledger's postings, an outbox's notifications; a global
 * projector's stream; the checker's position and its "time runs forward".
 */

function thrown(f: () => unknown): DomainError {
  try {
    f();
  } catch (error) {
    if (isDomainError(error)) return error;
    throw error;
  }
  throw new Error('expected a DomainError');
}

function withData(event: JobEvent, data: Record<string, unknown>): JobEvent {
  return { ...event, data: { ...event.data, ...data } } as JobEvent;
}

const access = microsoftAccess.events;

describe('a timeline push that throws leaves the timeline as it was', () => {
  it('goes on with the lines of the history without the rejected event', () => {
    const t = createTimeline();
    t.push(access[0] as JobEvent);
    // Told whole, then thrown on its instant once the state had taken the proposal.
    const error = thrown(() => t.push(withData(access[1] as JobEvent, { at: null })));
    expect(error.code).toBe('INVALID_INPUT');
    expect(error.details.position).toBe(2);
    const lines = access.slice(1).map((event) => t.push(event));
    expect(lines).toEqual(timeline(access).slice(1));
  });

  it('does not count a rejected event: the next one names its own position', () => {
    const t = createTimeline();
    t.push(access[0] as JobEvent);
    expect(thrown(() => t.push(withData(access[1] as JobEvent, { at: 5 }))).details.position).toBe(
      2,
    );
    expect(thrown(() => t.push(withData(access[1] as JobEvent, { at: 5 }))).details.position).toBe(
      2,
    );
  });

  it('does not tell the next release as a settlement after a rejected settlement refund', () => {
    const logo = logoDesign.events;
    const release = logo[4] as JobEvent;
    expect(release.type).toBe('FundsReleased');
    const t = createTimeline();
    for (const event of logo.slice(0, 4)) t.push(event);
    const refund = {
      type: 'FundsRefunded',
      data: {
        milestoneId: 'm1',
        fundingId: 'f1',
        amount: 7500,
        source: null,
        reason: 'dispute-settled',
        at: release.data.at,
      },
    } as unknown as JobEvent;
    expect(thrown(() => t.push(refund)).code).toBe('INVALID_INPUT');
    expect(t.push(release)).toBe(timeline(logo)[4]);
    expect(t.push(release)).not.toMatch(/escrow released/);
  });
});

describe('a projector push that throws leaves the projector as it was', () => {
  it('keeps the pending proposal when an acceptance without data is rejected', () => {
    const events = access.slice(0, 5);
    const accepted = access[5] as JobEvent;
    expect(accepted.type).toBe('TermsAccepted');
    const p = createProjector(summaryProjection);
    for (const event of events) p.push(event);
    const before = p.view();
    const error = thrown(() => {
      p.push({ ...accepted, data: null } as unknown as JobEvent);
    });
    expect(error.details.position).toBe(6);
    expect(p.view()).toEqual(before);
    expect(p.version).toBe(5);
  });

  it('posts nothing of a refund the state rejects (ledger)', () => {
    const at = access.findIndex((e) => e.type === 'FundsRefunded');
    const p = createProjector(ledgerProjection);
    for (const event of access.slice(0, at)) p.push(event);
    const before = p.view();
    thrown(() => {
      p.push(withData(access[at] as JobEvent, { at: undefined }));
    });
    expect(p.view()).toEqual(before);
  });

  it('a global projector does not know a stream whose first event was rejected', () => {
    const p = createGlobalProjector(jobStateProjection, {
      decode: (e) => e as unknown as JobEvent,
    });
    const first = access[0] as JobEvent;
    const bad = { type: first.type, data: null, metadata: { streamId: 's', streamPosition: 1 } };
    expect(thrown(() => p.push(bad)).code).toBe('INVALID_INPUT');
    expect(p.streamIds()).toEqual([]);
    expect(p.view('s')).toBeUndefined();
    expect(p.version('s')).toBe(0);
    expect(p.push({ ...first, metadata: { streamId: 's', streamPosition: 1 } })).toBe(true);
    expect(p.version('s')).toBe(1);
  });
});

describe('a history checker push that throws leaves the checker as it was', () => {
  it('keeps its position', () => {
    const checker = createHistoryChecker();
    checker.push(access[0] as JobEvent);
    thrown(() => {
      checker.push(access[2] as JobEvent);
    });
    expect(checker.position).toBe(1);
    checker.push(access[1] as JobEvent);
    expect(checker.position).toBe(2);
  });

  it('does not make time run forward for a rejected part-two event', () => {
    // A part-one history (an award without a policy): its commands may go back in time.
    const award = access[0] as JobEvent & { type: 'JobAwarded' };
    const { policy: _policy, ...v1 } = award.data;
    const proposal = access[1] as JobEvent;
    const checker = createHistoryChecker();
    checker.push({ ...award, data: v1 });
    checker.push(proposal);
    const dispute = {
      type: 'DisputeOpened',
      data: {
        disputeId: 'd1',
        milestoneId: 'schema',
        by: 'client',
        refund: 0,
        respondBy: '2014-11-10T00:00:00Z',
        at: proposal.data.at,
      },
    } as unknown as JobEvent;
    expect(thrown(() => checker.push(dispute)).code).toBe('INVALID_HISTORY');
    // Earlier than the proposal: part one allowed it, and still does.
    const back = withData(access[3] as JobEvent, { at: '2014-11-03T09:00:00Z' });
    expect(back.type).toBe('TermsProposed');
    checker.push(back);
    expect(checker.position).toBe(3);
  });
});

// Values a trusted event may hold by mistake, in any field or as its data.
const BAD: readonly unknown[] = [null, undefined, 5, -1, 1.5, 'x', 'nope', {}, [], [null], 10n];

/** Event `i` of `events` with one field (or its data, or its type) replaced by `bad`. */
function spoiled(event: JobEvent, field: number, bad: unknown): unknown {
  const keys = [...Object.keys(event.data), '(data)', '(type)'];
  const key = keys[field % keys.length] as string;
  if (key === '(data)') return { ...event, data: bad };
  if (key === '(type)') return { ...event, type: bad };
  return { ...event, data: { ...event.data, [key]: bad } };
}

const spoilArb = fc.record({
  at: fc.nat(),
  field: fc.nat(),
  bad: fc.constantFrom(...BAD),
});

const PROJECTIONS: readonly (readonly [string, Projection<unknown, unknown>])[] = [
  ['job state', jobStateProjection],
  ['summary', summaryProjection],
  ['schedule', scheduleProjection({ asOf: '2014-12-01' })],
  ['ledger', ledgerProjection],
  ['closing statement', closingStatementProjection],
  ['outbox', outboxProjection],
];

describe.each(HISTORIES)('an event pushed all or none (%s histories)', (_, historyArb) => {
  it('a timeline that rejected a spoiled event goes on as if it had never been pushed', () => {
    fc.assert(
      fc.property(historyArb('job', 30), spoilArb, (events, spoil) => {
        if (events.length === 0) return;
        const i = spoil.at % events.length;
        const t = createTimeline();
        const lines = events.slice(0, i).map((event) => t.push(event));
        try {
          t.push(spoiled(events[i] as JobEvent, spoil.field, spoil.bad) as JobEvent);
          return; // taken as it is: a trusted event the fold could read
        } catch (error) {
          expect(isDomainError(error)).toBe(true);
          expect((error as DomainError).details.position).toBe(i + 1);
        }
        for (const event of events.slice(i)) lines.push(t.push(event));
        expect(lines).toEqual(timeline(events));
      }),
      { numRuns: 150 },
    );
  });

  it.each(PROJECTIONS)(
    'the %s projector that rejected a spoiled event is as it was',
    (_name, projection) => {
      fc.assert(
        fc.property(historyArb('job', 30), spoilArb, (events, spoil) => {
          if (events.length === 0) return;
          const i = spoil.at % events.length;
          const p = createProjector(projection);
          for (const event of events.slice(0, i)) p.push(event);
          const before = p.view();
          try {
            p.push(spoiled(events[i] as JobEvent, spoil.field, spoil.bad) as JobEvent);
            return;
          } catch (error) {
            expect(isDomainError(error)).toBe(true);
          }
          expect(p.view()).toEqual(before);
          expect(p.version).toBe(i);
          for (const event of events.slice(i)) p.push(event);
          const whole = createProjector(projection);
          for (const event of events) whole.push(event);
          expect(p.view()).toEqual(whole.view());
        }),
        { numRuns: 100 },
      );
    },
  );
});

describe('the stores after a call they reject, or a batch of any size', () => {
  it('the in-memory store appends a batch of 200,000 events whole (spread into push, a RangeError)', async () => {
    const store = createInMemoryEventStore();
    const event = { type: 'Noted', data: { n: 1 } };
    const events = Array.from({ length: 200_000 }, () => event);
    const result = await store.appendToStream('s', events, { expectedVersion: 'no-stream' });
    expect(result).toEqual({ nextExpectedVersion: 200_000, lastGlobalPosition: 200_000 });
    expect(await store.streamVersion('s')).toBe(200_000);
  }, 30_000);

  it.each([
    ['a BigInt', 10n],
    ['a cycle', cyclic()],
  ])(
    "the in-memory snapshot store's save rejects a state of %s with INVALID_INPUT and keeps nothing",
    async (_, state) => {
      const snapshots = createInMemorySnapshotStore();
      let result: unknown;
      try {
        result = await snapshots
          .save({
            streamId: 's',
            version: 1,
            snapshotVersion: 'v',
            state,
            idempotency: [],
            takenAt: '2026-01-02T03:04:05Z',
          })
          .then(
            () => 'saved',
            (error: unknown) => error,
          );
      } catch (error) {
        result = `thrown, not rejected: ${String(error)}`;
      }
      expect(isDomainError(result) && result.code).toBe('INVALID_INPUT');
      expect(isDomainError(result) && result.details.path).toBe('snapshot.state');
      expect(await snapshots.load('s')).toBeUndefined();
    },
  );
});

function cyclic(): unknown {
  const o: Record<string, unknown> = {};
  o['self'] = o;
  return o;
}

describe('a history checker after finish', () => {
  it('goes on when pushed more (finish froze its state in place: a TypeError)', () => {
    const checker = createHistoryChecker();
    for (const event of access.slice(0, 3)) checker.push(event);
    const finished = checker.finish();
    checker.push(access[3] as JobEvent);
    checker.push(access[4] as JobEvent);
    expect(checker.position).toBe(5);
    expect(finished.version).toBe(3);
    expect(checker.finish().version).toBe(5);
  });
});

describe('the command handler after its append', () => {
  it('does not report a written command as failed when the snapshot and the read-back both fail', async () => {
    const inner = createInMemoryEventStore();
    let readable = true;
    const store: EventStore = {
      appendToStream: async (streamId, events, options) => {
        const result = await inner.appendToStream(streamId, events, options);
        readable = false; // the connection drops right after the commit
        return result;
      },
      streamVersion: (streamId) => inner.streamVersion(streamId),
      readAll: (options) => inner.readAll(options),
      readStream: (streamId, options) => {
        if (!readable) throw new Error('connection lost');
        return inner.readStream(streamId, options);
      },
    };
    const snapshots = createInMemorySnapshotStore();
    const handler = createCommandHandler({
      store,
      snapshots: {
        save: () => Promise.reject(new Error('disk full')),
        load: snapshots.load.bind(snapshots),
      },
      snapshotEvery: 1,
      onSnapshotError: (error) => {
        throw error;
      },
    });
    const award = logoDesign.commands[0];
    if (award === undefined) throw new Error('no award');
    const result = await handler.handle('logo-2014', award);
    expect(result.version).toBe(1);
    expect(await inner.streamVersion('job-logo-2014')).toBe(1);
    // Readable again: the handler catches up from the store and goes on.
    readable = true;
    const next = logoDesign.commands[1];
    if (next === undefined) throw new Error('no second command');
    expect((await handler.handle('logo-2014', next)).version).toBe(2);
  });
});

describe('the command handler over a store that writes part of a batch, then throws', () => {
  it('passes the error on, and decides the next command on what the store holds', async () => {
    const inner = createInMemoryEventStore();
    const store: EventStore = {
      // An app's store that is not atomic: the first event of a batch lands, then it fails.
      appendToStream: async (streamId, events, options) => {
        if (events.length < 2) return inner.appendToStream(streamId, events, options);
        await inner.appendToStream(streamId, events.slice(0, 1), options);
        throw new Error('connection lost mid-batch');
      },
      streamVersion: (streamId) => inner.streamVersion(streamId),
      readAll: (options) => inner.readAll(options),
      readStream: (streamId, options) => inner.readStream(streamId, options),
    };
    const handler = createCommandHandler({ store });
    const commands = logoDesign.commands;
    for (const command of commands.slice(0, 18)) await handler.handle('logo-2014', command);
    // The decline owes a refund: two events, of which only the decline is written.
    await expect(handler.handle('logo-2014', commands[18] as never)).rejects.toThrow(
      'connection lost mid-batch',
    );
    const stored: JobEvent[] = [];
    for await (const e of inner.readStream('job-logo-2014'))
      stored.push({ type: e.type, data: e.data } as JobEvent);
    const result = await handler.handle('logo-2014', commands[19] as never);
    expect(result.version).toBe(stored.length + result.events.length);
    expect(result.state).toEqual(fold([...stored, ...result.events]));
  });
});

describe('a decision of any size', () => {
  it('accepting terms that delete a milestone of 200,000 fundings refunds each one (push(...refunds) overflowed the stack: "state must be a job state")', () => {
    const events = opened([milestoneOf('m1', 1_000_000, 'm1'), milestoneOf('m2', 100, 'm2')]);
    for (let i = 0; i < 200_000; i++) events.push(funded(`f${String(i)}`));
    let state = fold(events);
    const proposal = decide(
      {
        type: 'ProposeTerms',
        actor: 'f',
        at: OPENED_AT,
        data: {
          proposalId: 'p2',
          milestones: [{ ...milestoneOf('m2', 100, 'm2'), description: undefined }],
        },
      },
      state,
    );
    state = fold(proposal, state);
    const accepted = decide(
      { type: 'AcceptTerms', actor: 'c', at: OPENED_AT, data: { proposalId: 'p2' } },
      state,
    );
    expect(accepted).toHaveLength(200_001);
    let refunded = 0;
    for (const event of accepted) if (event.type === 'FundsRefunded') refunded += event.data.amount;
    expect(refunded).toBe(200_000);
  }, 60_000);
});

describe('a milestone table of any size', () => {
  it('renders terms of 200,000 milestones as text (Math.max(...widths) was a RangeError)', () => {
    const milestones = Array.from({ length: 200_000 }, (_, i) =>
      milestoneOf(`m${String(i)}`, 100, `Milestone ${String(i)}`),
    );
    const state = fold(opened(milestones));
    const text = renderMilestoneTable(state);
    expect(text).toContain('Milestone 199999');
  }, 60_000);
});
