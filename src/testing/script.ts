import { decide, fold, initialState } from '../domain/decider.js';
import type { JobCommandInput, JobCommandType } from '../domain/commands.js';
import type { JobEvent } from '../domain/events.js';
import type { JobState } from '../domain/state.js';
import { escrowOf, isReleased } from '../domain/escrow/state.js';
import { milestoneIn, type Proposal } from '../domain/terms/state.js';
import {
  isDomainError,
  type DomainError,
  type ErrorCode,
  type RuleId,
} from '../domain/shared/errors.js';
import { tableGet, tableHas, tableKeys } from '../domain/shared/table.js';
import type { Milestone, Role } from '../domain/shared/schema.js';

/*
 * The script writer behind the arbitraries: from the job's current state it writes the next
 * command, either a valid move (one `decide` accepts), an attack on one rule (a command `decide`
 * must reject with a known code) or a random command (anything, outcome unknown). Its randomness
 * comes from one integer per step, so fast-check shrinks a script by dropping and simplifying
 * steps, and every shrunk script is still a script of legal moves where it was one.
 */

/** The parties (and the outsider) of generated jobs, and the constants of their commands. */
export interface Cast {
  readonly jobId: string;
  readonly title: string;
  readonly clientId: string;
  readonly freelancerId: string;
  /** A party of neither side: every command of theirs is `NOT_A_PARTY`. */
  readonly strangerId: string;
  readonly currency: string;
  /** The payment sources the client funds from (at least one). */
  readonly sources: readonly string[];
  /** The instant of the first command (`YYYY-MM-DDTHH:MM:SSZ`); each step is a minute later. */
  readonly start: string;
}

/** The cast generated jobs use unless told otherwise. */
export const DEFAULT_CAST: Cast = Object.freeze({
  jobId: 'job-1',
  title: 'Logo design',
  clientId: 'client-1',
  freelancerId: 'freelancer-1',
  strangerId: 'stranger-1',
  currency: 'USD',
  sources: Object.freeze(['card:visa-4242', 'card:mc-5454', 'bank:acme-checking']),
  start: '2014-11-03T09:00:00Z',
});

/** Why a generated command was written: to be accepted, to break one rule, or at random. */
export type Intent =
  | { readonly kind: 'valid' }
  | {
      readonly kind: 'invalid';
      readonly code: ErrorCode;
      readonly rule: RuleId | 'spec §1' | 'spec §4';
      readonly aim: string;
    }
  | { readonly kind: 'random' };

/**
 * One generated command with the intent it was written with. `command` may be malformed JSON.
 * @inline
 */
export interface ScriptStep {
  readonly command: unknown;
  readonly intent: Intent;
}

/** An attack: a command and the rejection `decide` owes it. */
export interface Attack {
  readonly command: unknown;
  readonly code: ErrorCode;
  readonly rule: RuleId | 'spec §1' | 'spec §4';
  readonly aim: string;
}

/** A small, fast, deterministic PRNG (mulberry32), seeded by one step's integer. */
export class Rng {
  private s: number;
  constructor(seed: number) {
    this.s = seed >>> 0;
  }
  next(): number {
    this.s = (this.s + 0x6d2b79f5) >>> 0;
    let t = this.s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }
  /** An integer in [0, n). */
  int(n: number): number {
    return Math.floor(this.next() * n);
  }
  chance(p: number): boolean {
    return this.next() < p;
  }
  pick<T>(items: readonly T[]): T {
    const item = items[this.int(items.length)];
    if (item === undefined) throw new Error('pick from an empty list');
    return item;
  }
  /** One of the options, each as likely as its weight; `undefined` when none has weight. */
  weighted<T>(options: readonly (readonly [number, T])[]): T | undefined {
    const total = options.reduce((sum, [w]) => sum + w, 0);
    if (total <= 0) return undefined;
    let r = this.next() * total;
    for (const [w, value] of options) {
      if (r < w) return value;
      r -= w;
    }
    return options[options.length - 1]?.[1];
  }
}

const TITLES = [
  'Start fee deposit',
  '6 concepts',
  '1st Revision of chosen concept',
  '2nd Revision of chosen concept',
  'Final: Delivery of final print-ready files',
  'Initial schema design',
  'Implementation',
  'QA',
  'Final: Release/Final Product',
  'Révision ✓ — « finale »',
  'x',
  'T'.repeat(200),
];
const DESCRIPTIONS = [
  '',
  'As agreed in the brief.',
  'Vector files (AI, EPS, SVG) and PNG exports.',
  'Zweite Überarbeitung 🎨',
];
const AMOUNTS = [7500, 7500, 10000, 20000, 20000, 2500, 100, 1];

function calendarDate(daysAfter: number): string {
  return new Date(Date.UTC(2014, 10, 3) + daysAfter * 86_400_000).toISOString().slice(0, 10);
}

function instant(start: string, minutes: number): string {
  return new Date(Date.parse(start) + minutes * 60_000).toISOString().replace(/\.000Z$/, 'Z');
}

