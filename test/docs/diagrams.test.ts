import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { exploreDisputes } from './dispute-lifecycle.js';
import { DIAGRAM_BLOCK, DIAGRAM_PAGE, DIAGRAM_PAGES, diagrams, observe } from './drawings.js';
import { edgeKey } from './lifecycles.js';
import { moneyFlow } from './money-flow.js';
import { REFUND_REASONS } from '../../src/index.js';
import { ROOT } from './snippets.js';

/*
 * The state diagrams of docs/domain.md are what the decider does: each is drawn from the
 * transitions the walks through the decider observe (lifecycles.ts for part one's commands,
 * dispute-lifecycle.ts for part two's, merged by drawings.ts), and must be exactly that drawing. After a change to the rules, `npm run docs:diagrams` redraws them.
 */

const observed = observe();
const drawing = diagrams(observed);
const page = readFileSync(join(ROOT, DIAGRAM_PAGE), 'utf8');
const drawn = new Map([...page.matchAll(DIAGRAM_BLOCK)].map((m) => [String(m[2]), String(m[3])]));
const keys = (edges: readonly { from: string; label: string; to: string }[]) => edges.map(edgeKey);

describe(`the diagrams of ${DIAGRAM_PAGE}`, () => {
  it.each(['milestone', 'proposal', 'dispute'] as const)(
    '%s: the drawing is the transitions the decider makes (npm run docs:diagrams redraws it)',
    (name) => {
      expect(drawn.get(name)).toBe(drawing[name]);
    },
  );
});

describe('the money flow of README.md', () => {
  const readme = readFileSync(join(ROOT, DIAGRAM_PAGES.money), 'utf8');
  const drawnMoney = [...readme.matchAll(DIAGRAM_BLOCK)].find((m) => m[2] === 'money')?.[3];

  it('is the money the decider moves (npm run docs:diagrams redraws it)', () => {
    expect(drawnMoney).toBe(moneyFlow(observed.money));
  });

  it('money goes in from the source, out to the freelancer (who pays the platform its fee), or back to the source only', () => {
    expect(new Set(keys(observed.money).map((k) => k.replace(/:.*/, '')))).toEqual(
      new Set([
        'source --> escrow',
        'escrow --> freelancer',
        'freelancer --> platform',
        'escrow --> source',
      ]),
    );
  });

  it('every refund reason of the domain is observed, each with its rule (R8, R9, R11, R21)', () => {
    const refunds = observed.money.filter((e) => e.to === 'source').map((e) => e.label);
    for (const reason of REFUND_REASONS)
      expect(refunds.some((label) => label.includes(`: ${reason} (R`))).toBe(true);
  });

  it('a settlement splits escrow between the freelancer, the platform fee and the source (R21, R22)', () => {
    for (const command of ['AcceptSettlement', 'ExpireDispute', 'ResolveDispute'])
      expect(keys(observed.money.filter((e) => e.label.startsWith(command)))).toEqual([
        `escrow --> source: ${command}: dispute-settled (R21)`,
        `escrow --> freelancer: ${command} (R21)`,
        `freelancer --> platform: ${command}: the fee (R22)`,
      ]);
  });

  it('only the platform takes a fee, and only out of a release (R22)', () => {
    const releases = observed.money.filter((e) => e.to === 'freelancer').map((e) => e.label);
    const fees = observed.money.filter((e) => e.to === 'platform').map((e) => e.label);
    expect(fees).toEqual(releases.map((label) => label.replace(/ \(R\d+\)$/, ': the fee (R22)')));
  });
});

