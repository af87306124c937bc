import { tableGet } from '../../src/domain/shared/table.js';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  decide,
  fold,
  isDomainError,
  verifyHistory,
  type JobCommandInput,
  type JobEvent,
  type JobState,
} from '../../src/index.js';
import { invariantViolations } from '../../src/testing/index.js';
import { createCommandHandler, type HandleResult } from '../../src/handler/command-handler.js';
import { createInMemoryEventStore } from '../../src/store/memory.js';
import type { EventStore, RecordedEvent } from '../../src/store/port.js';
import {
  at,
  award,
  CLIENT,
  commandFrom,
  FREELANCER,
  histories,
  JOB,
  propose,
  templates,
} from '../app/histories.js';

/*
 * Races: several command handlers (as in several web requests or processes) handle commands on
 * one job at once. fast-check's scheduler decides, for every read and every append, when it
 * happens, and explores the interleavings. Whatever the order: exactly one writer wins each
 * race, no money moves twice, C1–C4 hold after every event, and each loser's retry ends in the
 * result or the error it would have had, had it come second.
 */

/** Every store call waits for the scheduler's go. */
function scheduled(store: EventStore, s: fc.Scheduler): EventStore {
  return {
    appendToStream: (id, events, o) =>
      s
        .schedule(Promise.resolve(), `append ${String(events.length)}`)
        .then(() => store.appendToStream(id, events, o)),
    async *readStream(id, o) {
      await s.schedule(Promise.resolve(), `read after ${String(o?.after ?? 0)}`);
      yield* store.readStream(id, o);
    },
    streamVersion: (id) =>
      s.schedule(Promise.resolve(), 'version').then(() => store.streamVersion(id)),
    readAll: (o) => store.readAll(o),
  };
}

type Outcome = { ok: true; events: readonly JobEvent[] } | { ok: false; code: string };

function settle(p: Promise<HandleResult>): Promise<Outcome> {
  return p.then(
    (r) => ({ ok: true as const, events: r.events }),
    (e: unknown) => {
      if (!isDomainError(e)) throw e;
      return { ok: false as const, code: e.code };
    },
  );
}

async function streamOf(store: EventStore): Promise<JobEvent[]> {
  return (await recordedOf(store)).map(({ type, data }) => ({ type, data }) as JobEvent);
}

async function recordedOf(store: EventStore): Promise<RecordedEvent[]> {
  const out: RecordedEvent[] = [];
  for await (const e of store.readStream(`job-${JOB}`)) out.push(e);
  return out;
}

/**
 * C1 and C3 after every event; C2 and C4 after every decision (whose events share a `commandId`: an
 * automatic refund settles C2/C4 within its decision); the stream is a legal history; no milestone is released twice.
 */
async function expectSound(store: EventStore): Promise<void> {
  const recorded = await recordedOf(store);
  let state = fold([]);
  recorded.forEach((e, i) => {
    state = fold([{ type: e.type, data: e.data } as JobEvent], state);
    const endOfDecision = recorded[i + 1]?.metadata['commandId'] !== e.metadata['commandId'];
    const broken = invariantViolations(state).filter(
      (v) => endOfDecision || v.rule === 'C1' || v.rule === 'C3',
    );
    expect(broken).toEqual([]);
  });
  const events = recorded.map(({ type, data }) => ({ type, data }) as JobEvent);
  expect(() => verifyHistory(events)).not.toThrow();
  const releases = events.filter((e) => e.type === 'FundsReleased').map((e) => e.data.milestoneId);
  expect(new Set(releases).size).toBe(releases.length); // no money released twice
}

