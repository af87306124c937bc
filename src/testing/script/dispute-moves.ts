import type { Milestone } from '../../domain/shared/schema.js';
import { appendAll } from '../../domain/shared/copies.js';
import type { Dispute } from '../../domain/dispute/state.js';
import type { Move } from './moves.js';
import type { Rng } from './rng.js';
import type { ScriptWriter } from './writer.js';

/*
 * The valid moves of disputes (R16–R21): opening one on a milestone that holds money, and for
 * each open dispute an offer, its acceptance, a withdrawal, an escalation and the platform's
 * ruling, or the answer deadline's expiry.
 */

/** Opening a dispute on a `disputable` milestone, then every move on each open dispute. */
export function disputeMoves(w: ScriptWriter, rng: Rng, disputable: readonly Milestone[]): Move[] {
  const parties = [w.cast.clientId, w.cast.freelancerId];
  const moves: Move[] = [];
  // One and a half a refund's weight: more expiries end disputes sooner, and at 1 the attacks on
  // open disputes (DISPUTE_ESCALATED, DISPUTE_NOT_ESCALATED) were too rarely reached.
  if (disputable.length > 0)
    moves.push([
      1.5,
      () => {
        const m = rng.pick(disputable);
        const held = w.held(m.milestoneId);
        return w.cmd('OpenDispute', rng.pick(parties), {
          disputeId: w.freshDisputeId(),
          milestoneId: m.milestoneId,
          refund: rng.pick([0, held, rng.int(held + 1)]),
          ...(rng.chance(0.3) ? { reason: 'Not what was agreed.' } : {}),
        });
      },
    ]);
  for (const d of w.openDisputes()) appendAll(moves, openDisputeMoves(w, rng, d));
  return moves;
}

/** Offers, acceptance and withdrawal (R18, R20); escalation and expiry, or the ruling (R19, R20). */
function openDisputeMoves(w: ScriptWriter, rng: Rng, d: Dispute): Move[] {
  const parties = [w.cast.clientId, w.cast.freelancerId];
  const held = w.held(d.milestoneId);
  const author = w.actorOf(d.offerBy);
  const answerer = w.actorOf(w.other(d.offerBy));
  const { disputeId } = d;
  const moves: Move[] = [
    [
      1.5,
      () => w.cmd('ProposeSettlement', rng.pick(parties), { disputeId, refund: rng.int(held + 1) }),
    ],
    [1, () => w.cmd('AcceptSettlement', answerer, { disputeId, refund: d.refund })],
    [0.5, () => w.cmd('WithdrawDispute', w.actorOf(d.openedBy), { disputeId })],
  ];
  if (d.escalated)
    moves.push([
      0.7,
      () => w.cmd('ResolveDispute', w.platform(), { disputeId, refund: rng.int(held + 1) }),
    ]);
  else {
    moves.push([4, () => w.cmd('EscalateDispute', rng.pick(parties), { disputeId })]);
    // Three times what it was (0.5, an eighth of an escalation): one history in seventy had an
    // expired dispute, and R20's expiry went almost untested by the generated scripts.
    moves.push([
      1.5,
      () => {
        w.waitUntil(rng, d.respondBy);
        return w.cmd('ExpireDispute', rng.chance(0.6) ? w.platform() : author, { disputeId });
      },
    ]);
  }
  return moves;
}
