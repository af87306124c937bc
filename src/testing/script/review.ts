import { instantMs } from '../../domain/shared/time.js';
import { clockMotion, dueAtOf } from '../../domain/review/clock.js';
import type { Milestone } from '../../domain/shared/schema.js';
import { COMMAND_TYPES } from './cast.js';
import type { AttackContext } from './attacks.js';
import type { Move } from './moves.js';
import type { Rng } from './rng.js';
import type { ScriptWriter } from './writer.js';

/*
 * The review clock (R14, R15) and the script's time (spec §7): the platform's timer expiring a
 * review that ran out, and the attacks on the clock: commands dated back, a party's command from
 * the platform, a review expired early, by the client, or while it does not run.
 */

/** Expiring a review whose clock runs, once the script's clock has reached its end (R15). */
export function reviewMoves(w: ScriptWriter, rng: Rng): Move[] {
  const running = w.movable().filter((m) => clockMotion(w.state, m.milestoneId) === 'runs');
  if (running.length === 0) return [];
  return [
    [
      1,
      () => {
        const m = rng.pick(running);
        w.waitUntil(rng, dueAtOf(w.state, m.milestoneId) ?? w.at());
        const by = rng.chance(0.6) ? w.platform() : w.cast.freelancerId;
        return w.cmd('ExpireReview', by, { milestoneId: m.milestoneId });
      },
    ],
  ];
}

/**
 * Attacks on time and on who may act (spec §7, R15): a command dated before the last event, a
 * party's command issued by the platform, the client expiring its own review. `anyId` is the
 * milestone id part two's attacks aim at where any will do.
 */
export function clockAttacks({ w, rng, add, client }: AttackContext, anyId: string): void {
  const last = w.state.job.lastAt;
  if (last !== null && instantMs(last) > instantMs(w.cast.start))
    add('INVALID_INPUT', 'spec §7', 'a command dated before the last event', {
      ...w.randomCommand(
        rng,
        COMMAND_TYPES.filter((t) => t !== 'AwardJob'),
      ),
      at: w.cast.start,
    });
  add(
    'FORBIDDEN',
    'spec §7',
    "a party's command issued by the platform",
    w.cmd(rng.pick(['SubmitWork', 'ReleaseFunds'] as const), w.platform(), { milestoneId: anyId }),
  );
  add(
    'FORBIDDEN',
    'R15',
    'the client expiring its own review',
    w.cmd('ExpireReview', client, { milestoneId: anyId }),
  );
}

/** Attacks on one milestone's review clock (R15): expired while it does not run, or too early. */
export function reviewAttacks({ w, rng, add, freelancer }: AttackContext, m: Milestone): void {
  const id = m.milestoneId;
  const platform = w.platform();
  if (clockMotion(w.state, id) !== 'runs') {
    add(
      'REVIEW_NOT_RUNNING',
      'R15',
      'expiring a review that does not run',
      w.cmd('ExpireReview', rng.pick([platform, freelancer]), { milestoneId: id }),
    );
    return;
  }
  const due = dueAtOf(w.state, id);
  if (due !== undefined && instantMs(w.at()) < instantMs(due))
    add(
      'TOO_EARLY',
      'R15',
      'expiring a review before it ends',
      w.cmd('ExpireReview', platform, { milestoneId: id }),
    );
}
