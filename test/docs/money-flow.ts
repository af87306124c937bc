/*
 * Where money goes, as the walks through the decider (lifecycles.ts, dispute-lifecycle.ts) see it:
 * each event of an accepted decision that moves money is an arrow between two places, labelled
 * with the command that moved it and the rule behind it. README.md draws the arrows found.
 */
import type { JobEvent } from '../../src/index.js';
// The rule behind each refund reason: the history checker's table, so the diagram names the
// rule the checker cites.
import { REFUND_RULE } from '../../src/domain/history/compare.js';

/** Where money is: the client's payment source, escrow (per milestone), or paid out. */
export const MONEY_ACCOUNTS = ['source', 'escrow', 'freelancer', 'platform'] as const;
export type MoneyAccount = (typeof MONEY_ACCOUNTS)[number];

/** A move of money between two places, and what caused it. */
export interface MoneyEdge {
  readonly from: MoneyAccount;
  readonly label: string;
  readonly to: MoneyAccount;
}

/** The rule that lets a command release money: the client's release, an expired review, a settlement. */
function releaseRule(command: string): string {
  if (command === 'ReleaseFunds') return 'R10';
  if (command === 'ExpireReview') return 'R15';
  return 'R21';
}

/**
 * How an event of a decision moves money. A release pays the freelancer its gross amount, and the
 * freelancer pays the platform's fee on it when there is one (R22, as the ledger posts it): two
 * arrows.
 */
export function moneyEdges(
  command: string,
  event: JobEvent,
  active: ReadonlySet<string>,
): MoneyEdge[] {
  switch (event.type) {
    case 'MilestoneFunded':
      return active.has(event.data.milestoneId)
        ? [{ from: 'source', to: 'escrow', label: `${command} (R6)` }]
        : [{ from: 'source', to: 'escrow', label: `${command}, a prefund (R7)` }];
    case 'FundsReleased': {
      const paid: MoneyEdge = {
        from: 'escrow',
        to: 'freelancer',
        label: `${command} (${releaseRule(command)})`,
      };
      return (event.data.fee ?? 0) > 0
        ? [paid, { from: 'freelancer', to: 'platform', label: `${command}: the fee (R22)` }]
        : [paid];
    }
    case 'FundsRefunded':
      return [
        {
          from: 'escrow',
          to: 'source',
          label: `${command}: ${event.data.reason} (${REFUND_RULE[event.data.reason]})`,
        },
      ];
    default:
      return [];
  }
}

/** A Mermaid flowchart of where money goes: one arrow per pair of places, one line per cause. */
export function moneyFlow(edges: readonly MoneyEdge[]): string {
  const names: Record<MoneyAccount, string> = {
    source: 'source["the client\'s payment source"]',
    escrow: 'escrow["escrow, per milestone"]',
    freelancer: 'freelancer["the freelancer"]',
    platform: 'platform["the platform (its fee)"]',
  };
  const arrows = new Map<string, string[]>();
  for (const edge of edges) {
    const pair = `${edge.from} ${edge.to}`;
    arrows.set(pair, [...(arrows.get(pair) ?? []), edge.label]);
  }
  const declared = new Set<string>();
  const node = (account: MoneyAccount): string => {
    if (declared.has(account)) return account;
    declared.add(account);
    return names[account];
  };
  const lines = ['flowchart LR'];
  for (const [pair, labels] of arrows) {
    const [from, to] = pair.split(' ') as [MoneyAccount, MoneyAccount];
    lines.push(`    ${node(from)} -->|"${labels.join('<br/>')}"| ${node(to)}`);
  }
  return `${lines.join('\n')}\n`;
}