function sameMilestone(a: Milestone, b: Milestone): boolean {
  return (
    a.milestoneId === b.milestoneId &&
    a.title === b.title &&
    a.description === b.description &&
    a.dueDate === b.dueDate &&
    a.amount === b.amount
  );
}

/** A command of one type, as a caller writes it. */
type InputOf<T extends JobCommandType> = Extract<JobCommandInput, { type: T }>;

const COMMAND_TYPES: readonly JobCommandType[] = [
  'AwardJob',
  'ProposeTerms',
  'AcceptTerms',
  'DeclineTerms',
  'WithdrawTerms',
  'FundMilestone',
  'ReleaseFunds',
  'RefundMilestone',
  'SubmitWork',
  'RequestChanges',
  'CloseJob',
];

/** The shares of a mixed script: the rest of the steps are valid moves. */
export interface Mix {
  /** Share of steps that attack one rule (0–1). */
  readonly invalid: number;
  /** Share of steps that are random commands (0–1). */
  readonly random: number;
}

/**
 * Writes commands against a job it keeps up to date. Not part of the public API: the
 * arbitraries wrap it.
 */
export class ScriptWriter {
  readonly cast: Cast;
  state: JobState = initialState();
  readonly events: JobEvent[] = [];
  private step = 0;
  private proposals = 0;
  private milestones = 0;
  private fundings = 0;
  /** How much more (or less: 0 never) the valid moves close the job than they do by default. */
  closeWeight = 1;
  /** Milestone ids that have appeared in any proposal (some may be reused, R5). */
  private readonly proposedIds = new Set<string>();

  constructor(cast: Cast = DEFAULT_CAST) {
    this.cast = cast;
  }

  // ---------------------------------------------------------------- state queries

  private get open(): boolean {
    return this.state.job.award !== null && this.state.job.closedAt === null;
  }
  private actorOf(role: Role): string {
    return role === 'client' ? this.cast.clientId : this.cast.freelancerId;
  }
  private other(role: Role): Role {
    return role === 'client' ? 'freelancer' : 'client';
  }
  private canPropose(role: Role): boolean {
    const { active, pending } = this.state.terms;
    if (!this.open) return false;
    if (active === null && pending === null && role === 'freelancer') return false;
    return pending === null || pending.by !== role;
  }
  private proposers(): Role[] {
    return (['client', 'freelancer'] as const).filter((r) => this.canPropose(r));
  }
  private activeMilestones(): readonly Milestone[] {
    return this.state.terms.active?.milestones ?? [];
  }
  private releasedMilestones(): Milestone[] {
    return this.activeMilestones().filter((m) => isReleased(this.state.escrow, m.milestoneId));
  }
  private unreleasedActive(): Milestone[] {
    return this.activeMilestones().filter((m) => !isReleased(this.state.escrow, m.milestoneId));
  }
  private held(milestoneId: string): number {
    return escrowOf(this.state.escrow, milestoneId).held;
  }
  /** Milestones a funding may be for (R6, R7), with the amount it is measured against. */
  private fundable(): Milestone[] {
    const active = this.unreleasedActive();
    const pending = this.state.terms.pending;
    const prefundable = (pending?.milestones ?? []).filter(
      (m) => milestoneIn(this.state.terms.active, m.milestoneId) === undefined,
    );
    return [...active, ...prefundable];
  }
  private isStale(pending: Proposal): boolean {
    return this.releasedMilestones().some((r) => {
      const carried = milestoneIn(pending, r.milestoneId);
      return carried === undefined || !sameMilestone(carried, r);
    });
  }
  private knownIds(): string[] {
    const ids = new Set<string>(
      [...this.activeMilestones(), ...(this.state.terms.pending?.milestones ?? [])].map(
        (m) => m.milestoneId,
      ),
    );
    for (const id of tableKeys(this.state.terms.retiredMilestoneIds)) ids.add(id);
    ids.add('m-unknown');
    return [...ids];
  }

  // ---------------------------------------------------------------- building blocks

  private at(): string {
    return instant(this.cast.start, this.step);
  }
  private cmd<T extends JobCommandType>(
    type: T,
    actor: string,
    data: InputOf<T>['data'],
  ): JobCommandInput {
    return { type, actor, at: this.at(), data } as JobCommandInput;
  }
  private freshProposalId(): string {
    this.proposals += 1;
    return `p${String(this.proposals)}`;
  }
  private freshFundingId(): string {
    this.fundings += 1;
    return `f${String(this.fundings)}`;
  }
  private freshMilestone(rng: Rng): Milestone {
    this.milestones += 1;
    return this.milestone(rng, `m${String(this.milestones)}`);
  }
  private milestone(rng: Rng, milestoneId: string): Milestone {
    return {
      milestoneId,
      title: rng.pick(TITLES),
      description: rng.pick(DESCRIPTIONS),
      dueDate: calendarDate(rng.int(60)),
      amount: rng.chance(0.8) ? rng.pick(AMOUNTS) : 1 + rng.int(50_000),
    };
  }
  private amountOf(rng: Rng): number {
    return rng.chance(0.8) ? rng.pick(AMOUNTS) : 1 + rng.int(50_000);
  }

