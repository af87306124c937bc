/*
 * The lives of a milestone and of a proposal, observed from the decider itself.
 *
 * There is no transition table in the domain: the rules live in `decide`. So these are found by
 * exploring: a seeded random walk plays thousands of command sequences from both parties (mostly
 * plausible commands, built from the state: proposals that add, drop, raise, reduce or keep
 * milestones; counter-proposals; fundings, releases and refunds; answers to proposals), lets
 * `decide` accept or reject each one, and records, for every accepted decision, each milestone's
 * and each proposal's status before and after it. The statuses are read from the state the way a
 * user reads them (`summarize`), and a pending proposal is `stale` when accepting it is rejected
 * with `MILESTONE_RELEASED` (R5). docs/domain.md draws the edges found; diagrams.test.ts checks
 * that the drawing and the observations agree, and `npm run docs:diagrams` redraws them.
 */
import {
  decide,
  fold,
  isDomainError,
  summarize,
  type JobCommandInput,
  type JobEvent,
  type JobState,
  type Milestone,
} from '../../src/index.js';
import { MONEY_ACCOUNTS, moneyEdges, type MoneyEdge } from './money-flow.js';

/** `[*]` (not in the job's terms, nor in a pending proposal), or a status. */
export const MILESTONE_STATES = [
  '[*]',
  'proposed',
  'prefunded',
  'unfunded',
  'partially-funded',
  'funded',
  'released',
  'settled',
] as const;
export type MilestoneState = (typeof MILESTONE_STATES)[number];
export const PROPOSAL_STATES = [
  '[*]',
  'pending',
  'stale',
  'accepted',
  'declined',
  'withdrawn',
  'superseded',
  'replaced',
] as const;
export type ProposalState = (typeof PROPOSAL_STATES)[number];

/** An observed transition: the status before a decision, what caused it, the status after. */
export interface Edge<S extends string> {
  readonly from: S;
  readonly label: string;
  readonly to: S;
}

const CLIENT = 'client';
const FREELANCER = 'freelancer';
const AT = '2014-11-03T09:00:00Z';

/** A small deterministic PRNG (mulberry32), so the walk is the same on every run. */
export function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** The status of a milestone id, as a user reads it off the summary. */
export function milestoneState(state: JobState, id: string): MilestoneState {
  const summary = summarize(state);
  const active = summary.milestones.find((m) => m.milestoneId === id);
  if (active !== undefined) return active.status;
  const proposed = summary.pendingProposal?.milestones.find((m) => m.milestoneId === id);
  if (proposed !== undefined) return proposed.held > 0 ? 'prefunded' : 'proposed';
  return '[*]';
}

/** Whether the other party's `AcceptTerms` of the pending proposal is rejected by R5. */
function isStale(state: JobState): boolean {
  const pending = state.terms.pending;
  if (pending === null) return false;
  const actor = pending.by === 'client' ? FREELANCER : CLIENT;
  try {
    decide({ type: 'AcceptTerms', actor, at: AT, data: { proposalId: pending.proposalId } }, state);
    return false;
  } catch (error) {
    if (isDomainError(error) && error.code === 'MILESTONE_RELEASED') return true;
    throw error;
  }
}

/** The end a proposal came to, named after the event that ended it. */
const ENDS: Partial<Record<JobEvent['type'], ProposalState>> = {
  TermsDeclined: 'declined',
  TermsWithdrawn: 'withdrawn',
  TermsProposed: 'superseded',
  TermsAccepted: 'replaced',
};

function proposalState(
  state: JobState,
  id: string,
  previous: ProposalState,
  cause: JobEvent['type'],
): ProposalState {
  if (state.terms.pending?.proposalId === id) return isStale(state) ? 'stale' : 'pending';
  if (state.terms.active?.proposalId === id) return 'accepted';
  if (previous === 'pending' || previous === 'stale' || previous === 'accepted')
    return ENDS[cause] ?? previous;
  return previous;
}

