/*
 * One job's seeded random walk over the commands valid in its current state (see generate.ts):
 * the texts it writes and the walk itself.
 */
import {
  decide,
  isDomainError,
  type JobCommandInput,
  type JobEvent,
  type JobState,
  type Milestone,
  type Role,
} from 'milestone-escrow';
// The id tables are the library's internals: the bench reads them straight from the source.
import { tableGet } from '../../src/domain/shared/table.js';
// Events the library decided itself: checked without validating them again (see workloads/fold.ts).
import { createTrustedChecker } from '../../src/domain/history.js';
import type { Random } from './prng.js';
import { toV1, type WalkParams } from './walk-params.js';

const TITLES = [
  'Wireframes',
  'Design concepts',
  'Revision',
  'Implementation',
  'QA pass',
  'Data migration',
  'Copywriting',
  'Final delivery',
  'Training',
  'Documentation',
];
const DESCRIPTIONS = [
  '',
  '',
  'As discussed on the kick-off call.',
  'Two rounds of feedback included; source files in the shared folder.',
  'Deliver print-ready PDF and SVG, CMYK and RGB versions, plus a one-page usage guide.',
];
const SOURCES = [
  'card:visa-4242',
  'card:amex-0005',
  'paypal:client@example.com',
  'bank:de89-3704-0044',
];
const NOTES = [
  'Draft attached',
  'Please check the second page',
  'Bolder colours, please',
  'See comments inline',
  'Done',
];

function iso(ms: number): string {
  return new Date(ms).toISOString().slice(0, 19) + 'Z';
}

function date(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}

const DAY = 86_400_000;

/** One job's random walk. `step()` decides one valid command and folds its events. */
export class JobWalk {
  private readonly checker = createTrustedChecker();
  private clock: number;
  private milestoneSeq = 0;
  private proposalSeq = 0;
  private fundingSeq = 0;
  readonly client: string;
  readonly freelancer: string;
  /** Events of the decisions so far. */
  count = 0;
  /** Commands the walk tried that `decide` rejected (they cost time, not events). */
  rejected = 0;

  constructor(
    private readonly rnd: Random,
    private readonly params: WalkParams,
    private readonly jobId: string,
    start: number,
    private readonly sink: (event: JobEvent) => void,
  ) {
    this.clock = start;
    this.client = `client-${jobId}`;
    this.freelancer = `freelancer-${jobId}`;
  }

  get state(): JobState {
    return this.checker.current;
  }

  get closed(): boolean {
    return this.state.job.closedAt !== null;
  }

  private at(): string {
    this.clock += this.rnd.int(1, 240) * 60_000;
    return iso(this.clock);
  }

  private actor(role: Role): string {
    return role === 'client' ? this.client : this.freelancer;
  }

  /** Decides a command; false (and nothing folded) when the domain rejects it. */
  private attempt(command: JobCommandInput): boolean {
    let events: JobEvent[];
    try {
      events = decide(command, this.state);
    } catch (error) {
      if (isDomainError(error)) {
        this.rejected += 1;
        return false;
      }
      throw error;
    }
    for (const decided of events) {
      const event = toV1(decided);
      this.checker.push(event);
      this.sink(event);
    }
    this.count += events.length;
    return true;
  }

  private newMilestone(): Milestone {
    this.milestoneSeq += 1;
    const { rnd } = this;
    return {
      milestoneId: `m${String(this.milestoneSeq)}`,
      title: `${rnd.pick(TITLES)} ${String(this.milestoneSeq)}`,
      description: rnd.pick(DESCRIPTIONS),
      dueDate: date(this.clock + rnd.int(3, 400) * DAY),
      amount: rnd.int(4, 400) * 500,
    };
  }

  private released(milestoneId: string): boolean {
    const m = tableGet(this.state.escrow.milestones, milestoneId);
    return m !== undefined && m.released > 0;
  }

  private held(milestoneId: string): number {
    return tableGet(this.state.escrow.milestones, milestoneId)?.held ?? 0;
  }