/** The outcomes of running the commands one after another, in this order, from `state`. */
function sequential(
  commands: readonly JobCommandInput[],
  state: JobState,
): { outcomes: Outcome[]; events: JobEvent[] } {
  const outcomes: Outcome[] = [];
  const events: JobEvent[] = [];
  let s = state;
  for (const c of commands) {
    try {
      const decided = decide(c, s);
      outcomes.push({ ok: true, events: decided });
      events.push(...decided);
      s = fold(decided, s);
    } catch (error) {
      if (!isDomainError(error)) throw error;
      outcomes.push({ ok: false, code: error.code });
    }
  }
  return { outcomes, events };
}

function permutations<T>(items: readonly T[]): T[][] {
  if (items.length <= 1) return [items.slice()];
  return items.flatMap((x, i) =>
    permutations([...items.slice(0, i), ...items.slice(i + 1)]).map((rest) => [x, ...rest]),
  );
}

/** Races `commands` from one handler each; checks the outcome equals some serial order's. */
async function race(
  s: fc.Scheduler,
  prefix: readonly JobCommandInput[],
  commands: readonly JobCommandInput[],
  keys: ReadonlyArray<string | undefined> = [],
) {
  const store = createInMemoryEventStore();
  const setup = createCommandHandler({ store });
  for (const c of prefix) await setup.handle(JOB, c);
  const before = await streamOf(store);
  const racing = scheduled(store, s);
  const runs = commands.map((c, i) => {
    const key = keys[i];
    return settle(
      createCommandHandler({ store: racing }).handle(
        JOB,
        c,
        key === undefined ? {} : { idempotencyKey: key },
      ),
    );
  });
  const outcomes = await s.waitFor(Promise.all(runs));
  const after = await streamOf(store);
  await expectSound(store);
  // Linearisable: the outcomes and the stream are those of the commands run in some serial order.
  const start = fold(before);
  const serial = permutations(commands.map((_, i) => i)).find((order) => {
    const run = sequential(
      order.map((i) => commands[i] as JobCommandInput),
      start,
    );
    const byCommand = new Map(order.map((i, k) => [i, run.outcomes[k]]));
    return (
      JSON.stringify([...before, ...run.events]) === JSON.stringify(after) &&
      commands.every((_, i) => JSON.stringify(byCommand.get(i)) === JSON.stringify(outcomes[i]))
    );
  });
  expect(serial, `no serial order explains ${JSON.stringify(outcomes)}`).toBeDefined();
  return { outcomes, after };
}

const started: JobCommandInput[] = [
  award(),
  propose('p1', [
    ['m1', 7500],
    ['m2', 10000],
  ]),
  { type: 'AcceptTerms', actor: FREELANCER, at: at(2), data: { proposalId: 'p1' } },
  {
    type: 'FundMilestone',
    actor: CLIENT,
    at: at(3),
    data: { milestoneId: 'm1', fundingId: 'f1', source: 'card:1' },
  },
];
const releaseM1 = (minutes: number): JobCommandInput => ({
  type: 'ReleaseFunds',
  actor: CLIENT,
  at: at(minutes),
  data: { milestoneId: 'm1' },
});