/** A plausible next command, built from the state (the decider may still reject it). */
function nextCommand(state: JobState, rnd: () => number, fresh: () => number): JobCommandInput {
  const pick = <T>(items: readonly T[]): T => items[Math.floor(rnd() * items.length)] as T;
  const chance = (p: number): boolean => rnd() < p;
  if (state.job.award === null) {
    return {
      type: 'AwardJob',
      actor: CLIENT,
      at: AT,
      data: {
        jobId: 'job',
        title: 'Job',
        clientId: CLIENT,
        freelancerId: FREELANCER,
        currency: 'USD',
      },
    };
  }
  const pending = state.terms.pending;
  const active = state.terms.active;
  const ids = [
    ...new Set(
      [...(active?.milestones ?? []), ...(pending?.milestones ?? [])].map((m) => m.milestoneId),
    ),
  ];
  const target = (): string => pick(ids.length > 0 ? ids : ['m1']);
  const party = pick([CLIENT, FREELANCER]);
  const other = (by: string): string => (by === 'client' ? FREELANCER : CLIENT);
  switch (
    pick([
      'propose',
      'propose',
      'answer',
      'answer',
      'fund',
      'fund',
      'fund',
      'release',
      'refund',
      'close',
    ] as const)
  ) {
    case 'propose': {
      const base: readonly Milestone[] = chance(0.5)
        ? (pending?.milestones ?? active?.milestones ?? [])
        : (active?.milestones ?? []);
      const milestones = base
        .filter(() => !chance(0.15))
        .map((m) => (chance(0.35) ? { ...m, amount: pick([50, 100, 200, 300, 400]) } : m));
      while (milestones.length === 0 || chance(0.3)) {
        const reuse = chance(0.2) ? pick(['m1', 'm2', 'm3']) : `m${String(fresh())}`;
        if (!milestones.some((m) => m.milestoneId === reuse))
          milestones.push({
            milestoneId: reuse,
            title: 'Milestone',
            description: '',
            dueDate: '2014-11-10',
            amount: pick([100, 200, 300]),
          });
      }
      const actor = pending !== null && chance(0.8) ? other(pending.by) : party;
      return {
        type: 'ProposeTerms',
        actor,
        at: AT,
        data: { proposalId: `p${String(fresh())}`, milestones },
      };
    }
    case 'answer': {
      const proposalId = pending?.proposalId ?? 'p0';
      const answer = pick(['AcceptTerms', 'AcceptTerms', 'DeclineTerms', 'WithdrawTerms'] as const);
      const actor =
        pending === null
          ? party
          : answer === 'WithdrawTerms'
            ? pending.by === 'client'
              ? CLIENT
              : FREELANCER
            : other(pending.by);
      return { type: answer, actor, at: AT, data: { proposalId } };
    }
    case 'fund':
      return {
        type: 'FundMilestone',
        actor: CLIENT,
        at: AT,
        data: {
          milestoneId: target(),
          fundingId: `f${String(fresh())}`,
          source: pick(['card:visa', 'bank:iban']),
        },
      };
    case 'release':
      return { type: 'ReleaseFunds', actor: CLIENT, at: AT, data: { milestoneId: target() } };
    case 'refund':
      return {
        type: 'RefundMilestone',
        actor: FREELANCER,
        at: AT,
        data: { milestoneId: target() },
      };
    case 'close':
      return { type: 'CloseJob', actor: CLIENT, at: AT, data: {} };
  }
}

const key = (edge: Edge<string>): string => `${edge.from} --> ${edge.to}: ${edge.label}`;

/** Where a walk stands: the state, and what it has seen of milestone ids and proposals. */
interface Cell {
  readonly state: JobState;
  readonly milestoneIds: ReadonlySet<string>;
  readonly proposals: ReadonlyMap<string, ProposalState>;
  readonly counter: number;
}

/** The statuses a cell's milestones and proposals are in: cells alike for the diagrams. */
function signature(cell: Cell): string {
  const milestones = [...cell.milestoneIds].map((id) => milestoneState(cell.state, id)).sort();
  const proposals = [...cell.proposals.values()]
    .filter((p) => p === 'pending' || p === 'stale' || p === 'accepted')
    .sort();
  return `${milestones.join(',')}|${proposals.join(',')}|${cell.state.job.closedAt === null ? 'open' : 'closed'}`;
}

/**
 * Walks random command sequences of `length` commands until `quiet` walks in a row find no new
 * transition (at most `maxRuns` walks). Half the walks start from a new job; the others go on
 * from a cell picked at random among every kind of cell reached so far, so that the walk spends
 * its time evenly over what a job can be in, the rare (a raised milestone partly funded) as much
 * as the common. Returns the transitions seen and the number of walks.
 */