  private propose(role: Role, milestones: Milestone[]): boolean {
    this.proposalSeq += 1;
    return this.attempt({
      type: 'ProposeTerms',
      actor: this.actor(role),
      at: this.at(),
      data: { proposalId: `p${String(this.proposalSeq)}`, milestones },
    });
  }

  /** A changed copy of a milestone list: 1–3 edits, released milestones carried unchanged (R5). */
  private changed(base: readonly Milestone[]): Milestone[] {
    const { rnd } = this;
    const list = base.map((m) => ({ ...m }));
    const edits = rnd.int(1, 3);
    for (let e = 0; e < edits; e++) {
      const kind = rnd.int(0, 4);
      if (kind === 4 || list.length === 0) {
        list.splice(rnd.int(0, list.length), 0, this.newMilestone());
        continue;
      }
      const i = rnd.int(0, list.length - 1);
      const m = list[i];
      if (m === undefined || this.released(m.milestoneId)) continue;
      if (kind === 0) m.amount += rnd.int(1, 20) * 500;
      else if (kind === 1)
        m.amount = Math.max(500, Math.floor((m.amount * rnd.int(3, 9)) / 10 / 500) * 500);
      else if (kind === 2 && list.length > 1) list.splice(i, 1);
      else m.dueDate = date(this.clock + rnd.int(3, 400) * DAY);
    }
    return list;
  }

  private weighted<T extends string>(options: ReadonlyArray<readonly [T, number]>): T | undefined {
    let total = 0;
    for (const [, w] of options) total += w;
    if (total <= 0) return undefined;
    let r = this.rnd.next() * total;
    for (const [name, w] of options) {
      r -= w;
      if (r < 0) return name;
    }
    return options[options.length - 1]?.[0];
  }

  private milestoneMove(): boolean {
    const active = this.state.terms.active;
    if (active === null) return false;
    const m = this.rnd.pick(active.milestones);
    if (this.released(m.milestoneId)) return false;
    const held = this.held(m.milestoneId);
    const review = tableGet(this.state.job.reviews, m.milestoneId) ?? 'none';
    const w = this.params.milestoneWeights;
    const move = this.weighted([
      ['fund', held < m.amount ? w.fund : 0],
      ['submit', w.submit],
      ['requestChanges', review === 'submitted' ? w.requestChanges : 0],
      ['release', held === m.amount ? w.release : 0],
      ['refund', held > 0 ? w.refund : 0],
    ] as const);
    const milestoneId = m.milestoneId;
    switch (move) {
      case 'fund':
        return this.fund(milestoneId);
      case 'submit':
        return this.attempt({
          type: 'SubmitWork',
          actor: this.freelancer,
          at: this.at(),
          data: this.rnd.chance(0.5)
            ? { milestoneId, note: this.rnd.pick(NOTES) }
            : { milestoneId },
        });
      case 'requestChanges':
        return this.attempt({
          type: 'RequestChanges',
          actor: this.client,
          at: this.at(),
          data: { milestoneId, note: this.rnd.pick(NOTES) },
        });
      case 'release':
        return this.attempt({
          type: 'ReleaseFunds',
          actor: this.client,
          at: this.at(),
          data: { milestoneId },
        });
      case 'refund':
        return this.attempt({
          type: 'RefundMilestone',
          actor: this.freelancer,
          at: this.at(),
          data: { milestoneId },
        });
      default:
        return false;
    }
  }

  private fund(milestoneId: string): boolean {
    this.fundingSeq += 1;
    const fundingId = `f${String(this.fundingSeq)}`;
    const source = this.rnd.pick(SOURCES);
    return this.attempt({
      type: 'FundMilestone',
      actor: this.client,
      at: this.at(),
      data: this.rnd.chance(0.2)
        ? { milestoneId, fundingId, source, comment: 'Funded from the project budget' }
        : { milestoneId, fundingId, source },
    });
  }