describe('races between command handlers on one job', () => {
  it('three releases of one milestone: exactly one wins, the others end in ALREADY_RELEASED', async () => {
    await fc.assert(
      fc.asyncProperty(fc.scheduler(), async (s) => {
        // Racing commands carry the same instant: a loser re-decided after a later event would
        // be INVALID_INPUT (spec §7: time does not run backwards), not the rule this aims at.
        const { outcomes, after } = await race(s, started, [
          releaseM1(10),
          releaseM1(10),
          releaseM1(10),
        ]);
        expect(outcomes.filter((o) => o.ok)).toHaveLength(1);
        expect(outcomes.flatMap((o) => (o.ok ? [] : [o.code]))).toEqual([
          'ALREADY_RELEASED',
          'ALREADY_RELEASED',
        ]);
        expect(after.filter((e) => e.type === 'FundsReleased')).toHaveLength(1);
      }),
      { numRuns: 60 },
    );
  });

  it('a double-submitted release with one idempotency key: one append, both get the same result', async () => {
    await fc.assert(
      fc.asyncProperty(fc.scheduler(), async (s) => {
        const store = createInMemoryEventStore();
        const setup = createCommandHandler({ store });
        for (const c of started) await setup.handle(JOB, c);
        const racing = scheduled(store, s);
        const [a, b] = await s.waitFor(
          Promise.all(
            [1, 2].map(() =>
              createCommandHandler({ store: racing }).handle(JOB, releaseM1(10), {
                idempotencyKey: 'release-m1',
              }),
            ),
          ),
        );
        expect(a?.events).toEqual(b?.events);
        expect(a?.state).toEqual(b?.state);
        expect([a?.replayed, b?.replayed].sort()).toEqual([false, true]);
        expect(await store.streamVersion(`job-${JOB}`)).toBe(started.length + 1);
      }),
      { numRuns: 40 },
    );
  });

  it('a fund racing a terms change that deletes the milestone: funded then refunded, or never funded', async () => {
    const prefix: JobCommandInput[] = [
      ...started,
      // The freelancer proposes to drop m2; the client accepts while also funding m2.
      propose('p2', [['m1', 7500]], FREELANCER, 5),
    ];
    const fundM2: JobCommandInput = {
      type: 'FundMilestone',
      actor: CLIENT,
      at: at(10),
      data: { milestoneId: 'm2', fundingId: 'f2', source: 'card:2' },
    };
    const acceptP2: JobCommandInput = {
      type: 'AcceptTerms',
      actor: CLIENT,
      at: at(10), // the fund's instant: either may be re-decided after the other (spec §7)
      data: { proposalId: 'p2' },
    };
    const seen = new Set<string>();
    await fc.assert(
      fc.asyncProperty(fc.scheduler(), async (s) => {
        const { outcomes, after } = await race(s, prefix, [fundM2, acceptP2]);
        expect(outcomes[1]?.ok).toBe(true); // the acceptance always stands
        const state = fold(after);
        expect(tableGet(state.escrow.milestones, 'm2')?.held ?? 0).toBe(0);
        if (outcomes[0]?.ok) {
          seen.add('funded-then-refunded');
          expect(after.slice(-2)).toMatchObject([
            { type: 'TermsAccepted' },
            {
              type: 'FundsRefunded',
              data: {
                milestoneId: 'm2',
                amount: 10000,
                source: 'card:2',
                reason: 'milestone-deleted',
              },
            },
          ]);
        } else {
          seen.add('never-funded');
          expect(outcomes[0]).toEqual({ ok: false, code: 'UNKNOWN_MILESTONE' });
        }
      }),
      { numRuns: 60 },
    );
    expect([...seen].sort()).toEqual(['funded-then-refunded', 'never-funded']);
  });

  it('a release racing a refund of the same milestone: the money goes one way only', async () => {
    const refund: JobCommandInput = {
      type: 'RefundMilestone',
      actor: FREELANCER,
      at: at(10),
      data: { milestoneId: 'm1' },
    };
    await fc.assert(
      fc.asyncProperty(fc.scheduler(), async (s) => {
        const { outcomes, after } = await race(s, started, [releaseM1(10), refund]);
        expect(outcomes.filter((o) => o.ok)).toHaveLength(1);
        const m1 = tableGet(fold(after).escrow.milestones, 'm1');
        expect((m1?.released ?? 0) + (m1?.refunded ?? 0)).toBe(7500);
      }),
      { numRuns: 40 },
    );
  });

  it('property: any two commands from both parties raced on any job are linearisable and keep C1–C4', async () => {
    await fc.assert(
      fc.asyncProperty(
        histories(15),
        templates,
        templates,
        fc.scheduler(),
        async (history, t1, t2, s) => {
          const state = fold(history.events);
          const c1 = commandFrom(t1, state, 100);
          const c2 = commandFrom(t2, state, 101);
          await race(s, history.commands, [c1, c2]);
        },
      ),
      { numRuns: 80 },
    );
  });
});
