import fc from 'fast-check';
import { expect } from 'vitest';
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
import { tableEntries, tableGet } from '../../src/domain/shared/table.js';
import { formatInstant, instantMs } from '../../src/domain/shared/time.js';
import { escrowArbitraries } from '../../src/testing/index.js';
import { at, CLIENT, FREELANCER, JOB } from '../app/histories.js';

/*
 * The machinery of races.prop.test.ts: a store whose every call waits for fast-check's scheduler,
 * the soundness checks of a raced stream (C1–C5, a legal history, nothing released twice), and
 * the linearisability check (the outcomes are those of some serial order).
 */

/** Every store call waits for the scheduler's go. */
export function scheduled(store: EventStore, s: fc.Scheduler): EventStore {
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

export type Outcome = { ok: true; events: readonly JobEvent[] } | { ok: false; code: string };

function settle(p: Promise<HandleResult>): Promise<Outcome> {
  return p.then(
    (r) => ({ ok: true as const, events: r.events }),
    (e: unknown) => {
      if (!isDomainError(e)) throw e;
      return { ok: false as const, code: e.code };
    },
  );
}

export async function streamOf(store: EventStore): Promise<JobEvent[]> {
  return (await recordedOf(store)).map(({ type, data }) => ({ type, data }) as JobEvent);
}

async function recordedOf(store: EventStore): Promise<RecordedEvent[]> {
  const out: RecordedEvent[] = [];
  for await (const e of store.readStream(`job-${JOB}`)) out.push(e);
  return out;
}

/**
 * C1, C3 and C5 after every event; C2 and C4 after every decision (whose events share a `commandId`: an
 * automatic refund settles C2/C4 within its decision); the stream is a legal history; no milestone is released twice.
 */
export async function expectSound(store: EventStore): Promise<void> {
  const recorded = await recordedOf(store);
  let state = fold([]);
  recorded.forEach((e, i) => {
    state = fold([{ type: e.type, data: e.data } as JobEvent], state);
    const endOfDecision = recorded[i + 1]?.metadata['commandId'] !== e.metadata['commandId'];
    const broken = invariantViolations(state).filter(
      (v) => endOfDecision || v.rule === 'C1' || v.rule === 'C3' || v.rule === 'C5',
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
export async function race(
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

/*
 * Commands of part two (and part one's money moves) for the widened race property, built from the
 * state: the milestones and disputes it names are the job's, the actor mostly one who may issue it.
 */
const KINDS = [
  'release',
  'fund',
  'refund',
  'submit',
  'expire-review',
  'open',
  'offer',
  'accept',
  'escalate',
  'expire-dispute',
  'resolve',
  'withdraw',
  'changes',
  'accept-terms',
  'close',
] as const;
export interface RaceTemplate {
  readonly kind: (typeof KINDS)[number];
  readonly pick: number;
  readonly who: number;
}
export const raceTemplates: fc.Arbitrary<RaceTemplate> = fc.record({
  kind: fc.constantFrom(...KINDS),
  pick: fc.nat(),
  who: fc.nat(),
});

/** A command of `t`'s kind against `state`, mostly by an actor who may issue it. */
export function raceCommand(
  t: RaceTemplate,
  state: JobState,
  n: number,
  when: string,
): JobCommandInput {
  const award = state.job.award;
  const client = award?.clientId ?? CLIENT;
  const freelancer = award?.freelancerId ?? FREELANCER;
  const platform = award?.platformId ?? 'platform';
  const actors = [client, freelancer, platform];
  const of = <T>(items: readonly T[], fallback: T): T =>
    items[t.pick % Math.max(1, items.length)] ?? fallback;
  // Mostly a milestone holding money: where releases, refunds, expiries and disputes apply.
  const ids = state.terms.active?.milestones.map((m) => m.milestoneId) ?? [];
  const holding = ids.filter((id) => (tableGet(state.escrow.milestones, id)?.held ?? 0) > 0);
  const milestoneId = of(holding.length > 0 && t.who % 4 !== 0 ? holding : ids, 'm1');
  const disputes = tableEntries(state.dispute.disputes).map(([, d]) => d);
  const dispute = of(
    disputes.filter((d) => d.status === 'open'),
    disputes[0],
  );
  const disputeId = dispute?.disputeId ?? 'd-none';
  const held = tableGet(state.escrow.milestones, dispute?.milestoneId ?? milestoneId)?.held ?? 0;
  const refund = [0, Math.floor(held / 2), held][t.who % 3] ?? 0;
  const party = (role: string | undefined) =>
    role === 'client' ? client : role === 'freelancer' ? freelancer : of(actors, client);
  const anyone = actors[t.who % 3] ?? client;
  const c = (type: string, actor: string, data: object): JobCommandInput =>
    ({ type, actor, at: when, data }) as JobCommandInput;
  switch (t.kind) {
    case 'release':
      return c('ReleaseFunds', client, { milestoneId });
    case 'fund':
      return c('FundMilestone', client, {
        milestoneId,
        fundingId: `race-f${String(n)}`,
        source: 'card:race',
      });
    case 'refund':
      return c('RefundMilestone', freelancer, { milestoneId });
    case 'submit':
      return c('SubmitWork', freelancer, { milestoneId });
    case 'expire-review':
      return c('ExpireReview', t.who % 2 === 0 ? platform : freelancer, { milestoneId });
    case 'open':
      return c('OpenDispute', t.who % 2 === 0 ? client : freelancer, {
        disputeId: `race-d${String(n)}`,
        milestoneId,
        refund,
      });
    case 'offer':
      return c('ProposeSettlement', t.who % 2 === 0 ? client : freelancer, { disputeId, refund });
    case 'accept':
      return c('AcceptSettlement', party(dispute?.offerBy === 'client' ? 'freelancer' : 'client'), {
        disputeId,
        refund: dispute?.refund ?? refund,
      });
    case 'escalate':
      return c('EscalateDispute', t.who % 2 === 0 ? client : freelancer, { disputeId });
    case 'expire-dispute':
      return c('ExpireDispute', anyone, { disputeId });
    case 'resolve':
      return c('ResolveDispute', anyone, { disputeId, refund });
    case 'changes':
      return c('RequestChanges', client, { milestoneId });
    case 'accept-terms': {
      const pending = state.terms.pending;
      const by = pending?.by === 'client' ? freelancer : client;
      return c('AcceptTerms', by, { proposalId: pending?.proposalId ?? 'p-none' });
    }
    case 'close':
      return c('CloseJob', client, {});
    case 'withdraw':
      return c('WithdrawDispute', party(dispute?.openedBy), { disputeId });
  }
}

/*
 * The widened property: jobs generated by the toolkit (part two's policies, fees, disputes,
 * expiries among part one's moves) and two commands of any of the three actors, part two's among
 * them, at one instant from a little to long after the job's last event (so that deadlines may
 * have passed).
 */
const DAY = 24 * 60; // minutes
const arb = escrowArbitraries(fc, { jobId: JOB, clientId: CLIENT, freelancerId: FREELANCER });

/** Races two commands drawn for a generated job, `numRuns` times; the first events of the winners. */
export async function raceAnyTwo(options: {
  numRuns: number;
  seed?: number;
}): Promise<Set<string>> {
  const won = new Set<string>();
  await fc.assert(
    fc.asyncProperty(
      arb.history({ maxSteps: 30 }),
      raceTemplates,
      raceTemplates,
      fc.constantFrom(0, 60, DAY + 1, 8 * DAY, 15 * DAY, 91 * DAY),
      fc.scheduler(),
      fc.boolean(),
      async (history, t1, t2, later, s, disputed) => {
        const prefix = [...history.commands];
        let state = history.state;
        const last = state.job.lastAt ?? at(0);
        if (disputed) {
          // Half the jobs go into the race with a dispute open, where it can be answered: the
          // first milestone funded if it holds nothing, then a dispute on one that holds money.
          for (const [kind, who] of [
            ['fund', 0],
            ['open', 1],
          ] as const) {
            const command = raceCommand({ kind, pick: 0, who }, state, 98 + who, last);
            try {
              state = fold(decide(command, state), state);
              prefix.push(command);
            } catch (error) {
              if (!isDomainError(error)) throw error;
            }
          }
        }
        // Both at one instant, from now to past every deadline (spec §7: time runs forwards).
        const when = formatInstant(instantMs(last) + later * 60_000);
        const { outcomes } = await race(s, prefix, [
          raceCommand(t1, state, 100, when),
          raceCommand(t2, state, 101, when),
        ]);
        for (const o of outcomes) if (o.ok && o.events[0] !== undefined) won.add(o.events[0].type);
      },
    ),
    options,
  );
  return won;
}
