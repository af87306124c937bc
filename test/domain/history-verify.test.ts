import { describe, expect, it } from 'vitest';
import {
  createHistoryChecker,
  evolve,
  fold,
  initialState,
  parseEvent,
  summarize,
  verifyHistory,
  type DomainError,
  type JobEvent,
  type RuleId,
} from '../../src/index.js';
import {
  LOGO_MILESTONES,
  AT,
  CLIENT,
  LOGO,
  PAYPAL,
  VISA,
  activeAccess,
  activeLogo,
  awardedLogo,
  caught,
  changed,
  cmd,
  ev,
  play,
} from './helpers.js';
import { accessStory, declinedWithRefunds, logoStory } from './stories.js';

/*
 * verifyHistory over whole histories: what decide produced passes; a history that breaks a rule
 * is rejected, naming the position and the rule (history-checker.test.ts: one event at a time).
 */

/** Checks a history one event at a time with `createHistoryChecker` (parsing each event first, as verifyHistory does). */
function checkIncrementally(events: readonly unknown[]): void {
  const checker = createHistoryChecker();
  for (const raw of events) checker.push(parseEvent(raw));
  checker.finish();
}

/**
 * `verifyHistory` rejects the history as INVALID_HISTORY at `position` (1-based) for `rule`;
 * the incremental checker rejects it identically.
 */
function expectBroken(
  events: readonly unknown[],
  position: number,
  rule: RuleId,
  cause?: string,
): DomainError {
  const error = caught(() => verifyHistory(events));
  expect(error.code).toBe('INVALID_HISTORY');
  expect(error.details).toMatchObject({ position, rule });
  if (cause !== undefined) expect(error.details['cause']).toBe(cause);
  expect(error.message).toContain(rule);
  const incremental = caught(() => checkIncrementally(events));
  expect(incremental.toJSON()).toStrictEqual(error.toJSON());
  return error;
}

describe('verifyHistory accepts what decide produced', () => {
  it("the seed jobs' full histories are valid and fold to the same state", () => {
    for (const story of [
      logoStory(),
      accessStory(),
      activeLogo(),
      activeAccess(),
      declinedWithRefunds(),
    ]) {
      const verified = verifyHistory(story);
      expect(verified).toStrictEqual(fold(story));
      expect(summarize(verified)).toStrictEqual(summarize(fold(story)));
      expect(Object.isFrozen(verified)).toBe(true);
    }
    expect(verifyHistory([])).toStrictEqual(fold([]));
  });

  it('the histories contain every kind of event and refund reason', () => {
    const events = [...logoStory(), ...accessStory(), ...declinedWithRefunds()];
    expect(new Set(events.map((e) => e.type)).size).toBe(11);
    const reasons = new Set(
      events.flatMap((e) => (e.type === 'FundsRefunded' ? [e.data.reason] : [])),
    );
    expect([...reasons].sort()).toEqual([
      'milestone-deleted',
      'milestone-reduced',
      'refunded-by-freelancer',
      'terms-declined',
      'terms-superseded',
      'terms-withdrawn',
    ]);
  });

  it('evolve, one event at a time, reaches the state verifyHistory and fold reach', () => {
    for (const story of [logoStory(), accessStory()]) {
      expect(story.reduce(evolve, initialState())).toStrictEqual(verifyHistory(story));
    }
  });

  it('events read from JSON, with metadata, are accepted', () => {
    const stored = JSON.parse(
      JSON.stringify(logoStory().map((e, i) => ({ ...e, metadata: { streamPosition: i + 1 } }))),
    ) as unknown[];
    expect(summarize(verifyHistory(stored))).toStrictEqual(summarize(fold(logoStory())));
  });
});