  /**
   * A valid milestone list: the base (the pending proposal or the active terms) with one to
   * three edits (R4), every released milestone carried unchanged (R5).
   */
  private terms(rng: Rng, keepReleased = true): Milestone[] {
    const { active, pending } = this.state.terms;
    const base = pending ?? active;
    if (base === null)
      return Array.from({ length: 1 + rng.int(5) }, () => this.freshMilestone(rng));
    const list = base.milestones.map((m) => ({ ...m }));
    const frozen = keepReleased ? this.releasedMilestones() : [];
    const frozenIds = new Set(frozen.map((m) => m.milestoneId));
    for (const r of frozen) {
      const i = list.findIndex((m) => m.milestoneId === r.milestoneId);
      if (i >= 0) list[i] = { ...r };
      else list.splice(rng.int(list.length + 1), 0, { ...r });
    }
    const editable = (): number[] =>
      list.flatMap((m, i) => (frozenIds.has(m.milestoneId) ? [] : [i]));
    const edits = 1 + rng.int(3);
    for (let e = 0; e < edits; e++) {
      const targets = editable();
      const kind = rng.pick([
        'reduce',
        'reduce',
        'raise',
        'delete',
        'delete',
        'add',
        'add',
        'redate',
        'retitle',
        'swap',
        'revive',
      ] as const);
      // Changes to money aim at funded milestones more often than not: that is where R9 refunds
      // and top-ups (a raise, then a second funding) happen.
      const funded = targets.filter((t) => this.held(list[t]?.milestoneId ?? '') > 0);
      const aimed =
        (kind === 'reduce' || kind === 'raise' || kind === 'delete') &&
        funded.length > 0 &&
        rng.chance(0.6)
          ? funded
          : targets;
      const i = aimed.length > 0 ? rng.pick(aimed) : -1;
      const m = list[i];
      switch (kind) {
        case 'reduce':
          if (m !== undefined && m.amount > 1) m.amount = 1 + rng.int(m.amount - 1);
          break;
        case 'raise':
          if (m !== undefined) m.amount += rng.pick([100, 2500, 7500, 1 + rng.int(10_000)]);
          break;
        case 'delete':
          if (m !== undefined && list.length > 1) list.splice(i, 1);
          break;
        case 'add':
          list.splice(rng.int(list.length + 1), 0, this.freshMilestone(rng));
          break;
        case 'redate':
          if (m !== undefined) m.dueDate = calendarDate(rng.int(60));
          break;
        case 'retitle':
          if (m !== undefined) {
            m.title = rng.pick(TITLES);
            m.description = rng.pick(DESCRIPTIONS);
          }
          break;
        case 'swap': {
          const j = rng.int(list.length);
          const k = rng.int(list.length);
          const a = list[j];
          const b = list[k];
          if (a !== undefined && b !== undefined) {
            list[j] = b;
            list[k] = a;
          }
          break;
        }
        case 'revive': {
          // An id that only appeared in a declined, withdrawn or superseded proposal may be reused.
          const inList = new Set(list.map((x) => x.milestoneId));
          const reusable = [...this.proposedIds].filter(
            (id) =>
              !inList.has(id) &&
              !tableHas(this.state.terms.retiredMilestoneIds, id) &&
              milestoneIn(active, id) === undefined,
          );
          if (reusable.length > 0)
            list.splice(rng.int(list.length + 1), 0, this.milestone(rng, rng.pick(reusable)));
          break;
        }
      }
    }
    return list;
  }

  private proposeCommand(
    rng: Rng,
    role: Role,
    milestones: Milestone[],
    proposalId = this.freshProposalId(),
  ): JobCommandInput {
    for (const m of milestones) this.proposedIds.add(m.milestoneId);
    // A command may leave a milestone's empty description out (it defaults to "").
    const written = milestones.map((m) =>
      m.description === '' && rng.chance(0.5) ? omit(m, 'description') : m,
    );
    return this.cmd('ProposeTerms', this.actorOf(role), { proposalId, milestones: written });
  }

  private fundCommand(
    rng: Rng,
    milestoneId: string,
    fundingId: string,
    guard?: number,
  ): JobCommandInput {
    const comment = rng.chance(0.3)
      ? rng.pick(['Start fee', 'Funding the next milestone', ''])
      : undefined;
    return this.cmd('FundMilestone', this.cast.clientId, {
      milestoneId,
      fundingId,
      source: rng.pick(this.cast.sources),
      ...(comment === undefined ? {} : { comment }),
      ...(guard === undefined ? {} : { amount: guard }),
    });
  }

  // ---------------------------------------------------------------- valid moves

