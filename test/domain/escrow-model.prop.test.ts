import { describe, expect, it } from 'vitest';
import { fc, test } from '@fast-check/vitest';
import {
  decide,
  fold,
  initialState,
  type JobCommandInput,
  type Milestone,
} from '../../src/index.js';
import { decideAll } from '../../src/testing/index.js';
import { numRuns } from './prop-support.js';
import { Answer, Close, Fund, Propose, Release, RefundMilestone } from './escrow-model-commands.js';
import {
  ACTORS,
  SOURCES,
  at,
  reached,
  refund,
  type Model,
  type ModelFunding,
  type Real,
  type Who,
} from './escrow-model.js';

/*
 * Model-based test (fc.commands): a tiny reference model of the escrow's money, written apart
 * from the domain, plain maps of fundings per milestone (so of held, released and refunded per
 * milestone and per payment source), is run side by side with the real decider. After every
 * command the model predicts whether it is accepted, and the money must match to the cent.
 * The model is escrow-model.ts, its commands escrow-model-commands.ts.
 */

/** Mostly the party each command needs (`auto`), sometimes the wrong one or a stranger. */
const who = fc.oneof(
  { weight: 6, arbitrary: fc.constant<Who>('auto') },
  { weight: 1, arbitrary: fc.constantFrom<Who>('client', 'freelancer', 'stranger') },
);
const pick = fc.nat({ max: 20 });
const edit = fc.record({
  kind: fc.constantFrom(
    'reduce' as const,
    'raise' as const,
    'reduce' as const,
    'raise' as const,
    'delete' as const,
    'add' as const,
    'swap' as const,
  ),
  pick,
  amount: fc.integer({ min: 1, max: 30_000 }),
});

const commands = fc.commands(
  [
    fc.oneof(
      {
        weight: 6,
        arbitrary: fc
          .tuple(who, fc.array(edit, { minLength: 1, maxLength: 3 }))
          .map(([w, edits]) => new Propose(w, edits)),
      },
      { weight: 7, arbitrary: who.map((w) => new Answer('AcceptTerms', w)) },
      {
        weight: 2,
        arbitrary: fc
          .tuple(fc.constantFrom('DeclineTerms' as const, 'WithdrawTerms' as const), who)
          .map(([k, w]) => new Answer(k, w)),
      },
      {
        weight: 10,
        arbitrary: fc
          .tuple(pick, fc.nat({ max: 2 }), who, fc.boolean())
          .map(([p, s, w, g]) => new Fund(p, s, w, g)),
      },
      { weight: 4, arbitrary: fc.tuple(pick, who).map(([p, w]) => new Release(p, w)) },
      { weight: 2, arbitrary: fc.tuple(pick, who).map(([p, w]) => new RefundMilestone(p, w)) },
      {
        weight: 1,
        arbitrary: fc.tuple(who, fc.boolean()).map(([w, early]) => new Close(w, early)),
      },
    ),
  ],
  { maxCommands: 80, size: 'max' },
);

