import { describe, expect, it } from 'vitest';
import {
  createHistoryChecker,
  fold,
  summarize,
  verifyHistory,
  type JobEvent,
} from '../../src/index.js';
import { AT, PAYPAL, VISA, activeLogo, awardedLogo, caught, cmd, ev, play } from './helpers.js';
import { accessStory, declinedWithRefunds, logoStory } from './stories.js';
import { createTrustedChecker } from '../../src/domain/history.js';

/* createHistoryChecker (and the library's trusted checker) fed one event at a time. */

/** 40 milestones, work submitted on each, then each funded (tables past 32 ids, past 64 events). */
function fortyMilestones(): JobEvent[] {
  const milestones = Array.from({ length: 40 }, (_, i) => ({
    milestoneId: `m${String(i + 1)}`,
    title: `Part ${String(i + 1)}`,
    description: '',
    dueDate: '2014-12-01',
    amount: 1000,
  }));
  return play(
    awardedLogo(),
    cmd.propose('client', 'p1', milestones),
    cmd.accept('freelancer', 'p1'),
    ...milestones.map((m) => cmd.submit(m.milestoneId)),
    ...milestones.map((m, i) => cmd.fund(m.milestoneId, `f${String(i)}`, i % 2 ? VISA : PAYPAL)),
  );
}

describe('createHistoryChecker, used incrementally', () => {
  it('gives the same state as verifyHistory, one event at a time', () => {
    const story = logoStory();
    const checker = createHistoryChecker();
    story.forEach((event, i) => {
      checker.push(event);
      expect(checker.position).toBe(i + 1);
      expect(checker.current.version).toBe(i + 1);
    });
    expect(checker.finish()).toStrictEqual(verifyHistory(story));
    // Finishing again hands out the same state.
    expect(checker.finish()).toStrictEqual(verifyHistory(story));
  });

  it('continues from a state already checked', () => {
    const story = accessStory();
    const cut = 5;
    const checked = verifyHistory(story.slice(0, cut));
    const checker = createHistoryChecker(checked);
    expect(checker.position).toBe(cut);
    for (const event of story.slice(cut)) checker.push(event);
    expect(checker.finish()).toStrictEqual(verifyHistory(story));
    // The checked state is not changed by the checker that continued from it.
    expect(checked).toStrictEqual(verifyHistory(story.slice(0, cut)));
  });

  it('rejects at the same event and position as verifyHistory', () => {
    const checker = createHistoryChecker();
    for (const event of activeLogo()) checker.push(event);
    const error = caught(() => checker.push(ev.released('m1', 7500)));
    expect(error.code).toBe('INVALID_HISTORY');
    expect(error.details).toMatchObject({ position: 4, rule: 'R10', cause: 'NOT_FULLY_FUNDED' });
  });

  it('an event of no known type fails as an exhaustive switch does, never reading a missing kind', () => {
    // The checker looks each type up once (history/kinds.ts): a type that is no event's (an
    // untyped caller's, or one named like an Object method) has no kind to read.
    // The library's own checker (its events validated already) fails as the switch did.
    for (const type of ['Nope', 'toString', 'constructor']) {
      const checker = createTrustedChecker();
      for (const event of activeLogo()) checker.push(event);
      const bogus = { type, data: { at: AT } } as unknown as JobEvent;
      expect(() => {
        checker.push(bogus);
      }).toThrow(/^Unhandled event: /);
    }
  });

  it("createHistoryChecker's push validates each event: a malformed one is INVALID_INPUT at its position, never a TypeError (null, data null and an unknown type were; a title of 5 was taken)", () => {
    const good = activeLogo();
    const award = good[0] as JobEvent;
    const malformed: unknown[] = [
      null,
      5,
      { type: 'JobAwarded', data: null },
      { type: 'Nope', data: { at: AT } },
      { type: 'toString', data: { at: AT } },
      { ...award, data: { ...award.data, title: 5 } },
    ];
    for (const bogus of malformed) {
      const checker = createHistoryChecker();
      const error = caught(() => {
        checker.push(bogus as JobEvent);
      });
      expect(error.code).toBe('INVALID_INPUT');
      expect(error.details['position']).toBe(1);
      expect(error.message.startsWith('event 1: ')).toBe(true);
      expect(checker.position).toBe(0);
    }
    const checker = createHistoryChecker();
    for (const event of good) checker.push(event);
    expect(checker.finish()).toEqual(verifyHistory(good));
  });

  it('finish rejects a history that stops while a refund is owed', () => {
    const checker = createHistoryChecker();
    for (const event of declinedWithRefunds().slice(0, 6)) checker.push(event);
    const error = caught(() => checker.finish());
    expect(error.code).toBe('INVALID_HISTORY');
    expect(error.details).toMatchObject({ position: 7, rule: 'R8' });
  });

  it('finishUnfrozen checks what finish checks, and hands out the same state unfrozen', () => {
    const short = createTrustedChecker();
    for (const event of declinedWithRefunds().slice(0, 6)) short.push(event);
    const owed = caught(() => short.finishUnfrozen());
    expect(owed.toJSON()).toStrictEqual(caught(() => short.finish()).toJSON());
    // Tables past 32 ids, which a working copy keeps as Maps.
    const big = fortyMilestones();
    for (const story of [logoStory(), accessStory(), declinedWithRefunds(), big]) {
      const checker = createTrustedChecker();
      for (const event of story) checker.push(event);
      const state = checker.finishUnfrozen();
      // Not frozen: the CLI's summary reads it as it is, without building its tables' tries.
      expect(Object.isFrozen(state)).toBe(false);
      expect(summarize(state)).toStrictEqual(summarize(verifyHistory(story)));
      expect(checker.finish()).toStrictEqual(verifyHistory(story));
    }
  });

  it('current is cheap to read after every push: it shares what the push did not change', () => {
    // Past the 64 events from which states are shared.
    const story = fortyMilestones();
    const checker = createHistoryChecker();
    const seen: { state: ReturnType<typeof fold>; json: string }[] = [];
    story.forEach((event, i) => {
      checker.push(event);
      const state = checker.current;
      expect(state).toStrictEqual(fold(story.slice(0, i + 1)));
      const previous = seen[seen.length - 1]?.state;
      // A funding changes one milestone's money: the active terms are the last read's, not a copy.
      if (i >= 64 && event.type === 'MilestoneFunded' && previous !== undefined)
        expect(state.terms.active).toBe(previous.terms.active);
      seen.push({ state, json: JSON.stringify(state) });
    });
    // Later pushes never changed a state handed out earlier.
    for (const { state, json } of seen) expect(JSON.stringify(state)).toBe(json);
    expect(checker.finish()).toStrictEqual(fold(story));
  });
});