  /** A command `decide` accepts in the current state, or `undefined` when none is left (closed). */
  validMove(rng: Rng): JobCommandInput | undefined {
    const { award, closedAt } = this.state.job;
    if (award === null) {
      const { jobId, title, clientId, freelancerId, currency } = this.cast;
      return this.cmd('AwardJob', clientId, { jobId, title, clientId, freelancerId, currency });
    }
    if (closedAt !== null) return undefined;
    const { active, pending } = this.state.terms;
    const client = this.cast.clientId;
    const freelancer = this.cast.freelancerId;
    const fundable = this.fundable().filter((m) => this.held(m.milestoneId) < this.fundedAmount(m));
    const releasable = this.unreleasedActive().filter((m) => this.held(m.milestoneId) === m.amount);
    const refundable = this.unreleasedActive().filter((m) => this.held(m.milestoneId) > 0);
    const submitted = this.unreleasedActive().filter(
      (m) => tableGet(this.state.job.reviews, m.milestoneId) === 'submitted',
    );
    const allReleased = active !== null && this.unreleasedActive().length === 0;
    const canClose = pending === null && this.state.escrow.totals.held === 0;
    const moves: [number, () => JobCommandInput][] = [];
    for (const role of this.proposers()) {
      const weight = active === null && pending === null ? 10 : pending === null ? 2 : 3;
      moves.push([weight, () => this.proposeCommand(rng, role, this.terms(rng))]);
    }
    if (pending !== null) {
      const answerer = this.actorOf(this.other(pending.by));
      const proposer = this.actorOf(pending.by);
      if (!this.isStale(pending))
        moves.push([
          8,
          () => this.cmd('AcceptTerms', answerer, { proposalId: pending.proposalId }),
        ]);
      moves.push([
        2,
        () =>
          this.cmd(
            'DeclineTerms',
            answerer,
            rng.chance(0.5)
              ? { proposalId: pending.proposalId, reason: 'Not what we agreed.' }
              : { proposalId: pending.proposalId },
          ),
      ]);
      moves.push([
        1,
        () => this.cmd('WithdrawTerms', proposer, { proposalId: pending.proposalId }),
      ]);
    }
    if (fundable.length > 0) {
      moves.push([
        8,
        () => {
          const m = rng.pick(fundable);
          const guard = rng.chance(0.3)
            ? this.fundedAmount(m) - this.held(m.milestoneId)
            : undefined;
          return this.fundCommand(rng, m.milestoneId, this.freshFundingId(), guard);
        },
      ]);
    }
    if (releasable.length > 0)
      moves.push([
        7,
        () => this.cmd('ReleaseFunds', client, { milestoneId: rng.pick(releasable).milestoneId }),
      ]);
    if (refundable.length > 0)
      moves.push([
        1,
        () =>
          this.cmd('RefundMilestone', freelancer, {
            milestoneId: rng.pick(refundable).milestoneId,
          }),
      ]);
    if (this.unreleasedActive().length > 0) {
      moves.push([
        2,
        () => {
          const m = rng.pick(this.unreleasedActive());
          return this.cmd(
            'SubmitWork',
            freelancer,
            rng.chance(0.5)
              ? { milestoneId: m.milestoneId, note: 'Files attached.' }
              : { milestoneId: m.milestoneId },
          );
        },
      ]);
    }
    if (submitted.length > 0) {
      moves.push([
        2,
        () => {
          const m = rng.pick(submitted);
          return this.cmd(
            'RequestChanges',
            client,
            rng.chance(0.5)
              ? { milestoneId: m.milestoneId, note: 'Bolder, please.' }
              : { milestoneId: m.milestoneId },
          );
        },
      ]);
    }
    if (canClose)
      moves.push([
        (allReleased ? 0.6 : 0.15) * this.closeWeight,
        () => this.cmd('CloseJob', client, rng.chance(0.5) ? { reason: 'Done.' } : {}),
      ]);
    return rng.weighted(moves)?.();
  }

  /** The amount a funding of this milestone is measured against: the active one if any (R6, R7). */
  private fundedAmount(m: Milestone): number {
    return milestoneIn(this.state.terms.active, m.milestoneId)?.amount ?? m.amount;
  }

  // ---------------------------------------------------------------- random commands

