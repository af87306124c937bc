import { describe, expect, it } from 'vitest';
import { decide, fold, isDomainError, type JobEvent, type JobState } from '../../src/index.js';
import { checkSnapshotConservation, trustOwnState } from '../../src/store/snapshot-check.js';
import { at, award, CLIENT, propose } from '../app/histories.js';

/*
 * Issue 15 (the cold command): a loaded snapshot's conservation check (D5) walks every funding;
 * a state the library froze is checked once, or not at all when the handler made it itself.
 */

/** A job of more than 64 events (so its folded state is one the library marks as its own). */
function longHistory(): JobEvent[] {
  const events: JobEvent[] = [];
  let state = fold([]);
  const play = (command: Parameters<typeof decide>[0]): void => {
    const decided = decide(command, state);
    events.push(...decided);
    state = fold(decided, state);
  };
  play(award());
  for (let i = 0; i < 40; i++) {
    play(propose(`p${String(i)}`, [['m1', 7500]], CLIENT, 1 + 2 * i));
    play({
      type: 'WithdrawTerms',
      actor: CLIENT,
      at: at(2 + 2 * i),
      data: { proposalId: `p${String(i)}` },
    });
  }
  return events;
}

/** The same job with a refund out of nothing folded in: a state that breaks C1 and C3. */
function broken(): JobState {
  const events = longHistory();
  const refund: JobEvent = {
    type: 'FundsRefunded',
    data: {
      milestoneId: 'm1',
      fundingId: 'f1',
      amount: 500,
      source: 'card',
      reason: 'refunded-by-freelancer',
      at: at(200),
    },
  };
  return fold([...events, refund]);
}

function rejection(state: JobState): string | undefined {
  try {
    checkSnapshotConservation(state);
    return undefined;
  } catch (error) {
    return isDomainError(error) ? error.code : String(error);
  }
}

describe('a snapshot state is checked for conservation once (issue 15, D5 kept)', () => {
  it('D5: a frozen library state that breaks conservation is rejected at every load, never remembered', () => {
    const state = broken();
    expect(rejection(state)).toBe('INVALID_INPUT');
    expect(rejection(state)).toBe('INVALID_INPUT');
  });

  it('a state that keeps it passes, and passes again', () => {
    const state = fold(longHistory());
    expect(rejection(state)).toBeUndefined();
    expect(rejection(state)).toBeUndefined();
  });

  it("the handler's own state (trustOwnState before it saves it) is not walked at load: what its cache would decide on", () => {
    // A state nobody could load from a store that checks: trusting it is what skips the walk.
    const state = broken();
    trustOwnState(state);
    expect(rejection(state)).toBeUndefined();
    // Its plain data (what a database hands back) is another object: checked in full.
    expect(rejection(JSON.parse(JSON.stringify(state)) as JobState)).toBe('INVALID_INPUT');
  });
});
