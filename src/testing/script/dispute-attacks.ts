import { instantMs } from '../../domain/shared/time.js';
import { tableKeys } from '../../domain/shared/table.js';
import type { Dispute } from '../../domain/dispute/state.js';
import type { Milestone } from '../../domain/shared/schema.js';
import type { AttackContext } from './attacks.js';

/*
 * The attacks on disputes (R16–R21): rulings by a party, disputes never opened or already ended,
 * settled milestones, disputes opened on nothing or for too much, and on each open dispute the
 * commands its state forbids.
 */

/** Attacks naming a dispute: a party ruling, one never opened, one ended; a settled milestone. */
export function disputeIdAttacks({ w, rng, add, client, freelancer }: AttackContext): void {
  const parties = [client, freelancer];
  add(
    'FORBIDDEN',
    'R20',
    'a party ruling on a dispute',
    w.cmd('ResolveDispute', rng.pick(parties), {
      disputeId: rng.pick([...tableKeys(w.state.dispute.disputes), 'd-unknown']),
      refund: 0,
    }),
  );
  add(
    'UNKNOWN_DISPUTE',
    'R20',
    'a command naming a dispute never opened',
    w.cmd('EscalateDispute', rng.pick(parties), { disputeId: 'd-unknown' }),
  );
  const closed = w.closedDisputes();
  if (closed.length > 0)
    add(
      'DISPUTE_CLOSED',
      'R20',
      'a command on an ended dispute',
      w.cmd('ProposeSettlement', rng.pick(parties), {
        disputeId: rng.pick(closed).disputeId,
        refund: 0,
      }),
    );
  const settled = w.settledMilestones();
  if (settled.length > 0) {
    const id = rng.pick(settled).milestoneId;
    const [actor, type] = rng.pick([
      [client, 'ReleaseFunds'],
      [freelancer, 'RefundMilestone'],
      [freelancer, 'SubmitWork'],
      [w.platform(), 'ExpireReview'],
    ] as const);
    add(
      'MILESTONE_SETTLED',
      'R21',
      `${type} on a settled milestone`,
      w.cmd(type, actor, { milestoneId: id }),
    );
  }
}

/** Attacks on opening a dispute on milestone `m` (R16): nothing held, too much, a reused id. */
export function disputeOpeningAttacks(
  { w, rng, add, client, freelancer }: AttackContext,
  m: Milestone,
): void {
  const parties = [client, freelancer];
  const held = w.held(m.milestoneId);
  const id = m.milestoneId;
  if (held === 0) {
    add(
      'NOTHING_HELD',
      'R16',
      'disputing a milestone that holds nothing',
      w.cmd('OpenDispute', rng.pick(parties), {
        disputeId: w.freshDisputeId(),
        milestoneId: id,
        refund: 0,
      }),
    );
    return;
  }
  add(
    'INVALID_SETTLEMENT',
    'R16',
    'a dispute offering more than is held',
    w.cmd('OpenDispute', rng.pick(parties), {
      disputeId: w.freshDisputeId(),
      milestoneId: id,
      refund: held + 1 + rng.int(100),
    }),
  );
  const used = tableKeys(w.state.dispute.disputes);
  if (used.length > 0)
    add(
      'DUPLICATE_ID',
      'R16',
      'a reused dispute id',
      w.cmd('OpenDispute', rng.pick(parties), {
        disputeId: rng.pick(used),
        milestoneId: id,
        refund: 0,
      }),
    );
}

/** Attacks on an open dispute: its milestone's money (R17), its offers (R18), its stage (R19, R20). */
export function openDisputeAttacks(c: AttackContext, d: Dispute): void {
  const { w, rng, add, client, freelancer } = c;
  const { milestoneId } = d;
  const platform = w.platform();
  const [actor, type] = rng.pick([
    [client, 'FundMilestone'],
    [client, 'ReleaseFunds'],
    [freelancer, 'RefundMilestone'],
    [platform, 'ExpireReview'],
    [freelancer, 'OpenDispute'],
  ] as const);
  add(
    'DISPUTE_OPEN',
    'R17',
    `${type} on a disputed milestone`,
    type === 'FundMilestone'
      ? w.fundCommand(rng, milestoneId, w.freshFundingId())
      : type === 'OpenDispute'
        ? w.cmd('OpenDispute', actor, { disputeId: w.freshDisputeId(), milestoneId, refund: 0 })
        : w.cmd(type, actor, { milestoneId }),
  );
  offerAttacks(c, d);
  if (d.escalated) escalatedAttacks(c, d);
  else negotiatedAttacks(c, d);
}

/** Attacks on a dispute's offers and who may withdraw it (R18, R20). */
function offerAttacks({ w, rng, add, client, freelancer }: AttackContext, d: Dispute): void {
  const { disputeId } = d;
  const held = w.held(d.milestoneId);
  const author = w.actorOf(d.offerBy);
  const answerer = w.actorOf(w.other(d.offerBy));
  add(
    'INVALID_SETTLEMENT',
    'R18',
    'an offer of more than is held',
    w.cmd('ProposeSettlement', rng.pick([client, freelancer]), { disputeId, refund: held + 1 }),
  );
  add(
    'FORBIDDEN',
    'R18',
    'accepting its own offer',
    w.cmd('AcceptSettlement', author, { disputeId, refund: d.refund }),
  );
  add(
    'SETTLEMENT_MISMATCH',
    'R18',
    'accepting an offer that changed',
    w.cmd('AcceptSettlement', answerer, {
      disputeId,
      refund: d.refund === 0 ? 1 : d.refund - 1,
    }),
  );
  add(
    'FORBIDDEN',
    'R20',
    'withdrawing a dispute the other party opened',
    w.cmd('WithdrawDispute', w.actorOf(w.other(d.openedBy)), { disputeId }),
  );
}

/** Attacks on an escalated dispute (R19, R20): the platform decides it now. */
function escalatedAttacks({ w, rng, add, client, freelancer }: AttackContext, d: Dispute): void {
  const { disputeId } = d;
  const platform = w.platform();
  add(
    'DISPUTE_ESCALATED',
    'R19',
    'escalating twice',
    w.cmd('EscalateDispute', rng.pick([client, freelancer]), { disputeId }),
  );
  add(
    'DISPUTE_ESCALATED',
    'R20',
    'expiring an offer the platform now decides on',
    w.cmd('ExpireDispute', platform, { disputeId }),
  );
  add(
    'INVALID_SETTLEMENT',
    'R20',
    'a ruling of more than is held',
    w.cmd('ResolveDispute', platform, { disputeId, refund: w.held(d.milestoneId) + 1 }),
  );
}

/** Attacks on a dispute still negotiated (R20): no ruling yet, no expiry by the answerer or early. */
function negotiatedAttacks({ w, add }: AttackContext, d: Dispute): void {
  const { disputeId } = d;
  const platform = w.platform();
  add(
    'DISPUTE_NOT_ESCALATED',
    'R20',
    'a ruling on a dispute still negotiated',
    w.cmd('ResolveDispute', platform, { disputeId, refund: 0 }),
  );
  add(
    'FORBIDDEN',
    'R20',
    'the party who must answer expiring the offer',
    w.cmd('ExpireDispute', w.actorOf(w.other(d.offerBy)), { disputeId }),
  );
  if (instantMs(w.at()) < instantMs(d.respondBy))
    add(
      'TOO_EARLY',
      'R20',
      'expiring an offer before its deadline',
      w.cmd('ExpireDispute', platform, { disputeId }),
    );
}
