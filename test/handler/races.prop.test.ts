import { tableGet } from '../../src/domain/shared/table.js';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { fold, type JobCommandInput } from '../../src/index.js';
import { createCommandHandler } from '../../src/handler/command-handler.js';
import { createInMemoryEventStore } from '../../src/store/memory.js';
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
import { race, raceAnyTwo, scheduled } from './race-support.js';

/*
 * Races: several command handlers (as in several web requests or processes) handle commands on
 * one job at once. fast-check's scheduler decides, for every read and every append, when it
 * happens, and explores the interleavings. Whatever the order: exactly one writer wins each
 * race, no money moves twice, C1–C5 hold after every event, and each loser's retry ends in the
 * result or the error it would have had, had it come second (race-support.ts).
 */

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
});

// ---- part two: an expired review racing a release; an acceptance racing a revised offer ----

const PLATFORM = 'platform-1';
const DAY_MINUTES = 24 * 60;
/** The job under a policy (one review day, one response day, a 10 % fee), terms m1 and m2 active. */
const partTwo: JobCommandInput[] = [
  {
    type: 'AwardJob',
    actor: CLIENT,
    at: at(0),
    data: {
      jobId: JOB,
      title: 'Microsoft Access database',
      clientId: CLIENT,
      freelancerId: FREELANCER,
      currency: 'USD',
      platformId: PLATFORM,
      policy: { reviewDays: 1, disputeResponseDays: 1, serviceFeeBps: 1000 },
    },
  },
  ...started.slice(1),
  {
    type: 'FundMilestone',
    actor: CLIENT,
    at: at(4),
    data: { milestoneId: 'm2', fundingId: 'f2', source: 'card:2' },
  },
  { type: 'SubmitWork', actor: FREELANCER, at: at(5), data: { milestoneId: 'm1' } },
];
const command = (type: string, actor: string, minutes: number, data: object): JobCommandInput =>
  ({ type, actor, at: at(minutes), data }) as JobCommandInput;