  private answer(): boolean {
    const pending = this.state.terms.pending;
    if (pending === null) return false;
    const other: Role = pending.by === 'client' ? 'freelancer' : 'client';
    const r = this.rnd.next();
    const proposalId = pending.proposalId;
    if (r < 0.1)
      return (
        this.propose(other, this.changed(pending.milestones)) ||
        this.propose(other, this.changed(this.state.terms.active?.milestones ?? pending.milestones))
      );
    if (
      r < 0.75 &&
      this.attempt({
        type: 'AcceptTerms',
        actor: this.actor(other),
        at: this.at(),
        data: { proposalId },
      })
    )
      return true;
    return this.attempt({
      type: 'DeclineTerms',
      actor: this.actor(other),
      at: this.at(),
      data: { proposalId, reason: 'Not this time' },
    });
  }

  private prefund(): boolean {
    const { active, pending } = this.state.terms;
    if (pending === null) return false;
    const inActive = new Set(active?.milestones.map((m) => m.milestoneId));
    const candidates = pending.milestones.filter(
      (m) => !inActive.has(m.milestoneId) && this.held(m.milestoneId) < m.amount,
    );
    if (candidates.length === 0) return false;
    return this.fund(this.rnd.pick(candidates).milestoneId);
  }

  /** Decides one more valid command. False once the job is closed. */
  step(): boolean {
    const state = this.state;
    if (state.job.closedAt !== null) return false;
    if (state.job.award === null) {
      return this.attempt({
        type: 'AwardJob',
        actor: this.client,
        at: this.at(),
        data: {
          jobId: this.jobId,
          title: `${this.rnd.pick(TITLES)} for ${this.jobId}`,
          clientId: this.client,
          freelancerId: this.freelancer,
          currency: 'USD',
        },
      });
    }
    for (let tries = 0; tries < 50; tries++) {
      const { active, pending } = this.state.terms;
      if (active === null && pending === null) {
        const n = this.rnd.int(this.params.milestones[0], this.params.milestones[1]);
        const list: Milestone[] = [];
        for (let i = 0; i < n; i++) list.push(this.newMilestone());
        if (this.propose('client', list)) return true;
        continue;
      }
      const w = this.params.weights;
      // Only small jobs close (the scan is linear in the number of milestones).
      const allReleased =
        w.close > 0 &&
        active !== null &&
        active.milestones.every((m) => this.released(m.milestoneId));
      const move = this.weighted([
        ['milestone', active !== null && !allReleased ? w.milestone : 0],
        ['change', active !== null ? w.change : 0],
        ['answer', pending !== null ? w.answer : 0],
        ['prefund', pending !== null ? w.prefund : 0],
        ['withdraw', pending !== null ? w.withdraw : 0],
        [
          'close',
          allReleased && pending === null && this.state.escrow.totals.held === 0 ? w.close : 0,
        ],
      ] as const);
      let done = false;
      switch (move) {
        case 'milestone':
          done = this.milestoneMove();
          break;
        case 'change': {
          const role: Role = this.rnd.chance(0.6) ? 'client' : 'freelancer';
          const base =
            pending !== null && pending.by !== role
              ? pending.milestones
              : (active?.milestones ?? []);
          done = base.length > 0 && this.propose(role, this.changed(base));
          break;
        }
        case 'answer':
          done = this.answer();
          break;
        case 'prefund':
          done = this.prefund();
          break;
        case 'withdraw':
          done =
            pending !== null &&
            this.attempt({
              type: 'WithdrawTerms',
              actor: this.actor(pending.by),
              at: this.at(),
              data: { proposalId: pending.proposalId },
            });
          break;
        case 'close':
          done = this.attempt({
            type: 'CloseJob',
            actor: this.client,
            at: this.at(),
            data: { reason: 'All milestones delivered' },
          });
          break;
        default:
          done = false;
      }
      if (done) return true;
    }
    throw new Error(`job ${this.jobId}: the walk found no valid command in 50 tries`);
  }

  /** Checks that the history ends on a whole decision and returns the final state. */
  finish(): JobState {
    return this.checker.finish();
  }
}