  /** A well-formed command of any type from any actor (the stranger too); its outcome is unknown. */
  randomCommand(rng: Rng, types: readonly JobCommandType[] = COMMAND_TYPES): JobCommandInput {
    const actor = rng.pick([this.cast.clientId, this.cast.freelancerId, this.cast.strangerId]);
    const pendingId = this.state.terms.pending?.proposalId;
    const proposalId = (): string =>
      rng.pick([
        ...(pendingId === undefined ? [] : [pendingId, pendingId]),
        ...tableKeys(this.state.terms.proposalIds),
        'p-unknown',
      ]);
    const milestoneId = (): string => rng.pick(this.knownIds());
    const type = rng.pick(types);
    switch (type) {
      case 'AwardJob': {
        const { jobId, title, clientId, freelancerId, currency } = this.cast;
        return this.cmd('AwardJob', actor, { jobId, title, clientId, freelancerId, currency });
      }
      case 'ProposeTerms':
        return this.proposeCommand(
          rng,
          actor === this.cast.clientId ? 'client' : 'freelancer',
          this.terms(rng, rng.chance(0.7)),
          rng.chance(0.8) ? this.freshProposalId() : proposalId(),
        );
      case 'AcceptTerms':
        return this.cmd('AcceptTerms', actor, { proposalId: proposalId() });
      case 'DeclineTerms':
        return this.cmd('DeclineTerms', actor, { proposalId: proposalId() });
      case 'WithdrawTerms':
        return this.cmd('WithdrawTerms', actor, { proposalId: proposalId() });
      case 'FundMilestone': {
        const used = tableKeys(this.state.escrow.fundingIds);
        const fundingId =
          used.length > 0 && rng.chance(0.1) ? rng.pick(used) : this.freshFundingId();
        const command = this.fundCommand(
          rng,
          milestoneId(),
          fundingId,
          rng.chance(0.2) ? this.amountOf(rng) : undefined,
        );
        return { ...command, actor };
      }
      case 'ReleaseFunds':
        return this.cmd('ReleaseFunds', actor, { milestoneId: milestoneId() });
      case 'RefundMilestone':
        return this.cmd('RefundMilestone', actor, { milestoneId: milestoneId() });
      case 'SubmitWork':
        return this.cmd('SubmitWork', actor, { milestoneId: milestoneId() });
      case 'RequestChanges':
        return this.cmd('RequestChanges', actor, { milestoneId: milestoneId() });
      case 'CloseJob':
        return this.cmd('CloseJob', actor, {});
    }
  }

  // ---------------------------------------------------------------- attacks

