import type { JobCommandInput } from '../../domain/commands.js';
import { tableGet } from '../../domain/shared/table.js';
import type { Milestone } from '../../domain/shared/schema.js';
import { disputeMoves } from './dispute-moves.js';
import { policy } from './policy.js';
import { reviewMoves } from './review.js';
import type { Rng } from './rng.js';
import type { ScriptWriter } from './writer.js';

/*
 * The valid moves: every command `decide` accepts in the writer's current state, each with a
 * weight; one step's integer picks one. The moves are listed in a fixed order (terms, money,
 * work, review, disputes), and nothing here draws from `rng` until the chosen move is written.
 */

/** A move: its weight, and how to write its command. */
export type Move = [number, () => JobCommandInput];

/** A command `decide` accepts in the current state, or `undefined` when none is left (closed). */
export function validMove(w: ScriptWriter, rng: Rng): JobCommandInput | undefined {
  const { award, closedAt } = w.state.job;
  if (award === null) {
    const { jobId, title, clientId, freelancerId, currency } = w.cast;
    const data = { jobId, title, clientId, freelancerId, currency };
    // Half the jobs take part one's defaults; the others a policy (R14, R16, R22).
    if (rng.chance(0.5)) return w.cmd('AwardJob', clientId, data);
    return w.cmd('AwardJob', clientId, { ...data, policy: policy(rng) });
  }
  if (closedAt !== null) return undefined;
  const refundable = w.movable().filter((m) => w.held(m.milestoneId) > 0);
  const moves: Move[] = [
    ...termsMoves(w, rng),
    ...moneyMoves(w, rng, refundable),
    ...workMoves(w, rng),
    ...reviewMoves(w, rng),
    // What may be refunded may be disputed (R16).
    ...disputeMoves(w, rng, refundable),
  ];
  return rng.weighted(moves)?.();
}

/** Proposals, and the answers to a pending one (R2–R5). */
function termsMoves(w: ScriptWriter, rng: Rng): Move[] {
  const { active, pending } = w.state.terms;
  const moves: Move[] = [];
  for (const role of w.proposers()) {
    const weight = active === null && pending === null ? 10 : pending === null ? 2 : 3;
    moves.push([weight, () => w.proposeCommand(rng, role, w.terms(rng))]);
  }
  if (pending !== null) {
    const answerer = w.actorOf(w.other(pending.by));
    const proposer = w.actorOf(pending.by);
    if (w.staleBy(pending) === undefined)
      moves.push([8, () => w.cmd('AcceptTerms', answerer, { proposalId: pending.proposalId })]);
    moves.push([
      2,
      () =>
        w.cmd(
          'DeclineTerms',
          answerer,
          rng.chance(0.5)
            ? { proposalId: pending.proposalId, reason: 'Not what we agreed.' }
            : { proposalId: pending.proposalId },
        ),
    ]);
    moves.push([1, () => w.cmd('WithdrawTerms', proposer, { proposalId: pending.proposalId })]);
  }
  return moves;
}

/** Fundings, releases and refunds (R6, R7, R10, R11), outside disputes (R17). */
function moneyMoves(w: ScriptWriter, rng: Rng, refundable: readonly Milestone[]): Move[] {
  const client = w.cast.clientId;
  const freelancer = w.cast.freelancerId;
  const fundable = w.fundable().filter((m) => w.held(m.milestoneId) < w.fundedAmount(m));
  const releasable = w.movable().filter((m) => w.held(m.milestoneId) === m.amount);
  const moves: Move[] = [];
  if (fundable.length > 0) {
    moves.push([
      8,
      () => {
        const m = rng.pick(fundable);
        const guard = rng.chance(0.3) ? w.fundedAmount(m) - w.held(m.milestoneId) : undefined;
        return w.fundCommand(rng, m.milestoneId, w.freshFundingId(), guard);
      },
    ]);
  }
  if (releasable.length > 0)
    moves.push([
      7,
      () => w.cmd('ReleaseFunds', client, { milestoneId: rng.pick(releasable).milestoneId }),
    ]);
  if (refundable.length > 0)
    moves.push([
      1,
      () => w.cmd('RefundMilestone', freelancer, { milestoneId: rng.pick(refundable).milestoneId }),
    ]);
  return moves;
}

/** Submitting work, asking for changes, closing (R12, R13). */
function workMoves(w: ScriptWriter, rng: Rng): Move[] {
  const { active, pending } = w.state.terms;
  const client = w.cast.clientId;
  const freelancer = w.cast.freelancerId;
  const submitted = w
    .unreleasedActive()
    .filter((m) => tableGet(w.state.job.reviews, m.milestoneId) === 'submitted');
  const allReleased = active !== null && w.unreleasedActive().length === 0;
  const canClose = pending === null && w.state.escrow.totals.held === 0;
  const moves: Move[] = [];
  if (w.unreleasedActive().length > 0) {
    moves.push([
      2,
      () => {
        const m = rng.pick(w.unreleasedActive());
        return w.cmd(
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
        return w.cmd(
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
      (allReleased ? 0.6 : 0.15) * w.closeWeight,
      () => w.cmd('CloseJob', client, rng.chance(0.5) ? { reason: 'Done.' } : {}),
    ]);
  return moves;
}
