import { platformIdOf } from '../../domain/job/policy.js';
import { decide, fold, initialState } from '../../domain/decider.js';
import type { JobCommandInput, JobCommandType } from '../../domain/commands.js';
import type { JobEvent } from '../../domain/events.js';
import type { JobState } from '../../domain/state.js';
import { appendAll } from '../../domain/shared/copies.js';
import { escrowOf, isReleased, isSettled } from '../../domain/escrow/state.js';
import { openDisputeOn, type Dispute } from '../../domain/dispute/state.js';
import {
  frozenBy,
  frozenMilestoneChanged,
  proposalBlockedFor,
  type FrozenBy,
} from '../../domain/terms/decide.js';
import { formatInstant, instantMs } from '../../domain/shared/time.js';
import { milestoneIn, type Proposal } from '../../domain/terms/state.js';
import { isDomainError, type DomainError, type ErrorCode } from '../../domain/shared/errors.js';
import { tableGet, tableKeys } from '../../domain/shared/table.js';
import type { Milestone, Role } from '../../domain/shared/schema.js';
import { attacksOn } from './attacks.js';
import {
  COMMAND_TYPES,
  DEFAULT_CAST,
  type Attack,
  type Cast,
  type InputOf,
  type Mix,
  type ScriptStep,
} from './cast.js';
import { validMove } from './moves.js';
import { malformed, randomCommand } from './random.js';
import { AMOUNTS, DESCRIPTIONS, Rng, TITLES, calendarDate, instant, omit } from './rng.js';
import { termsList } from './terms.js';

/*
 * The script writer behind the arbitraries: from the job's current state it writes the next
 * command, either a valid move (one `decide` accepts), an attack on one rule (a command `decide`
 * must reject with a known code) or a random command (anything, outcome unknown). Its randomness
 * comes from one integer per step, so fast-check shrinks a script by dropping and simplifying
 * steps, and every shrunk script is still a script of legal moves where it was one.
 *
 * This file keeps the job and answers questions about it; what it writes lives beside it: valid
 * moves (moves.ts, review.ts, dispute-moves.ts), proposal lists (terms.ts), the award's policy
 * (policy.ts), random and malformed commands (random.ts), and attacks by area (attacks.ts,
 * money-attacks.ts, review.ts, dispute-attacks.ts). The rules themselves are the domain's: the
 * writer asks `decide`'s named predicates (R3 `proposalBlockedFor`, R5/R17/R21 `frozenBy` and
 * `frozenMilestoneChanged`) instead of keeping copies of them.
 */

/**
 * Writes commands against a job it keeps up to date. Not part of the public API: the
 * arbitraries wrap it.
 */
export class ScriptWriter {
  readonly cast: Cast;
  state: JobState = initialState();
  readonly events: JobEvent[] = [];
  private step = 0;
  // How far timers have moved the script's clock past one minute a step (part two's deadlines).
  private offsetMs = 0;
  private disputes = 0;
  private proposals = 0;
  private milestones = 0;
  private fundings = 0;
  /** How much more (or less: 0 never) the valid moves close the job than they do by default. */
  closeWeight = 1;
  /** Milestone ids that have appeared in any proposal (some may be reused, R5). */
  readonly proposedIds = new Set<string>();

  constructor(cast: Cast = DEFAULT_CAST) {
    this.cast = cast;
  }

  // ---------------------------------------------------------------- state queries

