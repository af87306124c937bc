/*
 * R14's review clocks, folded the fast way (an event moves only the clocks it can: review/evolve.ts),
 * against R14 read naively: after every event, every milestone that has a review moves its clock
 * to what `clockMotion` says of the state. Both must agree after every event of every generated
 * script (part two's policies, disputes, expiries, raises and attacks included), whether the
 * events are folded one by one onto a loaded state or all at once from the start.
 */
import fc from 'fast-check';
import { test } from '@fast-check/vitest';
import { describe, expect, it } from 'vitest';
import { clockMotion } from '../../src/domain/review/clock.js';
import type { ReviewClock } from '../../src/domain/review/state.js';
import { tableEntries, tableGet } from '../../src/domain/shared/table.js';
import { instantMs } from '../../src/domain/shared/time.js';
import { fold, type JobEvent, type JobState } from '../../src/index.js';
import { numRuns, play, scripts } from './prop-support.js';

const runs = numRuns(60);

/** R14 read naively: every milestone with a review moves, after every event. */
function naiveTick(clocks: Map<string, ReviewClock | null>, state: JobState, at: string): void {
  for (const [milestoneId] of tableEntries(state.job.reviews)) {
    const clock = clocks.get(milestoneId) ?? null;
    const motion = clockMotion(state, milestoneId);
    let next = clock;
    if (motion === 'reset') next = null;
    else if (motion === 'paused') {
      if (clock !== null && clock.since !== null)
        next = {
          ran: clock.ran + Math.max(0, instantMs(at) - instantMs(clock.since)),
          since: null,
        };
    } else if (clock === null || clock.since === null) next = { ran: clock?.ran ?? 0, since: at };
    clocks.set(milestoneId, next);
  }
}

/** Every milestone's clock in a state (`null` for none), for the ids the naive clocks know. */
function clocksOf(state: JobState, ids: Iterable<string>): Record<string, ReviewClock | null> {
  const out: Record<string, ReviewClock | null> = {};
  for (const id of ids) {
    const clock = tableGet(state.review.clocks, id) ?? null;
    out[id] = clock === null ? null : { ran: clock.ran, since: clock.since };
  }
  return out;
}

function naiveOf(clocks: Map<string, ReviewClock | null>): Record<string, ReviewClock | null> {
  return Object.fromEntries(clocks);
}

describe('R14 review clocks over generated scripts', () => {
  test.prop([scripts], { numRuns: runs })(
    'R14: after every event, every clock is what moving every milestone with a review to its clockMotion gives',
    (script) => {
      const naive = new Map<string, ReviewClock | null>();
      const history: JobEvent[] = [];
      play(script, (step) => {
        if (!step.accepted) return;
        let state = step.before;
        for (const event of step.events) {
          state = fold([event], state);
          history.push(event);
          naiveTick(naive, state, event.data.at);
          expect(clocksOf(state, naive.keys()), `after ${event.type}`).toEqual(naiveOf(naive));
          // A clock the fold keeps for a milestone the naive reading never moved would be extra.
          for (const [id, clock] of tableEntries(state.review.clocks))
            if (clock !== null) expect(naive.has(id), `clock of ${id}`).toBe(true);
        }
      });
      // Folded at once from the start, the same clocks.
      expect(clocksOf(fold(history), naive.keys())).toEqual(naiveOf(naive));
    },
  );

  it('the generated scripts start, pause and reset clocks (the property above is not vacuous)', () => {
    const seen = { running: 0, paused: 0, reset: 0 };
    for (const sample of fc.sample(scripts, { seed: 20141103, numRuns: 60 })) {
      const naive = new Map<string, ReviewClock | null>();
      play(sample, (step) => {
        if (!step.accepted) return;
        let state = step.before;
        for (const event of step.events) {
          state = fold([event], state);
          naiveTick(naive, state, event.data.at);
          for (const clock of naive.values()) {
            if (clock === null) seen.reset += 1;
            else if (clock.since === null) seen.paused += 1;
            else seen.running += 1;
          }
        }
      });
    }
    expect(seen.running).toBeGreaterThan(0);
    expect(seen.paused).toBeGreaterThan(0);
    expect(seen.reset).toBeGreaterThan(0);
  });
});
