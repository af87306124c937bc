/*
 * The life of a dispute (spec R16–R21), observed from the decider itself, as lifecycles.ts does for
 * milestones and proposals.
 *
 * A seeded random walk starts from a job whose terms are active (two milestones, under a policy
 * of one response day, one review day and a 10 % fee) and plays commands of the client, the
 * freelancer and the platform: mostly the dispute's own (open with an offer, counter-offers and
 * revisions, accept with the right or a stale guard, escalate, expire, rule, withdraw), with
 * fundings, submissions, releases, refunds, expired reviews and terms changes among them, the
 * clock moving on by none, an hour or a day or two between commands. `decide` accepts or rejects
 * each one; for every accepted decision the walk records each dispute's state before and after
 * it, and each milestone's status and the money moved, as lifecycles.ts does. docs/domain.md draws
 * the dispute's edges; the milestone and money edges join the part-one walk's in their diagrams.
 */
import { disputeOf } from '../../src/domain/dispute/state.js';
import {
  decide,
  fold,
  isDomainError,
  summarize,
  type JobCommandInput,
  type JobEvent,
  type JobState,
} from '../../src/index.js';
import {
  MILESTONE_STATES,
  edgeKey,
  milestoneState,
  random,
  sortEdges,
  type Edge,
  type MilestoneState,
} from './lifecycles.js';
import { MONEY_ACCOUNTS, moneyEdges, type MoneyEdge } from './money-flow.js';

/**
 * `[*]` (never opened), or where an opened dispute stands: `open` while the opener's offer
 * stands, `countered` while the other party's does, `escalated` once with the platform (R19),
 * and its two ends (R20, R21).
 */
export const DISPUTE_STATES = [
  '[*]',
  'open',
  'countered',
  'escalated',
  'settled',
  'withdrawn',
] as const;
export type DisputeState = (typeof DISPUTE_STATES)[number];

const CLIENT = 'client';
const FREELANCER = 'freelancer';
const PLATFORM = 'platform';
const START = Date.parse('2014-11-03T09:00:00Z');
const HOUR = 3600_000;
const MILESTONES = ['m1', 'm2'] as const;
const DISPUTES = ['d1', 'd2', 'd3'] as const;

/** Where a dispute stands, read from the state (its summary shows only open ones). */
export function disputeState(state: JobState, disputeId: string): DisputeState {
  const dispute = disputeOf(state.dispute, disputeId);
  if (dispute === undefined) return '[*]';
  if (dispute.status !== 'open') return dispute.status;
  if (dispute.escalated) return 'escalated';
  return dispute.offerBy === dispute.openedBy ? 'open' : 'countered';
}

/** The job the walks start from: awarded under a short policy with a fee, its terms active. */
function startingJob(): { state: JobState; time: number } {
  const at = (h: number) => new Date(START + h * HOUR).toISOString().replace('.000Z', 'Z');
  const milestones = MILESTONES.map((milestoneId, i) => ({
    milestoneId,
    title: `Milestone ${milestoneId}`,
    dueDate: '2014-11-24',
    amount: 10000 * (i + 1),
  }));
  const commands: JobCommandInput[] = [
    {
      type: 'AwardJob',
      actor: CLIENT,
      at: at(0),
      data: {
        jobId: 'job',
        title: 'Job',
        clientId: CLIENT,
        freelancerId: FREELANCER,
        currency: 'USD',
        policy: { reviewDays: 1, disputeResponseDays: 1, serviceFeeBps: 1000 },
      },
    },
    { type: 'ProposeTerms', actor: CLIENT, at: at(0), data: { proposalId: 'p0', milestones } },
    { type: 'AcceptTerms', actor: FREELANCER, at: at(0), data: { proposalId: 'p0' } },
    ...MILESTONES.map((milestoneId): JobCommandInput => ({
      type: 'FundMilestone',
      actor: CLIENT,
      at: at(0),
      data: { milestoneId, fundingId: `f-${milestoneId}`, source: 'card:visa' },
    })),
  ];
  const state = commands.reduce((s, c) => fold(decide(c, s), s), fold([]));
  return { state, time: START };
}

