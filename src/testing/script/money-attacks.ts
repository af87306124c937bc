import { tableGet, tableKeys } from '../../domain/shared/table.js';
import type { AttackContext } from './attacks.js';

/*
 * The attacks on money and work: the wrong party, funding, release, refund, review and closing
 * (R5–R7, R10–R13). attacks.ts runs them after the attacks on the award and the terms.
 */

/** Attacks on the wrong party (R6, R10–R13). */
export function roleAttacks({ w, rng, add, client, freelancer }: AttackContext): string {
  const anyId = rng.pick(w.knownIds());
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
      ? { ...w.fundCommand(rng, anyId, w.freshFundingId()), actor: wrongActor }
      : wrongType === 'CloseJob'
        ? w.cmd('CloseJob', wrongActor, {})
        : w.cmd(wrongType, wrongActor, { milestoneId: anyId });
  add('FORBIDDEN', wrongRule, `${wrongType} by the wrong party`, roleCommand);
  return anyId;
}

/** Attacks on escrow: funding ids, what may be funded, released milestones (R5–R7). */
export function fundingAttacks(
  { w, rng, add, client, freelancer }: AttackContext,
  anyId: string,
): void {
  const usedFundings = tableKeys(w.state.escrow.fundingIds);
  if (usedFundings.length > 0)
    add(
      'DUPLICATE_ID',
      'R5',
      'a reused funding id',
      w.fundCommand(rng, anyId, rng.pick(usedFundings)),
    );
  const fundableIds = new Set(w.fundable().map((m) => m.milestoneId));
  const activeIds = new Set(w.activeMilestones().map((m) => m.milestoneId));
  const notFundable = w.knownIds().filter((id) => !fundableIds.has(id) && !activeIds.has(id));
  if (notFundable.length > 0)
    add(
      'UNKNOWN_MILESTONE',
      'R7',
      'funding a milestone of no terms',
      w.fundCommand(rng, rng.pick(notFundable), w.freshFundingId()),
    );
  const notActive = w.knownIds().filter((id) => !activeIds.has(id));
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
      w.cmd(type, actor, { milestoneId: id }),
    );
  }
  const released = w.releasedMilestones();
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
        ? w.fundCommand(rng, id, w.freshFundingId())
        : w.cmd(type, actor, { milestoneId: id }),
    );
  }
}

/**
 * Attacks on escrow and work: full and short fundings, release, refund, review (R7, R10–R12);
 * release and refund outside disputes (R17).
 */
export function paymentAttacks({ w, rng, add, client, freelancer }: AttackContext): void {
  const full = w.fundable().filter((m) => w.held(m.milestoneId) >= w.fundedAmount(m));
  if (full.length > 0)
    add(
      'NOTHING_TO_FUND',
      'R6',
      'funding a fully funded milestone',
      w.fundCommand(rng, rng.pick(full).milestoneId, w.freshFundingId()),
    );
  const short = w.fundable().filter((m) => w.held(m.milestoneId) < w.fundedAmount(m));
  if (short.length > 0) {
    const m = rng.pick(short);
    const remainder = w.fundedAmount(m) - w.held(m.milestoneId);
    const wrong =
      remainder > 1 && rng.chance(0.5) ? 1 + rng.int(remainder - 1) : remainder + 1 + rng.int(1000);
    add(
      'AMOUNT_MISMATCH',
      'R6',
      'a funding whose amount guard is not the remainder',
      w.fundCommand(rng, m.milestoneId, w.freshFundingId(), wrong),
    );
  }
  const underfunded = w.movable().filter((m) => w.held(m.milestoneId) < m.amount);
  const partly = underfunded.filter((m) => w.held(m.milestoneId) > 0);
  if (underfunded.length > 0) {
    const m = rng.pick(partly.length > 0 && rng.chance(0.7) ? partly : underfunded);
    add(
      'NOT_FULLY_FUNDED',
      'R10',
      'releasing a milestone not wholly funded',
      w.cmd('ReleaseFunds', client, { milestoneId: m.milestoneId }),
    );
  }
  const empty = w.movable().filter((m) => w.held(m.milestoneId) === 0);
  if (empty.length > 0)
    add(
      'NOTHING_TO_REFUND',
      'R11',
      'refunding a milestone that holds nothing',
      w.cmd('RefundMilestone', freelancer, {
        milestoneId: rng.pick(empty).milestoneId,
      }),
    );
  const unsubmitted = w
    .unreleasedActive()
    .filter((m) => tableGet(w.state.job.reviews, m.milestoneId) !== 'submitted');
  if (unsubmitted.length > 0)
    add(
      'NOTHING_SUBMITTED',
      'R12',
      'requesting changes to work never submitted',
      w.cmd('RequestChanges', client, {
        milestoneId: rng.pick(unsubmitted).milestoneId,
      }),
    );
}

/** Attacks on closing (R13). */
export function closingAttacks({ w, add, client, pending }: AttackContext): void {
  if (w.state.escrow.totals.held > 0)
    add('FUNDS_HELD', 'R13', 'closing while escrow holds money', w.cmd('CloseJob', client, {}));
  else if (pending !== null)
    add(
      'PROPOSAL_PENDING',
      'R13',
      'closing while a proposal is pending',
      w.cmd('CloseJob', client, {}),
    );
}
