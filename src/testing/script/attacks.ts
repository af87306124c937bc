import type { JobCommandInput, JobCommandType } from '../../domain/commands.js';
import type { JobState } from '../../domain/state.js';
import { tableKeys } from '../../domain/shared/table.js';
import type { ErrorCode } from '../../domain/shared/errors.js';
import type { FrozenBy } from '../../domain/terms/decide.js';
import { COMMAND_TYPES, type Attack, type Cast } from './cast.js';
import type { Rng } from './rng.js';
import { malformed } from './random.js';
import { closingAttacks, fundingAttacks, paymentAttacks, roleAttacks } from './money-attacks.js';
import { clockAttacks, reviewAttacks } from './review.js';
import { disputeIdAttacks, disputeOpeningAttacks, openDisputeAttacks } from './dispute-attacks.js';
import type { ScriptWriter } from './writer.js';

/*
 * The attacks: for the writer's current state, every command `decide` must reject, each with the
 * code and rule it must be rejected by. Written area by area, in a fixed order, so that one
 * step's integer always draws the same attacks.
 */

/** The rule a proposal made stale breaks, by the reason its milestone is frozen. */
const STALE_RULE: Readonly<Record<FrozenBy, Attack['rule']>> = {
  MILESTONE_RELEASED: 'R5',
  MILESTONE_SETTLED: 'R21',
  DISPUTE_OPEN: 'R17',
};

/** What every area's attacks read: the writer, the step's randomness and the state at hand. */
export interface AttackContext {
  readonly w: ScriptWriter;
  readonly rng: Rng;
  readonly add: (code: ErrorCode, rule: Attack['rule'], aim: string, command: unknown) => void;
  readonly cast: Cast;
  readonly client: string;
  readonly freelancer: string;
  readonly notAward: readonly JobCommandType[];
  readonly award: JobState['job']['award'];
  readonly closedAt: string | null;
  readonly active: JobState['terms']['active'];
  readonly pending: JobState['terms']['pending'];
  readonly proposalIds: JobState['terms']['proposalIds'];
  readonly retiredMilestoneIds: JobState['terms']['retiredMilestoneIds'];
}

/** Every attack that applies in the writer's current state, each with the rejection it must get. */
export function attacksOn(w: ScriptWriter, rng: Rng): Attack[] {
  const found: Attack[] = [];
  const { award, closedAt } = w.state.job;
  const { active, pending, proposalIds, retiredMilestoneIds } = w.state.terms;
  const c: AttackContext = {
    w,
    rng,
    add: (code, rule, aim, command) => {
      found.push({ command, code, rule, aim });
    },
    cast: w.cast,
    client: w.cast.clientId,
    freelancer: w.cast.freelancerId,
    notAward: COMMAND_TYPES.filter((t) => t !== 'AwardJob'),
    award,
    closedAt,
    active,
    pending,
    proposalIds,
    retiredMilestoneIds,
  };
  if (awardAttacks(c)) return found;
  openingAttacks(c);
  proposalAttacks(c);
  answerAttacks(c);
  const anyId = roleAttacks(c);
  fundingAttacks(c, anyId);
  paymentAttacks(c);
  partTwoAttacks(c);
  closingAttacks(c);
  return found;
}

/** Part two's attacks (spec §7, R14–R21), in the order they draw from the step's integer. */
function partTwoAttacks(c: AttackContext): void {
  const anyId = c.rng.pick(c.w.knownIds());
  clockAttacks(c, anyId);
  disputeIdAttacks(c);
  for (const m of c.w.movable()) {
    reviewAttacks(c, m);
    disputeOpeningAttacks(c, m);
  }
  for (const d of c.w.openDisputes()) openDisputeAttacks(c, d);
}

/** Attacks on a malformed command for anyone; before the award, the award's own rules; after closing, nothing (R13); a stranger (R2). */
function awardAttacks({
  w,
  rng,
  add,
  cast,
  client,
  freelancer,
  notAward,
  award,
  closedAt,
}: AttackContext): boolean {
  add('INVALID_INPUT', 'spec §4', 'a malformed command', malformed(w, rng));
  if (award === null) {
    add('NOT_AWARDED', 'R3', 'a command before the award', w.randomCommand(rng, notAward));
    const { jobId, title, currency } = cast;
    const award = (actor: string, freelancerId: string): JobCommandInput =>
      w.cmd('AwardJob', actor, { jobId, title, clientId: client, freelancerId, currency });
    add('FORBIDDEN', 'R3', 'an award by the freelancer it names', award(freelancer, freelancer));
    add(
      'NOT_A_PARTY',
      'R2',
      'an award by someone it does not name',
      award(cast.strangerId, freelancer),
    );
    add('INVALID_INPUT', 'spec §1', 'an award to the client itself', award(client, client));
    return true;
  }
  if (closedAt !== null) {
    // After closing every command is JOB_CLOSED, a second award included (R13).
    add('JOB_CLOSED', 'R13', 'a command after closing', w.randomCommand(rng, COMMAND_TYPES));
    return true;
  }
  add('ALREADY_AWARDED', 'R3', 'a second award', {
    ...w.randomCommand(rng, ['AwardJob']),
    actor: rng.pick([client, freelancer, cast.strangerId]),
  });
  add('NOT_A_PARTY', 'R2', 'a command from a stranger', {
    ...w.randomCommand(rng, notAward),
    actor: cast.strangerId,
  });

  return false;
}