export function explore(
  options: { quiet?: number; maxRuns?: number; length?: number; seed?: number } = {},
): {
  milestone: Edge<MilestoneState>[];
  proposal: Edge<ProposalState>[];
  money: MoneyEdge[];
  runs: number;
} {
  const { quiet = 1000, maxRuns = 20_000, length = 30, seed = 20141103 } = options;
  const rnd = random(seed);
  const milestone = new Map<string, Edge<MilestoneState>>();
  const proposal = new Map<string, Edge<ProposalState>>();
  const money = new Map<string, MoneyEdge>();
  const archive = new Map<string, Cell>();
  const start: Cell = {
    state: fold([]),
    milestoneIds: new Set(),
    proposals: new Map(),
    counter: 0,
  };
  let run = 0;
  for (let lastNew = 0; run < maxRuns && run - lastNew < quiet; run++) {
    const seen = milestone.size + proposal.size;
    const cells = [...archive.values()];
    const from =
      cells.length === 0 || rnd() < 0.5 ? start : (cells[Math.floor(rnd() * cells.length)] as Cell);
    let counter = from.counter;
    const fresh = () => ++counter;
    let state = from.state;
    const proposals = new Map(from.proposals);
    const milestoneIds = new Set(from.milestoneIds);
    for (let step = 0; step < length && state.job.closedAt === null; step++) {
      const command = nextCommand(state, rnd, fresh);
      let events: JobEvent[];
      try {
        events = decide(command, state);
      } catch (error) {
        if (isDomainError(error)) continue;
        throw error;
      }
      const next = fold(events, state);
      const [cause] = events;
      if (cause === undefined) continue;
      for (const event of events) {
        if (event.type === 'TermsProposed') {
          for (const m of event.data.milestones) milestoneIds.add(m.milestoneId);
          if (!proposals.has(event.data.proposalId)) proposals.set(event.data.proposalId, '[*]');
        }
      }
      for (const id of milestoneIds) {
        const before = milestoneState(state, id);
        const after = milestoneState(next, id);
        if (before === after) continue;
        // A decision is its first event (the cause) and the automatic refunds that follow it (R8, R9).
        const refunded =
          cause.type !== 'FundsRefunded' &&
          events.some((e) => e.type === 'FundsRefunded' && e.data.milestoneId === id);
        const edge = {
          from: before,
          to: after,
          label: refunded ? `${cause.type} + FundsRefunded` : cause.type,
        };
        milestone.set(key(edge), edge);
      }
      const active = new Set(summarize(state).milestones.map((m) => m.milestoneId));
      for (const event of events)
        for (const edge of moneyEdges(command.type, event, active)) money.set(key(edge), edge);
      for (const [id, before] of proposals) {
        const after = proposalState(next, id, before === '[*]' ? 'pending' : before, cause.type);
        proposals.set(id, after);
        if (before === after) continue;
        const edge = { from: before, to: after, label: cause.type };
        proposal.set(key(edge), edge);
      }
      state = next;
      const cell: Cell = {
        state,
        milestoneIds: new Set(milestoneIds),
        proposals: new Map(proposals),
        counter,
      };
      const sig = signature(cell);
      if (!archive.has(sig)) archive.set(sig, cell);
    }
    if (milestone.size + proposal.size > seen) lastNew = run;
  }
  return {
    milestone: sortEdges([...milestone.values()], MILESTONE_STATES),
    proposal: sortEdges([...proposal.values()], PROPOSAL_STATES),
    money: sortEdges([...money.values()], MONEY_ACCOUNTS),
    runs: run,
  };
}

export function sortEdges<S extends string>(edges: Edge<S>[], order: readonly S[]): Edge<S>[] {
  const rank = (s: S): number => order.indexOf(s);
  return edges.sort(
    (a, b) =>
      rank(a.from) - rank(b.from) || rank(a.to) - rank(b.to) || a.label.localeCompare(b.label),
  );
}

/** A Mermaid state diagram of the edges: one arrow per pair of states, one line per cause. */
export function mermaid<S extends string>(edges: readonly Edge<S>[]): string {
  const arrows = new Map<string, string[]>();
  for (const edge of edges) {
    const pair = `${edge.from} --> ${edge.to}`;
    arrows.set(pair, [...(arrows.get(pair) ?? []), edge.label]);
  }
  // Mermaid's state ids are words: a status such as `partially-funded` is named through an alias.
  const id = (state: string): string => (state === '[*]' ? state : state.replace(/\W/g, '_'));
  const states = [...new Set(edges.flatMap((edge) => [edge.from, edge.to]))].filter(
    (state) => state !== id(state),
  );
  const lines = [
    'stateDiagram-v2',
    ...states.map((state) => `    state "${state}" as ${id(state)}`),
  ];
  for (const [pair, labels] of arrows) {
    const [from = '', to = ''] = pair.split(' --> ');
    lines.push(`    ${id(from)} --> ${id(to)}: ${labels.join('<br/>')}`);
  }
  return `${lines.join('\n')}\n`;
}

export { key as edgeKey };