  /** Every attack that applies in the current state, each with the rejection it must get. */
  attacks(rng: Rng): Attack[] {
    const found: Attack[] = [];
    const add = (code: ErrorCode, rule: Attack['rule'], aim: string, command: unknown): void => {
      found.push({ command, code, rule, aim });
    };
    const { award, closedAt } = this.state.job;
    const { active, pending, proposalIds, retiredMilestoneIds } = this.state.terms;
    const cast = this.cast;
    const client = cast.clientId;
    const freelancer = cast.freelancerId;
    const notAward = COMMAND_TYPES.filter((t) => t !== 'AwardJob');

    add('INVALID_INPUT', 'spec §4', 'a malformed command', this.malformed(rng));
    if (award === null) {
      add('NOT_AWARDED', 'R3', 'a command before the award', this.randomCommand(rng, notAward));
      const { jobId, title, currency } = cast;
      add(
        'FORBIDDEN',
        'R3',
        'an award by the freelancer it names',
        this.cmd('AwardJob', freelancer, {
          jobId,
          title,
          clientId: client,
          freelancerId: freelancer,
          currency,
        }),
      );
      add(
        'NOT_A_PARTY',
        'R2',
        'an award by someone it does not name',
        this.cmd('AwardJob', cast.strangerId, {
          jobId,
          title,
          clientId: client,
          freelancerId: freelancer,
          currency,
        }),
      );
      add(
        'INVALID_INPUT',
        'spec §1',
        'an award to the client itself',
        this.cmd('AwardJob', client, {
          jobId,
          title,
          clientId: client,
          freelancerId: client,
          currency,
        }),
      );
      return found;
    }
    if (closedAt !== null) {
      // After closing every command is JOB_CLOSED, a second award included (R13).
      add('JOB_CLOSED', 'R13', 'a command after closing', this.randomCommand(rng, COMMAND_TYPES));
      return found;
    }
    add('ALREADY_AWARDED', 'R3', 'a second award', {
      ...this.randomCommand(rng, ['AwardJob']),
      actor: rng.pick([client, freelancer, cast.strangerId]),
    });
    add('NOT_A_PARTY', 'R2', 'a command from a stranger', {
      ...this.randomCommand(rng, notAward),
      actor: cast.strangerId,
    });

    // Terms (R2–R5).
    const proposers = this.proposers();
    if (active === null && pending === null) {
      add(
        'FORBIDDEN',
        'R3',
        'the freelancer opening the negotiation',
        this.proposeCommand(rng, 'freelancer', this.terms(rng)),
      );
    }
    if (pending !== null) {
      add(
        'PROPOSAL_PENDING',
        'R3',
        'a second proposal on top of its own',
        this.proposeCommand(rng, pending.by, this.terms(rng)),
      );
    }
    if (proposers.length > 0) {
      const role = rng.pick(proposers);
      const used = tableKeys(proposalIds);
      if (used.length > 0)
        add(
          'DUPLICATE_ID',
          'R5',
          'a reused proposal id',
          this.proposeCommand(rng, role, this.terms(rng), rng.pick(used)),
        );
      const twice = this.terms(rng);
      const first = twice[0];
      if (first !== undefined) {
        twice.splice(rng.int(twice.length + 1), 0, { ...first, title: 'Duplicate' });
        add(
          'DUPLICATE_ID',
          'R5',
          'a milestone id twice in one proposal',
          this.proposeCommand(rng, role, twice),
        );
      }
      const retired = tableKeys(retiredMilestoneIds);
      if (retired.length > 0) {
        const list = this.terms(rng);
        list.splice(rng.int(list.length + 1), 0, this.milestone(rng, rng.pick(retired)));
        add(
          'DUPLICATE_ID',
          'R5',
          'a deleted milestone id reused',
          this.proposeCommand(rng, role, list),
        );
      }
      const released = this.releasedMilestones();
      if (released.length > 0) {
        const list = this.terms(rng);
        const target = rng.pick(released);
        const i = list.findIndex((m) => m.milestoneId === target.milestoneId);
        const m = list[i];
        if (m !== undefined) {
          if (list.length > 1 && rng.chance(0.5)) list.splice(i, 1);
          else if (rng.chance(0.5)) m.amount = m.amount > 1 ? m.amount - 1 : 2;
          // A fresh coin flip each time, not the same condition twice.
          // eslint-disable-next-line no-dupe-else-if
          else if (rng.chance(0.5))
            m.dueDate = m.dueDate === '2014-12-31' ? '2014-12-30' : '2014-12-31';
          else m.title = `${m.title.slice(0, 190)} (edited)`;
          add(
            'MILESTONE_RELEASED',
            'R5',
            'a proposal that changes or drops a released milestone',
            this.proposeCommand(rng, role, list),
          );
        }
      }
      const huge = 2 ** 52;
      const overflow = [this.freshMilestone(rng), this.freshMilestone(rng)].map((m) => ({
        ...m,
        amount: huge,
      }));
      add(
        'INVALID_INPUT',
        'spec §1',
        'terms whose total passes Number.MAX_SAFE_INTEGER',
        this.proposeCommand(rng, role, overflow),
      );
    }
    const parties = [client, freelancer];
    const answer = rng.pick(['AcceptTerms', 'DeclineTerms', 'WithdrawTerms'] as const);
    if (pending === null) {
      add(
        'NO_PENDING_PROPOSAL',
        'R2',
        'an answer with no proposal pending',
        this.cmd(answer, rng.pick(parties), {
          proposalId: rng.pick([...tableKeys(proposalIds), 'p-unknown']),
        }),
      );
    } else {
      // Ids of other proposals, and one no pool of ids ever hands out.
      const wrongIds = [
        ...tableKeys(proposalIds),
        'p-unknown',
        `${pending.proposalId}-other`,
      ].filter((id) => id !== pending.proposalId);
      add(
        'PROPOSAL_MISMATCH',
        'R2',
        'an answer naming another proposal',
        this.cmd(answer, rng.pick(parties), { proposalId: rng.pick(wrongIds) }),
      );
      const proposer = this.actorOf(pending.by);
      const answerer = this.actorOf(this.other(pending.by));
      add(
        'FORBIDDEN',
        'R2',
        'accepting its own proposal',
        this.cmd('AcceptTerms', proposer, { proposalId: pending.proposalId }),
      );
      add(
        'FORBIDDEN',
        'R2',
        'declining its own proposal',
        this.cmd('DeclineTerms', proposer, { proposalId: pending.proposalId }),
      );
      add(
        'FORBIDDEN',
        'R3',
        "withdrawing the other party's proposal",
        this.cmd('WithdrawTerms', answerer, { proposalId: pending.proposalId }),
      );
      if (this.isStale(pending))
        add(
          'MILESTONE_RELEASED',
          'R5',
          'accepting a proposal made stale by a release',
          this.cmd('AcceptTerms', answerer, { proposalId: pending.proposalId }),
        );
    }

    // Roles (R6, R10–R13).
    const anyId = rng.pick(this.knownIds());
    const wrongRole = rng.pick([
      [freelancer, 'FundMilestone', 'R6'],
      [freelancer, 'ReleaseFunds', 'R10'],
      [client, 'RefundMilestone', 'R11'],
      [client, 'SubmitWork', 'R12'],
      [freelancer, 'RequestChanges', 'R12'],
      [freelancer, 'CloseJob', 'R13'],
    ] as const);
    const [wrongActor, wrongType, wrongRule] = wrongRole;
    const roleCommand =
      wrongType === 'FundMilestone'
        ? { ...this.fundCommand(rng, anyId, this.freshFundingId()), actor: wrongActor }
        : wrongType === 'CloseJob'
          ? this.cmd('CloseJob', wrongActor, {})
          : this.cmd(wrongType, wrongActor, { milestoneId: anyId });
    add('FORBIDDEN', wrongRule, `${wrongType} by the wrong party`, roleCommand);

    // Escrow (R6, R7, R10, R11) and work (R12).
    const usedFundings = tableKeys(this.state.escrow.fundingIds);
    if (usedFundings.length > 0)
      add(
        'DUPLICATE_ID',
        'R5',
        'a reused funding id',
        this.fundCommand(rng, anyId, rng.pick(usedFundings)),
      );
    const fundableIds = new Set(this.fundable().map((m) => m.milestoneId));
    const activeIds = new Set(this.activeMilestones().map((m) => m.milestoneId));
    const notFundable = this.knownIds().filter((id) => !fundableIds.has(id) && !activeIds.has(id));
    if (notFundable.length > 0)
      add(
        'UNKNOWN_MILESTONE',
        'R7',
        'funding a milestone of no terms',
        this.fundCommand(rng, rng.pick(notFundable), this.freshFundingId()),
      );
    const notActive = this.knownIds().filter((id) => !activeIds.has(id));
    if (notActive.length > 0) {
      const id = rng.pick(notActive);
      const [actor, type] = rng.pick([
        [client, 'ReleaseFunds'],
        [freelancer, 'RefundMilestone'],
        [freelancer, 'SubmitWork'],
        [client, 'RequestChanges'],
      ] as const);
      add(
        'UNKNOWN_MILESTONE',
        'R6',
        `${type} for a milestone that is not active`,
        this.cmd(type, actor, { milestoneId: id }),
      );
    }
    const released = this.releasedMilestones();
    if (released.length > 0) {
      const id = rng.pick(released).milestoneId;
      const [actor, type] = rng.pick([
        [client, 'FundMilestone'],
        [client, 'ReleaseFunds'],
        [freelancer, 'RefundMilestone'],
        [freelancer, 'SubmitWork'],
        [client, 'RequestChanges'],
      ] as const);
      add(
        'ALREADY_RELEASED',
        'R10',
        `${type} on a released milestone`,
        type === 'FundMilestone'
          ? this.fundCommand(rng, id, this.freshFundingId())
          : this.cmd(type, actor, { milestoneId: id }),
      );
    }
    const full = this.fundable().filter((m) => this.held(m.milestoneId) >= this.fundedAmount(m));
    if (full.length > 0)
      add(
        'NOTHING_TO_FUND',
        'R6',
        'funding a fully funded milestone',
        this.fundCommand(rng, rng.pick(full).milestoneId, this.freshFundingId()),
      );
    const short = this.fundable().filter((m) => this.held(m.milestoneId) < this.fundedAmount(m));
    if (short.length > 0) {
      const m = rng.pick(short);
      const remainder = this.fundedAmount(m) - this.held(m.milestoneId);
      const wrong =
        remainder > 1 && rng.chance(0.5)
          ? 1 + rng.int(remainder - 1)
          : remainder + 1 + rng.int(1000);
      add(
        'AMOUNT_MISMATCH',
        'R6',
        'a funding whose amount guard is not the remainder',
        this.fundCommand(rng, m.milestoneId, this.freshFundingId(), wrong),
      );
    }
    const underfunded = this.unreleasedActive().filter((m) => this.held(m.milestoneId) < m.amount);
    const partly = underfunded.filter((m) => this.held(m.milestoneId) > 0);
    if (underfunded.length > 0) {
      const m = rng.pick(partly.length > 0 && rng.chance(0.7) ? partly : underfunded);
      add(
        'NOT_FULLY_FUNDED',
        'R10',
        'releasing a milestone not wholly funded',
        this.cmd('ReleaseFunds', client, { milestoneId: m.milestoneId }),
      );
    }
    const empty = this.unreleasedActive().filter((m) => this.held(m.milestoneId) === 0);
    if (empty.length > 0)
      add(
        'NOTHING_TO_REFUND',
        'R11',
        'refunding a milestone that holds nothing',
        this.cmd('RefundMilestone', freelancer, { milestoneId: rng.pick(empty).milestoneId }),
      );
    const unsubmitted = this.unreleasedActive().filter(
      (m) => tableGet(this.state.job.reviews, m.milestoneId) !== 'submitted',
    );
    if (unsubmitted.length > 0)
      add(
        'NOTHING_SUBMITTED',
        'R12',
        'requesting changes to work never submitted',
        this.cmd('RequestChanges', client, { milestoneId: rng.pick(unsubmitted).milestoneId }),
      );

    // Closing (R13).
    if (this.state.escrow.totals.held > 0)
      add(
        'FUNDS_HELD',
        'R13',
        'closing while escrow holds money',
        this.cmd('CloseJob', client, {}),
      );
    else if (pending !== null)
      add(
        'PROPOSAL_PENDING',
        'R13',
        'closing while a proposal is pending',
        this.cmd('CloseJob', client, {}),
      );
    return found;
  }