/** A plausible next command (the decider may still reject it), dated `at`. */
function nextCommand(
  state: JobState,
  rnd: () => number,
  fresh: () => number,
  at: string,
): JobCommandInput {
  const pick = <T>(items: readonly T[]): T => items[Math.floor(rnd() * items.length)] as T;
  const party = pick([CLIENT, FREELANCER]);
  const anyone = pick([CLIENT, FREELANCER, PLATFORM]);
  const milestoneId = pick(MILESTONES);
  // Mostly a dispute that is open, so that the walk spends its time in its life.
  const open = DISPUTES.filter((id) => disputeOf(state.dispute, id)?.status === 'open');
  const disputeId = open.length > 0 && rnd() < 0.8 ? pick(open) : pick(DISPUTES);
  const held = Math.max(
    ...MILESTONES.map(
      (id) => summarize(state).milestones.find((m) => m.milestoneId === id)?.held ?? 0,
    ),
  );
  const dispute = disputeOf(state.dispute, disputeId);
  const refund = pick([0, 1000, Math.floor(held / 2), held, held + 1]);
  // The party the rules let act, mostly: the one who must answer, the opener (R18, R20).
  const other = (role: string | undefined) => (role === 'client' ? FREELANCER : CLIENT);
  const answerer = rnd() < 0.7 ? other(dispute?.offerBy) : party;
  const opener = rnd() < 0.7 ? (dispute?.openedBy ?? party) : party;
  const command = (type: string, actor: string, data: object): JobCommandInput =>
    ({ type, actor, at, data }) as JobCommandInput;
  switch (
    pick([
      'open',
      'open',
      'offer',
      'offer',
      'offer',
      'accept',
      'accept',
      'escalate',
      'expire',
      'expire',
      'resolve',
      'resolve',
      'withdraw',
      'fund',
      'fund',
      'submit',
      'release',
      'refund',
      'expire-review',
      'terms',
    ] as const)
  ) {
    case 'open':
      return command('OpenDispute', party, { disputeId, milestoneId, refund });
    case 'offer':
      return command('ProposeSettlement', party, { disputeId, refund });
    case 'accept':
      // Mostly the current offer, as a careful party reads it; now and then a stale guard (R18).
      return command('AcceptSettlement', answerer, {
        disputeId,
        refund: rnd() < 0.8 ? (dispute?.refund ?? refund) : refund,
      });
    case 'escalate':
      return command('EscalateDispute', party, { disputeId });
    case 'expire':
      return command('ExpireDispute', anyone, { disputeId });
    case 'resolve':
      return command('ResolveDispute', anyone, { disputeId, refund });
    case 'withdraw':
      return command('WithdrawDispute', opener, { disputeId });
    case 'fund':
      return command('FundMilestone', CLIENT, {
        milestoneId,
        fundingId: `f${String(fresh())}`,
        source: pick(['card:visa', 'bank:iban']),
      });
    case 'submit':
      return command('SubmitWork', FREELANCER, { milestoneId });
    case 'release':
      return command('ReleaseFunds', CLIENT, { milestoneId });
    case 'refund':
      return command('RefundMilestone', FREELANCER, { milestoneId });
    case 'expire-review':
      return command('ExpireReview', pick([FREELANCER, PLATFORM]), { milestoneId });
    case 'terms': {
      // A raise or a cut of one milestone, accepted by the other party at once (R4, R17, R21).
      const milestones = (state.terms.active?.milestones ?? []).map((m) =>
        m.milestoneId === milestoneId ? { ...m, amount: pick([5000, 10000, 30000]) } : m,
      );
      return command('ProposeTerms', party, { proposalId: `p${String(fresh())}`, milestones });
    }
  }
}

/** A pending proposal is answered at once, so that terms changes take effect. */
function answer(state: JobState, at: string): JobCommandInput | null {
  const pending = state.terms.pending;
  if (pending === null) return null;
  const actor = pending.by === 'client' ? FREELANCER : CLIENT;
  return { type: 'AcceptTerms', actor, at, data: { proposalId: pending.proposalId } };
}

/**
 * Walks random command sequences of `length` commands from the starting job until `quiet` walks
 * in a row find no new transition (at most `maxRuns` walks). Returns the disputes' transitions,
 * the milestones' and the money's, and the number of walks.
 */
export function exploreDisputes(
  options: { quiet?: number; maxRuns?: number; length?: number; seed?: number } = {},
): {
  dispute: Edge<DisputeState>[];
  milestone: Edge<MilestoneState>[];
  money: MoneyEdge[];
  runs: number;
} {
  const { quiet = 300, maxRuns = 5000, length = 16, seed = 20141124 } = options;
  const rnd = random(seed);
  const start = startingJob();
  const dispute = new Map<string, Edge<DisputeState>>();
  const milestone = new Map<string, Edge<MilestoneState>>();
  const money = new Map<string, MoneyEdge>();
  let run = 0;
  for (let lastNew = 0; run < maxRuns && run - lastNew < quiet; run++) {
    const seen = dispute.size + milestone.size + money.size;
    let { state, time } = start;
    let counter = 0;
    const fresh = () => ++counter;
    for (let step = 0; step < length; step++) {
      time += HOUR * ([0, 0, 1, 1, 24, 49][Math.floor(rnd() * 6)] ?? 0);
      const at = new Date(time).toISOString().replace('.000Z', 'Z');
      const command = answer(state, at) ?? nextCommand(state, rnd, fresh, at);
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
      for (const id of DISPUTES) {
        const before = disputeState(state, id);
        const after = disputeState(next, id);
        // A revised offer keeps the dispute where it stands: drawn as a loop, as it is a step.
        const own = 'disputeId' in cause.data && cause.data.disputeId === id;
        if (before === after && !own) continue;
        const label =
          cause.type === 'DisputeSettled' ? `DisputeSettled (${cause.data.outcome})` : cause.type;
        const edge = { from: before, to: after, label };
        dispute.set(edgeKey(edge), edge);
      }
      for (const id of MILESTONES) {
        const before = milestoneState(state, id);
        const after = milestoneState(next, id);
        if (before === after) continue;
        const refunded =
          cause.type !== 'FundsRefunded' &&
          events.some((e) => e.type === 'FundsRefunded' && e.data.milestoneId === id);
        const edge = {
          from: before,
          to: after,
          label: refunded ? `${cause.type} + FundsRefunded` : cause.type,
        };
        milestone.set(edgeKey(edge), edge);
      }
      const active = new Set(summarize(state).milestones.map((m) => m.milestoneId));
      for (const event of events)
        for (const edge of moneyEdges(command.type, event, active)) money.set(edgeKey(edge), edge);
      state = next;
    }
    if (dispute.size + milestone.size + money.size > seen) lastNew = run;
  }
  return {
    dispute: sortEdges([...dispute.values()], DISPUTE_STATES),
    milestone: sortEdges([...milestone.values()], MILESTONE_STATES),
    money: sortEdges([...money.values()], MONEY_ACCOUNTS),
    runs: run,
  };
}
