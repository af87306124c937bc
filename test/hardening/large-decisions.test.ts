import { describe, expect, it } from 'vitest';
import { escrowOf } from '../../src/domain/escrow/state.js';
import { fold, type JobCommandInput, type JobEvent, type JobState } from '../../src/index.js';
import { timeline } from '../../src/projections/index.js';
import { decideAll, EscrowAssertionError, given } from '../../src/testing/index.js';
import { ScriptWriter } from '../../src/testing/script/writer.js';
import { funded, milestoneOf, OPENED_AT, opened, refunded } from '../domain/opening.js';

/*
 * A decision of 150,001 events: declining a proposal whose milestone was prefunded 150,000 times
 * refunds every prefund (R8). Each entry point that collects a decision's events appended them
 * with `push(...events)`, one argument each: a RangeError (the stack) past about 120,000.
 */

const N = 150_000;

// The history is written as events (see test/domain/opening.ts): awarded, a proposal pending, its
// milestone prefunded n times.
function prefunded(n = N): JobEvent[] {
  const events = opened([milestoneOf('m1', n)], { accepted: false });
  for (let i = 0; i < n; i++) events.push(funded(`f${String(i)}`));
  return events;
}

const decline: JobCommandInput = {
  type: 'DeclineTerms',
  actor: 'f',
  at: OPENED_AT,
  data: { proposalId: 'p1' },
};

// What the decline decides: the decline, then every prefund back, newest first.
function declined(n = N): JobEvent[] {
  const events: JobEvent[] = [
    { type: 'TermsDeclined', data: { proposalId: 'p1', by: 'freelancer', at: OPENED_AT } },
  ];
  for (let i = n - 1; i >= 0; i--) events.push(refunded(`f${String(i)}`));
  return events;
}

function expectAllRefunded(state: JobState): void {
  const m = escrowOf(state.escrow, 'm1');
  expect([m.funded, m.held, m.refunded]).toEqual([N, 0, N]);
}

describe('a decision of 150,001 events (push(...events) was a RangeError)', () => {
  it('decideAll collects it', () => {
    const { events, state } = decideAll([decline], fold(prefunded()));
    expect(events).toHaveLength(N + 1);
    expectAllRefunded(state);
  }, 20_000);

  it('given(…).when(…).then(…) compares it and folds it', () => {
    const state = given(prefunded(), { verify: false }).when(decline).then(declined());
    expectAllRefunded(state);
  }, 20_000);

  it('given(…).then(…) with one of 20,000 refunds missing fails with a short diff, not a RangeError (its table was lines² cells)', () => {
    const expected = declined(20_000);
    expected.pop();
    let thrown: unknown;
    try {
      given(prefunded(20_000), { verify: false }).when(decline).then(expected);
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(EscrowAssertionError);
    const message = (thrown as EscrowAssertionError).message;
    expect(message).toContain('the decided events differ');
    expect(message).toContain('+       "fundingId": "f0",');
    expect(message.length).toBeLessThan(10_000);
  }, 20_000);

  it('thenThrows on a decision of 20,001 events prints at most 400 lines of it (it printed all 240,000)', () => {
    let thrown: unknown;
    try {
      given(prefunded(20_000), { verify: false }).when(decline).thenThrows('FORBIDDEN');
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(EscrowAssertionError);
    const lines = (thrown as EscrowAssertionError).message.split('\n');
    expect(lines.length).toBeLessThanOrEqual(402);
    expect(lines.at(-1)).toMatch(/^ {2}… \(\d+ more lines\)$/);
  }, 20_000);

  it('the script writer applies it', () => {
    const writer = new ScriptWriter();
    writer.state = fold(prefunded());
    const outcome = writer.apply(decline);
    expect('events' in outcome && outcome.events).toHaveLength(N + 1);
    expect(writer.events).toHaveLength(N + 1);
    expectAllRefunded(writer.state);
  }, 20_000);

  it('the timeline tells it, one line an event', () => {
    const lines = timeline([...prefunded(), ...declined()]);
    expect(lines).toHaveLength(2 + N + N + 1);
    expect(lines.at(-1)).toContain('refunded "Logo" $0.01 to card:x (terms-declined)');
  }, 20_000);
});
