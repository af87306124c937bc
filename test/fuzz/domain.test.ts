import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import {
  decide,
  fold,
  parseCommand,
  parseEvent,
  verifyHistory,
  type JobCommandInput,
  type JobState,
} from '../../src/index.js';
import { escrowArbitraries } from '../../src/testing/index.js';
import { serializeState, stateFromJson, deserializeState } from '../../src/store/snapshots.js';
import { describeDeep, fuzz, hostile, mutate, mutation, outcome, report } from './hostile.js';

/*
 * Fuzzing the domain's entry points with hostile input (issue 16): parseCommand, parseEvent,
 * decide, verifyHistory and stateFromJson. Each case: a valid value with one hostile mutation,
 * or a hostile value outright. The oracle: success or a DomainError with a known code, never
 * another exception, and the caller's value unchanged.
 */

const arb = escrowArbitraries(fc);
// A pool of legal histories, generated once: the cases spend their time on the hostile part.
const pool = fc.sample(arb.history({ minSteps: 1, maxSteps: 20 }), { numRuns: 40, seed: 16 });
const histories = fc.constantFrom(...pool);

/** A valid command, event or history item made hostile in one place, or a hostile value. */
function hostileFrom<T>(valid: fc.Arbitrary<T>): fc.Arbitrary<unknown> {
  return fc.oneof(
    { weight: 4, arbitrary: fc.tuple(valid, mutation).map(([v, m]) => mutate(v, m)) },
    { weight: 1, arbitrary: hostile },
  );
}

/** Runs a step on a value and checks the oracle, including that the value did not change. */
function unchanged(value: unknown, step: () => unknown): string {
  const before = describeDeep(value);
  const result = outcome(step);
  expect(describeDeep(value)).toBe(before);
  return result;
}

afterAll(() => {
  report('domain');
});

describe('fuzz: the domain on hostile input', () => {
  it('parseCommand: a DomainError or a command, never another exception', async () => {
    const commands = histories.chain((h) => fc.constantFrom(...(h.commands as unknown[])));
    await fuzz('parseCommand', hostileFrom(commands), (input) => {
      unchanged(input, () => parseCommand(input));
    });
  });

  it('parseEvent: a DomainError or an event, never another exception', async () => {
    const events = histories.chain((h) => fc.constantFrom(...(h.events as unknown[])));
    await fuzz('parseEvent', hostileFrom(events), (input) => {
      unchanged(input, () => parseEvent(input));
    });
  });

  it('decide: on any legal state, a hostile command is a DomainError, never another exception', async () => {
    const cases = histories.chain((h) =>
      fc.tuple(fc.constant(h.state), hostileFrom(fc.constantFrom(...(h.commands as unknown[])))),
    );
    await fuzz('decide', cases, ([state, input]: [JobState, unknown]) => {
      const stateBefore = describeDeep(state);
      unchanged(input, () => decide(input as JobCommandInput, state));
      expect(describeDeep(state)).toBe(stateBefore);
    });
  });

  it('verifyHistory: a history with one hostile event is a DomainError or a state', async () => {
    const cases = histories.chain((h) =>
      fc.tuple(
        fc.constant(h.events as unknown[]),
        fc.nat({ max: Math.max(0, h.events.length - 1) }),
        hostileFrom(fc.constantFrom(...(h.events as unknown[]))),
      ),
    );
    await fuzz('verifyHistory', cases, ([events, at, replacement]) => {
      const tampered = [...events];
      tampered[at] = replacement;
      unchanged(tampered, () => verifyHistory(tampered));
    });
  });

  it('stateFromJson and deserializeState: a tampered snapshot state is a DomainError or a state', async () => {
    const states = histories.map((h) => JSON.parse(serializeState(fold(h.events))) as unknown);
    await fuzz('stateFromJson', hostileFrom(states), (input) => {
      const a = unchanged(input, () => stateFromJson(input));
      let text: string | undefined;
      try {
        text = JSON.stringify(input);
      } catch {
        text = undefined;
      }
      if (text !== undefined) {
        const b = outcome(() => deserializeState(text));
        // The same data, as a value or as its JSON text, is read alike.
        if (JSON.stringify(JSON.parse(text)) === text && typeof input === 'object')
          expect(b).toBe(a);
      }
    });
  });
});
