import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  DIAGRAM_BLOCK,
  DIAGRAM_PAGE,
  DIAGRAM_PAGES,
  edgeKey,
  explore,
  mermaid,
  moneyFlow,
} from './lifecycles.js';
import { REFUND_REASONS } from '../../src/index.js';
import { ROOT } from './snippets.js';

/*
 * The state diagrams of docs/domain.md are what the decider does: each is drawn from the
 * transitions a walk through the decider observes (lifecycles.ts), and must be exactly that
 * drawing. After a change to the rules, `npm run docs:diagrams` redraws them.
 */

const observed = explore();
const page = readFileSync(join(ROOT, DIAGRAM_PAGE), 'utf8');
const drawn = new Map([...page.matchAll(DIAGRAM_BLOCK)].map((m) => [String(m[2]), String(m[3])]));
const keys = (edges: readonly { from: string; label: string; to: string }[]) => edges.map(edgeKey);

describe(`the diagrams of ${DIAGRAM_PAGE}`, () => {
  it.each(['milestone', 'proposal'] as const)(
    '%s: the drawing is the transitions the decider makes (npm run docs:diagrams redraws it)',
    (name) => {
      expect(drawn.get(name)).toBe(mermaid(observed[name]));
    },
  );
});

describe('the money flow of README.md', () => {
  const readme = readFileSync(join(ROOT, DIAGRAM_PAGES.money), 'utf8');
  const drawnMoney = [...readme.matchAll(DIAGRAM_BLOCK)].find((m) => m[2] === 'money')?.[3];

  it('is the money the decider moves (npm run docs:diagrams redraws it)', () => {
    expect(drawnMoney).toBe(moneyFlow(observed.money));
  });

  it('money goes in from the source, out to the freelancer, or back to the source only', () => {
    expect(new Set(keys(observed.money).map((k) => k.replace(/:.*/, '')))).toEqual(
      new Set(['source --> escrow', 'escrow --> freelancer', 'escrow --> source']),
    );
  });

  it('every refund reason of the domain is observed, each with its rule (R8, R9, R11)', () => {
    const refunds = observed.money.filter((e) => e.to === 'source').map((e) => e.label);
    for (const reason of REFUND_REASONS)
      expect(refunds.some((label) => label.includes(`: ${reason} (R`))).toBe(true);
  });
});

describe('what the walk through the decider shows', () => {
  it('a released milestone never changes again (R5, R10)', () => {
    expect(observed.milestone.filter((e) => e.from === 'released')).toEqual([]);
    expect(keys(observed.milestone.filter((e) => e.to === 'released'))).toEqual([
      'funded --> released: FundsReleased',
    ]);
  });

  it('money leaves a milestone only by release or by a refund to its source (C1, C3)', () => {
    const held = new Set(['prefunded', 'partially-funded', 'funded']);
    for (const edge of observed.milestone.filter((e) => held.has(e.from) && !held.has(e.to))) {
      expect(edgeKey(edge)).toMatch(/FundsReleased|FundsRefunded/);
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
