import fc from 'fast-check';
import { test } from '@fast-check/vitest';
import { describe, expect, it } from 'vitest';
import { decide, deadlines, isDomainError, type JobState } from '../../src/index.js';
import { platformIdOf } from '../../src/domain/job/policy.js';
import { compareInstants } from '../../src/domain/shared/time.js';
import { numRuns, play, scripts } from './prop-support.js';

/*
 * spec §11: `deadlines(state)` is what a timer runner acts on. Each entry's command, issued by
 * the platform once it is due (at its `dueAt`, or at the job's last event if that is later:
 * time never runs backwards), must be accepted: a deadline the decider refuses would have the
 * runner retry it for ever. Checked after every step of generated scripts (part two's policies,
 * disputes, expiries and attacks included).
 */

const runs = numRuns(60);

/** The code `decide` answers with for each running deadline's command, `'accepted'` when it takes it. */
function answers(state: JobState): string[] {
  const award = state.job.award;
  if (award === null) return [];
  const last = state.job.lastAt;
  return deadlines(state).map((deadline) => {
    const at = last !== null && compareInstants(last, deadline.dueAt) > 0 ? last : deadline.dueAt;
    try {
      decide({ ...deadline.command, actor: platformIdOf(award), at }, state);
      return 'accepted';
    } catch (error) {
      if (!isDomainError(error)) throw error;
      return `${deadline.kind} ${deadline.command.type}: ${error.code} (${error.message})`;
    }
  });
}

describe('deadlines over generated scripts (spec §11)', () => {
  test.prop([scripts], { numRuns: runs })(
    "§11: every running deadline's command, issued by the platform once due, is accepted",
    (script) => {
      play(script, (step) => {
        expect(answers(step.after).filter((answer) => answer !== 'accepted')).toEqual([]);
      });
    },
  );

  it('the generated scripts run both kinds of deadline (the property above is not vacuous)', () => {
    const kinds = new Map<string, number>();
    for (const script of fc.sample(scripts, { numRuns: runs, seed: 20141103 }))
      play(script, (step) => {
        for (const { kind } of deadlines(step.after)) kinds.set(kind, (kinds.get(kind) ?? 0) + 1);
      });
    expect(kinds.get('review') ?? 0).toBeGreaterThan(20);
    expect(kinds.get('dispute') ?? 0).toBeGreaterThan(20);
  });
});