/** Attacks on who may propose (R3). */
function openingAttacks({ w, rng, add, active, pending }: AttackContext): void {
  // Terms (R2–R5).
  if (active === null && pending === null) {
    add(
      'FORBIDDEN',
      'R3',
      'the freelancer opening the negotiation',
      w.proposeCommand(rng, 'freelancer', w.terms(rng)),
    );
  }
  if (pending !== null) {
    add(
      'PROPOSAL_PENDING',
      'R3',
      'a second proposal on top of its own',
      w.proposeCommand(rng, pending.by, w.terms(rng)),
    );
  }
}

/** Attacks on the ids and contents of a proposal (R4, R5). */
function proposalAttacks({ w, rng, add, proposalIds, retiredMilestoneIds }: AttackContext): void {
  const proposers = w.proposers();
  if (proposers.length > 0) {
    const role = rng.pick(proposers);
    const used = tableKeys(proposalIds);
    if (used.length > 0)
      add(
        'DUPLICATE_ID',
        'R5',
        'a reused proposal id',
        w.proposeCommand(rng, role, w.terms(rng), rng.pick(used)),
      );
    const twice = w.terms(rng);
    const first = twice[0];
    if (first !== undefined) {
      twice.splice(rng.int(twice.length + 1), 0, {
        ...first,
        title: 'Duplicate',
      });
      add(
        'DUPLICATE_ID',
        'R5',
        'a milestone id twice in one proposal',
        w.proposeCommand(rng, role, twice),
      );
    }
    const retired = tableKeys(retiredMilestoneIds);
    if (retired.length > 0) {
      const list = w.terms(rng);
      list.splice(rng.int(list.length + 1), 0, w.milestone(rng, rng.pick(retired)));
      add('DUPLICATE_ID', 'R5', 'a deleted milestone id reused', w.proposeCommand(rng, role, list));
    }
    const released = w.releasedMilestones();
    if (released.length > 0) {
      const list = w.terms(rng);
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
          w.proposeCommand(rng, role, list),
        );
      }
    }
    const huge = 2 ** 52;
    const overflow = [w.freshMilestone(rng), w.freshMilestone(rng)].map((m) => ({
      ...m,
      amount: huge,
    }));
    add(
      'INVALID_INPUT',
      'spec §1',
      'terms whose total passes Number.MAX_SAFE_INTEGER',
      w.proposeCommand(rng, role, overflow),
    );
  }
}

/** Attacks on answers to a proposal (R2, R3, R5). */
function answerAttacks({
  w,
  rng,
  add,
  client,
  freelancer,
  pending,
  proposalIds,
}: AttackContext): void {
  const parties = [client, freelancer];
  const answer = rng.pick(['AcceptTerms', 'DeclineTerms', 'WithdrawTerms'] as const);
  if (pending === null) {
    add(
      'NO_PENDING_PROPOSAL',
      'R2',
      'an answer with no proposal pending',
      w.cmd(answer, rng.pick(parties), {
        proposalId: rng.pick([...tableKeys(proposalIds), 'p-unknown']),
      }),
    );
  } else {
    // Ids of other proposals, and one no pool of ids ever hands out.
    const wrongIds = [...tableKeys(proposalIds), 'p-unknown', `${pending.proposalId}-other`].filter(
      (id) => id !== pending.proposalId,
    );
    add(
      'PROPOSAL_MISMATCH',
      'R2',
      'an answer naming another proposal',
      w.cmd(answer, rng.pick(parties), { proposalId: rng.pick(wrongIds) }),
    );
    const proposer = w.actorOf(pending.by);
    const answerer = w.actorOf(w.other(pending.by));
    add(
      'FORBIDDEN',
      'R2',
      'accepting its own proposal',
      w.cmd('AcceptTerms', proposer, { proposalId: pending.proposalId }),
    );
    add(
      'FORBIDDEN',
      'R2',
      'declining its own proposal',
      w.cmd('DeclineTerms', proposer, { proposalId: pending.proposalId }),
    );
    add(
      'FORBIDDEN',
      'R3',
      "withdrawing the other party's proposal",
      w.cmd('WithdrawTerms', answerer, { proposalId: pending.proposalId }),
    );
    const stale = w.staleBy(pending);
    if (stale !== undefined)
      add(
        stale,
        STALE_RULE[stale],
        'accepting a proposal made stale by a release, a settlement or a dispute',
        w.cmd('AcceptTerms', answerer, { proposalId: pending.proposalId }),
      );
  }
}
