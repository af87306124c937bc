/*
 * The diagrams drawn from the decider: the walks of lifecycles.ts (part one's commands: terms and
 * escrow) and dispute-lifecycle.ts (part two's: disputes, expiries, fees), merged. The milestone
 * and money diagrams hold both walks' edges; the proposal diagram is part one's, the dispute
 * diagram part two's. diagrams.test.ts checks the pages against them; `npm run docs:diagrams`
 * redraws the pages.
 */
import { exploreDisputes, DISPUTE_STATES, type DisputeState } from './dispute-lifecycle.js';
import {
  MILESTONE_STATES,
  edgeKey,
  explore,
  mermaid,
  sortEdges,
  type Edge,
  type MilestoneState,
  type ProposalState,
} from './lifecycles.js';
import { MONEY_ACCOUNTS, moneyFlow, type MoneyEdge } from './money-flow.js';

/** Everything both walks saw. */
export interface Observed {
  readonly milestone: Edge<MilestoneState>[];
  readonly proposal: Edge<ProposalState>[];
  readonly dispute: Edge<DisputeState>[];
  readonly money: MoneyEdge[];
}

/** The union of two lists of edges, each edge once. */
function union<E extends Edge<string>>(a: readonly E[], b: readonly E[]): E[] {
  return [...new Map([...a, ...b].map((edge) => [edgeKey(edge), edge])).values()];
}

/** Runs both walks and merges what they saw. */
export function observe(): Observed {
  const partOne = explore();
  const partTwo = exploreDisputes();
  return {
    milestone: sortEdges(union(partOne.milestone, partTwo.milestone), MILESTONE_STATES),
    proposal: partOne.proposal,
    dispute: sortEdges(partTwo.dispute, DISPUTE_STATES),
    money: sortEdges(union(partOne.money, partTwo.money), MONEY_ACCOUNTS),
  };
}

/** The diagrams drawn from the walks, by the name their `<!-- diagram: NAME -->` markers give. */
export function diagrams(
  observed: Observed = observe(),
): Record<'milestone' | 'proposal' | 'dispute' | 'money', string> {
  return {
    milestone: mermaid(observed.milestone),
    proposal: mermaid(observed.proposal),
    dispute: mermaid(observed.dispute),
    money: moneyFlow(observed.money),
  };
}

/** The page each diagram is on. */
export const DIAGRAM_PAGES = {
  milestone: 'docs/domain.md',
  proposal: 'docs/domain.md',
  dispute: 'docs/domain.md',
  money: 'README.md',
} as const;

/** The page with the state diagrams. */
export const DIAGRAM_PAGE = 'docs/domain.md';
/** A drawn diagram: its marker and fence, its name, its Mermaid text, the closing fence. */
export const DIAGRAM_BLOCK = /(<!-- diagram: (\w+) -->\n```mermaid\n)([\s\S]*?)(```)/g;