describe('escrow balances against a reference model', () => {
  test.prop([commands], { numRuns: numRuns(60) })(
    'after every command, held/released/refunded per milestone and per source match the model (fc.commands)',
    (cmds) => {
      const setup = (): { model: Model; real: Real } => {
        const award = decide(
          {
            type: 'AwardJob',
            actor: ACTORS.client,
            at: '2014-11-03T09:00:00Z',
            data: {
              jobId: 'j',
              title: 'Logo',
              clientId: ACTORS.client,
              freelancerId: ACTORS.freelancer,
              currency: 'USD',
            },
          },
          initialState(),
        );
        const model: Model = {
          closed: false,
          active: null,
          pending: null,
          released: new Set(),
          fundings: new Map(),
          next: { proposal: 0, milestone: 0, funding: 0, minute: 0 },
          seen: new Set(),
        };
        last = model;
        return { model, real: { state: fold(award) } };
      };
      let last: Model | undefined;
      fc.modelRun(setup, cmds);
      reached.runs += 1;
      for (const what of last?.seen ?? []) reached[what] += 1;
    },
  );

  it('the generated commands reach releases, refunds of prefunds, reductions and top-ups', () => {
    if (process.env['FC_STATS'] !== undefined) console.log('model runs reached:', reached);
    if (reached.runs < 30) return; // too few runs (FC_NUM_RUNS) to measure shares
    const share = (n: number): number => n / reached.runs;
    expect(share(reached.release)).toBeGreaterThan(0.25);
    expect(share(reached.prefundRefund)).toBeGreaterThan(0.1);
    expect(share(reached.reduction)).toBeGreaterThan(0.05);
    expect(share(reached.topUp)).toBeGreaterThan(0.02);
  });

  /*
   * Refunds split over several fundings (R9: newest first) need a milestone raised and topped
   * up before it is reduced, which the commands above reach in few runs: this property goes
   * there directly, and checks the refunds against the model's `refund`.
   */
  test.prop(
    [
      fc.integer({ min: 2, max: 50_000 }),
      fc.array(fc.tuple(fc.integer({ min: 1, max: 50_000 }), fc.nat({ max: 2 })), {
        minLength: 1,
        maxLength: 4,
      }),
      fc.integer({ min: 0, max: 0x7fffffff }),
      fc.boolean(),
    ],
    { numRuns: numRuns(40) },
  )(
    'R9: a reduction or deletion refunds the excess newest funding first, each part to its own source',
    (first, raises, cut, remove) => {
      const { client, freelancer } = ACTORS;
      const model: Model = {
        closed: false,
        active: null,
        pending: null,
        released: new Set(),
        fundings: new Map(),
        next: { proposal: 0, milestone: 0, funding: 0, minute: 0 },
        seen: new Set(),
      };
      const milestone = (amount: number): Milestone => ({
        milestoneId: 'm1',
        title: 'Logo',
        description: '',
        dueDate: '2014-11-24',
        amount,
      });
      const extra: Milestone = {
        milestoneId: 'm2',
        title: 'Extra',
        description: '',
        dueDate: '2014-11-24',
        amount: 100,
      };
      const commands: JobCommandInput[] = [
        {
          type: 'AwardJob',
          actor: client,
          at: at(model),
          data: {
            jobId: 'j',
            title: 'Logo',
            clientId: client,
            freelancerId: freelancer,
            currency: 'USD',
          },
        },
      ];
      const fundings: ModelFunding[] = [];
      let amount = 0;
      const raiseTo = (next: number, source: string): void => {
        const proposalId = `p${String(commands.length)}`;
        const fundingId = `f${String(commands.length)}`;
        commands.push(
          {
            type: 'ProposeTerms',
            actor: client,
            at: at(model),
            data: { proposalId, milestones: [milestone(next), extra] },
          },
          { type: 'AcceptTerms', actor: freelancer, at: at(model), data: { proposalId } },
          {
            type: 'FundMilestone',
            actor: client,
            at: at(model),
            data: { milestoneId: 'm1', fundingId, source },
          },
        );
        fundings.push({
          fundingId,
          source,
          amount: next - amount,
          held: next - amount,
          released: 0,
          refunded: 0,
        });
        amount = next;
      };
      raiseTo(first, SOURCES[0] ?? 'card');
      for (const [by, source] of raises) raiseTo(amount + by, SOURCES[source] ?? 'card');
      const target = remove ? 0 : 1 + (cut % (amount - 1));
      commands.push(
        {
          type: 'ProposeTerms',
          actor: freelancer,
          at: at(model),
          data: { proposalId: 'last', milestones: remove ? [extra] : [milestone(target), extra] },
        },
        { type: 'AcceptTerms', actor: client, at: at(model), data: { proposalId: 'last' } },
      );
      const { events } = decideAll(commands);
      model.fundings.set('m1', fundings);
      refund(model, 'm1', amount - target);
      const expected = fundings
        .filter((f) => f.refunded > 0)
        .reverse()
        .map((f) => ({
          fundingId: f.fundingId,
          source: f.source,
          amount: f.refunded,
          reason: remove ? 'milestone-deleted' : 'milestone-reduced',
        }));
      const last = events.slice(
        events.findIndex((e) => e.type === 'TermsAccepted' && e.data.proposalId === 'last') + 1,
      );
      expect(
        last.map((e) =>
          e.type === 'FundsRefunded'
            ? {
                fundingId: e.data.fundingId,
                source: e.data.source,
                amount: e.data.amount,
                reason: e.data.reason,
              }
            : e.type,
        ),
      ).toEqual(expected);
    },
  );
});