  /** One attack that applies now, spread evenly over the error codes that can be aimed at. */
  attack(rng: Rng, codes?: readonly ErrorCode[]): Attack | undefined {
    const all = this.attacks(rng).filter((a) => codes === undefined || codes.includes(a.code));
    const byCode = [...new Set(all.map((a) => a.code))];
    if (byCode.length === 0) return undefined;
    const code = rng.pick(byCode);
    return rng.pick(all.filter((a) => a.code === code));
  }

  /** A malformed command: `INVALID_INPUT` whatever the state. */
  malformedAttack(rng: Rng): Attack {
    return {
      command: this.malformed(rng),
      code: 'INVALID_INPUT',
      rule: 'spec §4',
      aim: 'a malformed command',
    };
  }

  /** A command the schema rejects (`INVALID_INPUT`), whatever the state. */
  private malformed(rng: Rng): unknown {
    const base = this.randomCommand(rng) as unknown as Record<string, unknown>;
    const data = base['data'] as Record<string, unknown>;
    const broken: (() => unknown)[] = [
      () => ({ ...base, at: '2014-11-03 09:00' }),
      () => ({ ...base, at: '2014-02-30T09:00:00Z' }),
      () => ({ ...base, actor: rng.pick(['', ' client-1', '__proto__', 'a b']) }),
      () => ({ ...base, extra: true }),
      () => ({ ...base, data: { ...data, unexpected: 1 } }),
      () => ({ ...base, type: 'PayEverything' }),
      () => omit(base, 'at'),
      () => ({
        type: 'ProposeTerms',
        actor: this.cast.clientId,
        at: this.at(),
        data: {
          proposalId: 'p-bad',
          milestones: rng.pick<unknown[]>([
            [],
            [
              {
                milestoneId: 'mx',
                title: 'T',
                dueDate: '2014-11-10',
                amount: rng.pick([0, -100, 12.5, '7500', Number.MAX_SAFE_INTEGER + 1]),
              },
            ],
            [
              {
                milestoneId: 'mx',
                title: 'T',
                dueDate: rng.pick(['2014-02-30', '2014-13-01', '10 Nov 2014']),
                amount: 7500,
              },
            ],
            [
              {
                milestoneId: 'mx',
                title: rng.pick(['', 'T'.repeat(201)]),
                dueDate: '2014-11-10',
                amount: 7500,
              },
            ],
            [
              {
                milestoneId: 'mx',
                title: 'T',
                description: 'd'.repeat(5001),
                dueDate: '2014-11-10',
                amount: 7500,
              },
            ],
          ]),
        },
      }),
      () => ({
        type: 'FundMilestone',
        actor: this.cast.clientId,
        at: this.at(),
        data: { milestoneId: 'm1', fundingId: 'f-bad', source: rng.pick(['', 'x'.repeat(201)]) },
      }),
      () => ({
        type: 'FundMilestone',
        actor: this.cast.clientId,
        at: this.at(),
        data: {
          milestoneId: 'm1',
          fundingId: 'f-bad',
          source: 'card',
          amount: rng.pick([0, 1.5, -1]),
        },
      }),
      () => ({
        type: 'AwardJob',
        actor: this.cast.clientId,
        at: this.at(),
        data: {
          jobId: 'j',
          title: 'T',
          clientId: this.cast.clientId,
          freelancerId: 'f',
          currency: rng.pick(['usd', 'US', 'EURO']),
        },
      }),
    ];
    return rng.pick(broken)();
  }