  get open(): boolean {
    return this.state.job.award !== null && this.state.job.closedAt === null;
  }
  actorOf(role: Role): string {
    return role === 'client' ? this.cast.clientId : this.cast.freelancerId;
  }
  other(role: Role): Role {
    return role === 'client' ? 'freelancer' : 'client';
  }
  /** R3, as the domain decides it: the job is open and nothing stops `role` from proposing. */
  canPropose(role: Role): boolean {
    return this.open && proposalBlockedFor(this.state, role) === undefined;
  }
  proposers(): Role[] {
    return (['client', 'freelancer'] as const).filter((r) => this.canPropose(r));
  }
  activeMilestones(): readonly Milestone[] {
    return this.state.terms.active?.milestones ?? [];
  }
  releasedMilestones(): Milestone[] {
    return this.activeMilestones().filter((m) => isReleased(this.state.escrow, m.milestoneId));
  }
  settledMilestones(): Milestone[] {
    return this.activeMilestones().filter((m) => isSettled(this.state.escrow, m.milestoneId));
  }
  disputeOn(milestoneId: string): Dispute | undefined {
    return openDisputeOn(this.state.dispute, milestoneId);
  }
  /** Milestones every proposal must carry unchanged, as the domain decides it (R5, R17, R21). */
  frozenMilestones(): Milestone[] {
    return this.activeMilestones().filter((m) => frozenBy(this.state, m.milestoneId) !== undefined);
  }
  /** Active milestones that are neither released nor settled: work may go on (R12). */
  unreleasedActive(): Milestone[] {
    return this.activeMilestones().filter(
      (m) =>
        !isReleased(this.state.escrow, m.milestoneId) &&
        !isSettled(this.state.escrow, m.milestoneId),
    );
  }
  /** Those whose money may move outside a dispute (R17). */
  movable(): Milestone[] {
    return this.unreleasedActive().filter((m) => this.disputeOn(m.milestoneId) === undefined);
  }
  openDisputes(): Dispute[] {
    const found: Dispute[] = [];
    for (const m of this.activeMilestones()) {
      const d = this.disputeOn(m.milestoneId);
      if (d !== undefined) found.push(d);
    }
    return found;
  }
  closedDisputes(): Dispute[] {
    return tableKeys(this.state.dispute.disputes)
      .map((id) => tableGet(this.state.dispute.disputes, id))
      .filter((d): d is Dispute => d !== undefined && d.status !== 'open');
  }
  platform(): string {
    return platformIdOf(this.state.job.award);
  }
  held(milestoneId: string): number {
    return escrowOf(this.state.escrow, milestoneId).held;
  }
  /** Milestones a funding may be for (R6, R7), with the amount it is measured against. */
  fundable(): Milestone[] {
    const active = this.movable();
    const pending = this.state.terms.pending;
    const prefundable = (pending?.milestones ?? []).filter(
      (m) => milestoneIn(this.state.terms.active, m.milestoneId) === undefined,
    );
    return [...active, ...prefundable];
  }
  /** The amount a funding of this milestone is measured against: the active one if any (R6, R7). */
  fundedAmount(m: Milestone): number {
    return milestoneIn(this.state.terms.active, m.milestoneId)?.amount ?? m.amount;
  }
  /**
   * Why accepting `pending` now fails, as the domain decides it: the first frozen milestone it
   * changes (R5, R17, R21; spec §7), or `undefined` when it may be accepted.
   */
  staleBy(pending: Proposal): FrozenBy | undefined {
    return frozenMilestoneChanged(this.state, pending.milestones)?.by;
  }
  knownIds(): string[] {
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

  at(): string {
    return formatInstant(instantMs(instant(this.cast.start, this.step)) + this.offsetMs);
  }
  /** Moves the script's clock forward to `due` (a timer that fires at or after a deadline). */
  waitUntil(rng: Rng, due: string): void {
    const late = instantMs(due) - instantMs(this.at());
    if (late > 0) this.offsetMs += late + (rng.chance(0.5) ? 0 : rng.int(3) * 3_600_000);
  }
  cmd<T extends JobCommandType>(type: T, actor: string, data: InputOf<T>['data']): JobCommandInput {
    return { type, actor, at: this.at(), data } as JobCommandInput;
  }
  freshProposalId(): string {
    this.proposals += 1;
    return `p${String(this.proposals)}`;
  }
  freshFundingId(): string {
    this.fundings += 1;
    return `f${String(this.fundings)}`;
  }
  freshDisputeId(): string {
    this.disputes += 1;
    return `d${String(this.disputes)}`;
  }
  freshMilestone(rng: Rng): Milestone {
    this.milestones += 1;
    return this.milestone(rng, `m${String(this.milestones)}`);
  }
  milestone(rng: Rng, milestoneId: string): Milestone {
    return {
      milestoneId,
      title: rng.pick(TITLES),
      description: rng.pick(DESCRIPTIONS),
      dueDate: calendarDate(rng.int(60)),
      amount: rng.chance(0.8) ? rng.pick(AMOUNTS) : 1 + rng.int(50_000),
    };
  }
  amountOf(rng: Rng): number {
    return rng.chance(0.8) ? rng.pick(AMOUNTS) : 1 + rng.int(50_000);
  }
  /**
   * A valid milestone list: the base (the pending proposal or the active terms) with one to
   * three edits (R4), every frozen milestone carried unchanged unless `keepFrozen` is false.
   */
  terms(rng: Rng, keepFrozen = true): Milestone[] {
    return termsList(this, rng, keepFrozen);
  }

  proposeCommand(
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

  fundCommand(rng: Rng, milestoneId: string, fundingId: string, guard?: number): JobCommandInput {
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

  // ---------------------------------------------------------------- what it writes

  /** A command `decide` accepts in the current state, or `undefined` when none is left (closed). */
  validMove(rng: Rng): JobCommandInput | undefined {
    return validMove(this, rng);
  }

  /** A well-formed command of any type from any actor (the stranger too); its outcome is unknown. */
  randomCommand(rng: Rng, types: readonly JobCommandType[] = COMMAND_TYPES): JobCommandInput {
    return randomCommand(this, rng, types);
  }

  /** Every attack that applies in the current state, each with the rejection it must get. */
  attacks(rng: Rng): Attack[] {
    return attacksOn(this, rng);
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
      command: malformed(this, rng),
      code: 'INVALID_INPUT',
      rule: 'spec §4',
      aim: 'a malformed command',
    };
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
      appendAll(this.events, events);
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