describe('what the walk through the decider shows', () => {
  it('a released milestone never changes again (R5, R10, R15)', () => {
    expect(observed.milestone.filter((e) => e.from === 'released')).toEqual([]);
    expect(keys(observed.milestone.filter((e) => e.to === 'released'))).toEqual([
      'funded --> released: FundsReleased',
      'funded --> released: ReviewExpired',
    ]);
  });

  it('a settled milestone never changes again; only a settlement settles it (R21)', () => {
    expect(observed.milestone.filter((e) => e.from === 'settled')).toEqual([]);
    const into = observed.milestone.filter((e) => e.to === 'settled');
    expect(into.length).toBeGreaterThan(0);
    for (const edge of into) expect(edge.label).toMatch(/^DisputeSettled( \+ FundsRefunded)?$/);
  });

  it('money leaves a milestone only by release, by a refund to its source, or by a settlement of both (C1, C3, R21)', () => {
    const held = new Set(['prefunded', 'partially-funded', 'funded']);
    for (const edge of observed.milestone.filter((e) => held.has(e.from) && !held.has(e.to))) {
      // A settlement (R21) and an expired review (R15) are a release and refunds in one decision.
      expect(edgeKey(edge)).toMatch(/FundsReleased|FundsRefunded|DisputeSettled|ReviewExpired/);
    }
  });

  it('a stale proposal (a release made it stale) can be declined, withdrawn or superseded, never accepted (R5)', () => {
    expect(keys(observed.proposal.filter((e) => e.from === 'stale'))).toEqual([
      'stale --> declined: TermsDeclined',
      'stale --> withdrawn: TermsWithdrawn',
      'stale --> superseded: TermsProposed',
    ]);
  });

  it('a proposal ends declined, withdrawn, superseded or, once accepted, replaced by later accepted terms', () => {
    const ends = new Set(['declined', 'withdrawn', 'superseded', 'replaced']);
    expect(observed.proposal.filter((e) => ends.has(e.from))).toEqual([]);
  });
});

describe('what the walk through disputes shows (R16–R21)', () => {
  const dispute = observed.dispute;
  const from = (state: string) => keys(dispute.filter((e) => e.from === state));

  it("R16: a dispute begins only by DisputeOpened, with the opener's offer standing", () => {
    expect(from('[*]')).toEqual(['[*] --> open: DisputeOpened']);
  });

  it("R18: either party's offer replaces the current one; a party may revise its own", () => {
    for (const state of ['open', 'countered'])
      expect(from(state)).toEqual(
        expect.arrayContaining([
          `${state} --> open: SettlementProposed`,
          `${state} --> countered: SettlementProposed`,
        ]),
      );
  });

  it('R19: an escalated dispute stays with the platform until it ends: no expiry, no second escalation', () => {
    expect(from('escalated')).toEqual([
      'escalated --> escalated: SettlementProposed',
      'escalated --> settled: DisputeSettled (agreed)',
      'escalated --> settled: DisputeSettled (ruled)',
      'escalated --> withdrawn: DisputeWithdrawn',
    ]);
  });

  it('R20: only an escalated dispute is ruled; only one that is not expires', () => {
    const ruled = dispute.filter((e) => e.label === 'DisputeSettled (ruled)').map((e) => e.from);
    const expired = dispute
      .filter((e) => e.label === 'DisputeSettled (expired)')
      .map((e) => e.from);
    expect(ruled).toEqual(['escalated']);
    expect(expired).toEqual(['open', 'countered']);
  });

  it('R20, R21: settled and withdrawn are ends: nothing leaves them, and each is reached from every open state', () => {
    expect(dispute.filter((e) => e.from === 'settled' || e.from === 'withdrawn')).toEqual([]);
    for (const state of ['open', 'countered', 'escalated'])
      for (const end of ['settled', 'withdrawn'])
        expect(dispute.some((e) => e.from === state && e.to === end)).toBe(true);
  });

  it('only the dispute commands move a dispute (R17): fundings, releases, reviews and terms never do', () => {
    const labels = new Set(dispute.map((e) => e.label.replace(/ \(.*/, '')));
    expect([...labels].sort()).toEqual([
      'DisputeEscalated',
      'DisputeOpened',
      'DisputeSettled',
      'DisputeWithdrawn',
      'SettlementProposed',
    ]);
  });

  it('the walk is thorough: another seed finds the same transitions', () => {
    expect(keys(exploreDisputes({ seed: 7 }).dispute)).toEqual(keys(dispute));
  });
});