  // ---------------------------------------------------------------- running

  /**
   * Decides a command against the current state: on acceptance, folds its events in and returns
   * them; on a `DomainError`, leaves the state as it was and returns the error.
   */
  apply(command: unknown): { readonly events: JobEvent[] } | { readonly error: DomainError } {
    this.step += 1;
    try {
      const events = decide(command as JobCommandInput, this.state);
      this.state = fold(events, this.state);
      this.events.push(...events);
      return { events };
    } catch (error) {
      if (isDomainError(error)) return { error };
      throw error;
    }
  }

  /** Writes and applies the next valid move; `undefined` once none is left (the job is closed). */
  nextValid(seed: number): JobCommandInput | undefined {
    const command = this.validMove(new Rng(seed));
    if (command !== undefined) this.apply(command);
    return command;
  }

  /** Writes and applies the next step of a mixed script; `undefined` when nothing is left to do. */
  next(seed: number, mix: Mix): ScriptStep | undefined {
    const rng = new Rng(seed);
    const roll = rng.next();
    let step: ScriptStep | undefined;
    if (roll < mix.invalid) {
      const attack = this.attack(rng);
      if (attack !== undefined)
        step = {
          command: attack.command,
          intent: { kind: 'invalid', code: attack.code, rule: attack.rule, aim: attack.aim },
        };
    } else if (roll < mix.invalid + mix.random) {
      step = { command: this.randomCommand(rng), intent: { kind: 'random' } };
    }
    if (step === undefined) {
      const command = this.validMove(rng);
      if (command === undefined) return undefined;
      step = { command, intent: { kind: 'valid' } };
    }
    this.apply(step.command);
    return step;
  }
}

function omit<T extends object, K extends keyof T>(value: T, key: K): Omit<T, K> {
  return Object.fromEntries(Object.entries(value).filter(([k]) => k !== key)) as Omit<T, K>;
}
