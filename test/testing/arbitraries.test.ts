import { describe, expect, it } from 'vitest';
import { fc, test } from '@fast-check/vitest';
import {
  decide,
  initialState,
  isDomainError,
  parseCommand,
  verifyHistory,
  type JobCommandInput,
} from '../../src/index.js';
import { assertHistory, decideAll, escrowArbitraries } from '../../src/testing/index.js';
import { numRuns } from '../domain/prop-support.js';

const arb = escrowArbitraries(fc, { clientId: 'client-x', freelancerId: 'freelancer-y' });
const runs = numRuns(40);

describe('escrowArbitraries', () => {
  test.prop([arb.terms()], { numRuns: runs })(
    'terms are valid: ProposeTerms takes them as they are',
    (milestones) => {
      const award = decideAll([
        {
          type: 'AwardJob',
          actor: 'c',
          at: '2014-11-03T09:00:00Z',
          data: { jobId: 'j', title: 'T', clientId: 'c', freelancerId: 'f', currency: 'USD' },
        },
      ]);
      const events = decide(
        {
          type: 'ProposeTerms',
          actor: 'c',
          at: '2014-11-03T09:01:00Z',
          data: { proposalId: 'p', milestones },
        },
        award.state,
      );
      expect(events).toEqual([
        {
          type: 'TermsProposed',
          data: { proposalId: 'p', by: 'client', milestones, at: '2014-11-03T09:01:00Z' },
        },
      ]);
    },
  );

  test.prop([arb.commands({ maxSteps: 30 })], { numRuns: runs })(
    'commands start with the award and are each accepted in turn',
    (commands) => {
      if (commands.length > 0)
        expect(commands[0]).toMatchObject({ type: 'AwardJob', actor: 'client-x' });
      for (const command of commands)
        expect(parseCommand(command)).toMatchObject({ type: command.type, actor: command.actor });
      decideAll(commands);
    },
  );

  test.prop([arb.history({ maxSteps: 30 })], { numRuns: runs })(
    'histories are legal, frozen, and the state is theirs',
    ({ commands, events, state }) => {
      expect(assertHistory(events)).toEqual(state);
      expect(decideAll(commands).events).toEqual(events);
      expect(Object.isFrozen(events)).toBe(true);
    },
  );

  test.prop([arb.invalidCommand({ maxSteps: 30 })], { numRuns: runs })(
    'an invalid command is rejected with the code it aims at',
    (c) => {
      expect(() => decide(c.command as JobCommandInput, c.state)).toThrow(
        expect.objectContaining({ code: c.code }) as Error,
      );
    },
  );

  test.prop(
    [arb.invalidCommand({ codes: ['NOT_FULLY_FUNDED', 'MILESTONE_RELEASED'], maxSteps: 30 })],
    { numRuns: runs },
  )(
    'codes limits what the invalid commands aim at (the history walks on until one applies)',
    (c) => {
      expect(['NOT_FULLY_FUNDED', 'MILESTONE_RELEASED', 'INVALID_INPUT']).toContain(c.code);
      expect(() => decide(c.command as JobCommandInput, c.state)).toThrow(
        expect.objectContaining({ code: c.code }) as Error,
      );
      expect(decideAll(c.commands).state).toEqual(c.state);
    },
  );

  it('a cast the wire refuses is INVALID_INPUT naming the field, never a RangeError or a history of rejected commands', () => {
    const cases: [Record<string, unknown>, string][] = [
      [{ start: 'yesterday' }, 'cast.start'], // a RangeError (Invalid time value) when sampled
      [{ start: '2014-11-03T09:00:00' }, 'cast.start'], // read in the machine's time zone
      [{ start: 42 }, 'cast.start'], // read as the year 2042
      [{ clientId: '' }, 'cast.clientId'], // every command rejected, and listed as accepted
      [{ currency: 'usd' }, 'cast.currency'], // the award rejected, and listed as accepted
      [{ sources: [] }, 'cast.sources'], // an Error: pick from an empty list
      [{ sources: ['card:x', ''] }, 'cast.sources.1'],
      [{ clientId: 'x', strangerId: 'x' }, 'cast.strangerId'],
      [{ freelancerId: 'platform' }, 'cast.freelancerId'],
      [{ title: '' }, 'cast.title'],
    ];
    for (const [cast, path] of cases)
      expect(() => escrowArbitraries(fc, cast), path).toThrow(
        expect.objectContaining({
          code: 'INVALID_INPUT',
          details: expect.objectContaining({ path }) as unknown,
        }) as Error,
      );
  });

  it("each arbitrary's options are checked: INVALID_INPUT naming the option, never fast-check's Error or a TypeError", () => {
    // Each was fast-check's own Error when made (or sampled), a TypeError for null, or silently
    // nothing (NaN as a share, an error code that does not exist).
    const cases: [() => unknown, string][] = [
      [() => arb.history({ maxSteps: -1 }), 'maxSteps'],
      [() => arb.history({ maxSteps: '5' as never }), 'maxSteps'],
      [() => arb.commands({ minSteps: 1.5 }), 'minSteps'],
      [() => arb.history({ minSteps: 5, maxSteps: 2 }), 'minSteps'],
      [() => arb.history({ minSteps: 61 }), 'minSteps'],
      [() => arb.history(null as never), ''],
      [() => arb.terms({ minLength: 10, maxLength: 2 }), 'minLength'],
      [() => arb.terms({ maxLength: 0 }), 'maxLength'],
      [() => arb.terms({ maxLength: 2 ** 40 }), 'maxLength'],
      [() => arb.script({ invalid: NaN }), 'invalid'],
      [() => arb.script({ random: 2 }), 'random'],
      [() => arb.invalidCommand({ codes: ['NOPE' as never] }), 'codes'],
      [() => arb.invalidCommand({ codes: 'JOB_CLOSED' as never }), 'codes'],
    ];
    for (const [make, path] of cases)
      expect(() => fc.sample(make() as fc.Arbitrary<unknown>, 1), path).toThrow(
        expect.objectContaining({
          code: 'INVALID_INPUT',
          details: expect.objectContaining({ path }) as unknown,
        }) as Error,
      );
    // What is allowed still works: lengths at their bounds, shares of 0 and 1, null as left out.
    expect(fc.sample(arb.terms({ minLength: 0, maxLength: 1 }), 3).map((t) => t.length)).toEqual([
      1, 1, 1,
    ]);
    expect(fc.sample(arb.history({ minSteps: 0, maxSteps: 0 }), 1)[0]?.commands).toEqual([]);
    expect(fc.sample(arb.script({ maxSteps: 3, invalid: 0, random: 1 }), 1)).toHaveLength(1);
    expect(fc.sample(arb.history({ maxSteps: null as never }), 1)).toHaveLength(1);
  });

  test.prop([arb.script({ maxSteps: 30, invalid: 0.5, random: 0.5 })], { numRuns: runs })(
    'a script’s steps: valid ones accepted, attacks rejected as aimed',
    ({ steps, cast }) => {
      let state = initialState();
      for (const { command, intent } of steps) {
        try {
          const events = decide(command as JobCommandInput, state);
          expect(intent.kind).not.toBe('invalid');
          state = decideAll([command as JobCommandInput], state).state;
          expect(state.version).toBeGreaterThanOrEqual(events.length);
        } catch (error) {
          if (!isDomainError(error)) throw error;
          expect(intent.kind).not.toBe('valid');
          if (intent.kind === 'invalid') expect(error.code).toBe(intent.code);
        }
      }
      expect(cast.clientId).toBe('client-x');
    },
  );

  it("R20: some generated histories end a dispute by its expiry (ExpireDispute at or after respondBy, by the platform or the offer's author), and they pass verifyHistory", () => {
    const histories = fc.sample(arb.history(), { numRuns: 200, seed: 20141103 });
    const expiredIn = histories.filter(({ events }) =>
      events.some((e) => e.type === 'DisputeSettled' && e.data.outcome === 'expired'),
    );
    // 16 of these 200 (the writer before gave 6: its expiry weighed an eighth of an escalation).
    expect(expiredIn.length).toBeGreaterThanOrEqual(12);
    const actors = new Set<string>();
    for (const { commands, events, state } of expiredIn) {
      expect(verifyHistory(events)).toEqual(state);
      for (const c of commands) if (c.type === 'ExpireDispute') actors.add(c.actor);
    }
    // Both who may: the platform (the default 'platform') and a party whose offer went unanswered.
    expect(actors).toContain('platform');
    expect([...actors].some((a) => a === 'client-x' || a === 'freelancer-y')).toBe(true);
  });
});