describe('verifyHistory rejects a history that breaks a rule, naming the position and the rule', () => {
  it('R10: a release of an unfunded milestone', () => {
    const history = [...activeLogo(), ev.released('m1', 7500)];
    expectBroken(history, 4, 'R10', 'NOT_FULLY_FUNDED');
  });

  it('R10: a release of another amount than the milestone holds', () => {
    const history = [...play(activeLogo(), cmd.fund('m1', 'f1')), ev.released('m1', 5000)];
    expectBroken(history, 5, 'R10');
  });

  it('C4/R8: a missing automatic refund after a decline', () => {
    const valid = declinedWithRefunds(); // ..., declined (5), refund of m1 (6), refund of m2 (7)
    expect(valid.slice(4).map((e) => e.type)).toEqual([
      'TermsDeclined',
      'FundsRefunded',
      'FundsRefunded',
    ]);
    // The second refund is missing and another decision comes instead.
    expectBroken([...valid.slice(0, 6), ev.proposed('client', 'p2', LOGO_MILESTONES)], 7, 'R8');
    // Both refunds are missing.
    expectBroken([...valid.slice(0, 5), ev.proposed('client', 'p2', LOGO_MILESTONES)], 6, 'R8');
  });

  it('C4/R8: a history that ends while a refund is still owed', () => {
    const valid = declinedWithRefunds();
    const error = expectBroken(valid.slice(0, 6), 7, 'R8');
    expect(error.message).toContain('ends before the owed refund');
    expectBroken(valid.slice(0, 5), 6, 'R8');
  });

  it('C3/R8: a refund to the wrong source or of the wrong amount', () => {
    const valid = declinedWithRefunds();
    const head = valid.slice(0, 5);
    const second = valid[6]!;
    expectBroken(
      [...head, ev.refunded('m1', 'f1', 7500, PAYPAL, 'terms-declined'), second],
      6,
      'R8',
    );
    expectBroken([...head, ev.refunded('m1', 'f1', 5000, VISA, 'terms-declined'), second], 6, 'R8');
    expectBroken([...head, ev.refunded('m1', 'f2', 7500, VISA, 'terms-declined'), second], 6, 'R8');
    // The right refunds in the wrong order, or with the wrong reason.
    expectBroken([...head, second, valid[5]!], 6, 'R8');
    expectBroken(
      [...head, ev.refunded('m1', 'f1', 7500, VISA, 'terms-withdrawn'), second],
      6,
      'R8',
    );
  });

  it('C4: an extra refund that no decision owes', () => {
    const valid = declinedWithRefunds();
    expectBroken([...valid, ev.refunded('m2', 'f2', 7500, PAYPAL, 'terms-declined')], 8, 'R8');
    const funded = play(activeLogo(), cmd.fund('m2', 'f1'));
    expectBroken([...funded, ev.refunded('m2', 'f1', 2500, VISA, 'milestone-reduced')], 5, 'R9');
    // A refund before its cause.
    expectBroken([...valid.slice(0, 4), valid[5]!, valid[4]!, valid[6]!], 5, 'R8');
  });

  it('R11: a refund by the freelancer of another amount than is held', () => {
    const funded = play(activeLogo(), cmd.fund('m2', 'f1'));
    expectBroken(
      [...funded, ev.refunded('m2', 'f1', 2500, VISA, 'refunded-by-freelancer')],
      5,
      'R11',
    );
  });

  it('an event before JobAwarded', () => {
    expectBroken(
      [ev.proposed('client', 'p1', LOGO_MILESTONES), ...awardedLogo()],
      1,
      'R3',
      'NOT_AWARDED',
    );
    expectBroken([ev.funded('m1', 'f1', 7500)], 1, 'R3', 'NOT_AWARDED');
    expectBroken([ev.refunded('m1', 'f1', 7500, VISA, 'terms-declined')], 1, 'R8');
    expectBroken([...awardedLogo(), ...awardedLogo()], 2, 'R3', 'ALREADY_AWARDED');
  });

  it('R6: a funding with the wrong amount', () => {
    expectBroken([...activeLogo(), ev.funded('m1', 'f1', 5000)], 4, 'R6', 'AMOUNT_MISMATCH');
    expectBroken([...activeLogo(), ev.funded('m1', 'f1', 10000)], 4, 'R6', 'AMOUNT_MISMATCH');
    expectBroken(
      [...play(activeLogo(), cmd.fund('m1', 'f1')), ev.funded('m1', 'f2', 7500)],
      5,
      'R6',
      'NOTHING_TO_FUND',
    );
  });

  it('R5: a proposal changing a released milestone', () => {
    const released = play(activeLogo(), cmd.fund('m1', 'f1'), cmd.release('m1'));
    expectBroken(
      [
        ...released,
        ev.proposed('freelancer', 'p2', changed(LOGO_MILESTONES, 'm1', { amount: 9000 })),
      ],
      6,
      'R5',
      'MILESTONE_RELEASED',
    );
  });

  it('§1: a proposal whose contract total is not an exact amount', () => {
    const half = Math.ceil(Number.MAX_SAFE_INTEGER / 2);
    const huge = [
      changed(LOGO_MILESTONES, 'm1', { amount: half })[0]!,
      changed(LOGO_MILESTONES, 'm2', { amount: half })[1]!,
    ];
    expectBroken([...awardedLogo(), ev.proposed('client', 'p1', huge)], 2, 'R1', 'INVALID_INPUT');
  });

  it('R2, R6: an event by the wrong party', () => {
    const proposed = play(awardedLogo(), cmd.propose('client', 'p1', LOGO_MILESTONES));
    expectBroken([...proposed, ev.accepted('client', 'p1')], 3, 'R2', 'FORBIDDEN');
  });

  it('R13: events after JobClosed', () => {
    const closed = play(awardedLogo(), cmd.close());
    expectBroken([...closed, ev.proposed('client', 'p1', LOGO_MILESTONES)], 3, 'R13', 'JOB_CLOSED');
    const story = logoStory();
    const closedAt = (story[story.length - 1] as JobEvent).data.at;
    expectBroken(
      [...story, ev.submitted('m5', undefined, closedAt)],
      story.length + 1,
      'R13',
      'JOB_CLOSED',
    );
    // Dated at the close (spec §7: an earlier instant would be INVALID_INPUT first).
    expectBroken([...closed, ...play([], cmd.award(LOGO, CLIENT, AT))], 3, 'R13', 'JOB_CLOSED');
  });

  it('a malformed event is INVALID_INPUT naming its position', () => {
    const stored = JSON.parse(JSON.stringify(logoStory())) as { data: Record<string, unknown> }[];
    stored[2]!.data['amount'] = '7500';
    const error = caught(() => verifyHistory(stored));
    expect(error.code).toBe('INVALID_INPUT');
    expect(error.details).toMatchObject({ position: 3, path: 'data.amount' });
    expect(error.message).toContain('event 3');
    const notAnEvent = caught(() => verifyHistory([...activeLogo(), 'FundsReleased']));
    expect(notAnEvent.code).toBe('INVALID_INPUT');
    expect(notAnEvent.details['position']).toBe(4);
  });
});
