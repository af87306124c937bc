import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  createHistoryChecker,
  isDomainError,
  type DomainError,
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
  scheduleProjection,
  summaryProjection,
  timeline,
  type Projection,
} from '../../src/projections/index.js';
import { logoDesign, microsoftAccess } from '../../src/testing/fixtures.js';
import { caught as thrown } from '../domain/helpers.js';
import { HISTORIES } from '../projections/histories.js';

/*
 * The objects that live on after a call throws (a timeline, a projector, the history checker):
 * a rejected event leaves them exactly as they were, and they go on as if it had never been
 * pushed. They took part of it: the timeline's state, its count and its note of a settlement
 * being told; a projector's state (terms accepted without data cleared the pending proposal
 * before throwing on the instant), a ledger's postings, an outbox's notifications; a global
 * projector's stream; the checker's position and its "time runs forward".
 */

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