describe('races of part two through the command handler (spec §8, §9)', () => {
  it('R15: an ExpireReview racing a ReleaseFunds: exactly one releases m1, the other is ALREADY_RELEASED; the fee is charged once', async () => {
    const due = 5 + DAY_MINUTES; // the review of m1 ran out: both may release it
    const seen = new Set<string>();
    await fc.assert(
      fc.asyncProperty(fc.scheduler(), async (s) => {
        const { outcomes, after } = await race(s, partTwo, [
          command('ExpireReview', PLATFORM, due, { milestoneId: 'm1' }),
          command('ReleaseFunds', CLIENT, due, { milestoneId: 'm1' }),
        ]);
        const [expiry, release] = outcomes;
        expect(outcomes.filter((o) => o.ok)).toHaveLength(1);
        expect(outcomes.find((o) => !o.ok)).toEqual({ ok: false, code: 'ALREADY_RELEASED' });
        seen.add(expiry?.ok === true ? 'expired' : 'released');
        if (expiry?.ok === true)
          expect(expiry.events.map((e) => e.type)).toEqual(['ReviewExpired', 'FundsReleased']);
        else expect(release?.ok).toBe(true);
        const releases = after.filter((e) => e.type === 'FundsReleased');
        expect(releases.map((e) => e.data)).toEqual([
          { milestoneId: 'm1', amount: 7500, fee: 750, at: at(due) },
        ]);
        const totals = fold(after).escrow.totals;
        expect(totals).toMatchObject({ released: 7500, fees: 750, held: 10000 });
      }),
      { numRuns: 40 },
    );
    expect([...seen].sort()).toEqual(['expired', 'released']);
  });

  it('R15: an ExpireReview racing a ReleaseFunds before the review ran out: the release wins alone, the expiry is TOO_EARLY or ALREADY_RELEASED', async () => {
    const early = 6; // the review of m1 runs until 5 + one day
    await fc.assert(
      fc.asyncProperty(fc.scheduler(), async (s) => {
        const { outcomes } = await race(s, partTwo, [
          command('ExpireReview', FREELANCER, early, { milestoneId: 'm1' }),
          command('ReleaseFunds', CLIENT, early, { milestoneId: 'm1' }),
        ]);
        expect(outcomes[1]?.ok).toBe(true);
        expect(['TOO_EARLY', 'ALREADY_RELEASED']).toContain(
          outcomes[0]?.ok === false ? outcomes[0].code : 'accepted',
        );
      }),
      { numRuns: 30 },
    );
  });

  it("R18: an AcceptSettlement racing the offer's revision: one wins; the acceptance meets SETTLEMENT_MISMATCH, or the revision DISPUTE_CLOSED", async () => {
    // The client disputes m2 (10000 held) offering 6000 back; the freelancer must answer.
    const prefix = [
      ...partTwo,
      command('OpenDispute', CLIENT, 10, { disputeId: 'd1', milestoneId: 'm2', refund: 6000 }),
    ];
    const accept = command('AcceptSettlement', FREELANCER, 20, { disputeId: 'd1', refund: 6000 });
    const revise = command('ProposeSettlement', CLIENT, 20, { disputeId: 'd1', refund: 8000 });
    const seen = new Set<string>();
    await fc.assert(
      fc.asyncProperty(fc.scheduler(), async (s) => {
        const { outcomes, after } = await race(s, prefix, [accept, revise]);
        expect(outcomes.filter((o) => o.ok)).toHaveLength(1);
        const state = fold(after);
        if (outcomes[0]?.ok === true) {
          seen.add('accepted');
          // Settled on the offer the freelancer read: 6000 back to card:2, 4000 released less 400.
          expect(outcomes[1]).toEqual({ ok: false, code: 'DISPUTE_CLOSED' });
          expect(after.slice(-3)).toMatchObject([
            { type: 'DisputeSettled', data: { outcome: 'agreed', refund: 6000, release: 4000 } },
            {
              type: 'FundsRefunded',
              data: { amount: 6000, source: 'card:2', reason: 'dispute-settled' },
            },
            { type: 'FundsReleased', data: { milestoneId: 'm2', amount: 4000, fee: 400 } },
          ]);
        } else {
          seen.add('revised');
          // Nobody accepts an offer that changed under them: the money is still held, the new offer stands.
          expect(outcomes[0]).toEqual({ ok: false, code: 'SETTLEMENT_MISMATCH' });
          expect(tableGet(state.dispute.disputes, 'd1')).toMatchObject({
            status: 'open',
            offerBy: 'client',
            refund: 8000,
          });
          expect(tableGet(state.escrow.milestones, 'm2')?.held).toBe(10000);
        }
        // Every cent somewhere: held + released + refunded = funded.
        const t = state.escrow.totals;
        expect(t.held + t.released + t.refunded).toBe(t.funded);
      }),
      { numRuns: 40 },
    );
    expect([...seen].sort()).toEqual(['accepted', 'revised']);
  });

  it("R18, R20: two acceptances of one offer, or an acceptance racing the platform's expiry: the dispute settles once", async () => {
    const prefix = [
      ...partTwo,
      command('OpenDispute', FREELANCER, 10, { disputeId: 'd1', milestoneId: 'm2', refund: 2500 }),
    ];
    const due = 10 + DAY_MINUTES;
    await fc.assert(
      fc.asyncProperty(fc.scheduler(), async (s) => {
        const { outcomes, after } = await race(s, prefix, [
          command('AcceptSettlement', CLIENT, due, { disputeId: 'd1', refund: 2500 }),
          command('ExpireDispute', PLATFORM, due, { disputeId: 'd1' }),
          command('AcceptSettlement', CLIENT, due, { disputeId: 'd1', refund: 2500 }),
        ]);
        expect(outcomes.filter((o) => o.ok)).toHaveLength(1);
        expect(outcomes.flatMap((o) => (o.ok ? [] : [o.code]))).toEqual([
          'DISPUTE_CLOSED',
          'DISPUTE_CLOSED',
        ]);
        expect(after.filter((e) => e.type === 'DisputeSettled')).toHaveLength(1);
      }),
      { numRuns: 40 },
    );
  });

  it('property: any two commands from both parties raced on any job are linearisable and keep C1–C5', async () => {
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

describe('races of any two commands on any job', () => {
  it("property: any two commands of the client, the freelancer and the platform, part two's among them, raced on any job (policies, fees, disputes, expiries) are linearisable and keep C1–C5", async () => {
    await raceAnyTwo({ numRuns: 100 }); // a new seed each run: other races every time
  });

  it('the race property reaches part two: disputes answered and escalated, ended, or reviews expired (a fixed seed; RACE_SEED tries others)', async () => {
    // Fixed, so that CI sees the same 100 races every time; with the dispute opened before the
    // race (above) every seed tried (1–14) reached all of these.
    const won = await raceAnyTwo({
      numRuns: 100,
      seed: Number(process.env['RACE_SEED'] ?? 20261130),
    });
    expect([...won]).toEqual(expect.arrayContaining(['SettlementProposed', 'DisputeEscalated']));
    expect(['DisputeSettled', 'DisputeWithdrawn', 'ReviewExpired'].some((t) => won.has(t))).toBe(
      true,
    );
  });
});
