import { describe, expect } from 'vitest';
import { test } from '@fast-check/vitest';
import { decide, ERROR_CODES, isDomainError, type JobCommandInput } from '../../src/index.js';
import { arb, isDeepFrozen, numRuns, play, scripts } from './prop-support.js';

const runs = numRuns(60);

describe('rejected commands', () => {
  test.prop([scripts], { numRuns: runs })(
    'every rejected command throws a DomainError with a spec code and leaves the state as it was (deep-equal and frozen)',
    (script) => {
      play(script, (step) => {
        if (step.accepted) return;
        expect(ERROR_CODES).toContain(step.error.code);
        expect(step.error.name).toBe('DomainError');
        expect(step.error.message.length).toBeGreaterThan(0);
        // `play` keeps the state object; decide must not have touched it either.
        expect(step.after).toBe(step.before);
        expect(isDeepFrozen(step.before)).toBe(true);
        const again = (() => {
          try {
            decide(step.command as JobCommandInput, step.before);
          } catch (error) {
            return error;
          }
          return undefined;
        })();
        expect(isDomainError(again) && again.code).toBe(step.error.code);
        expect(step.after).toEqual(step.snapshot);
      });
    },
  );

  test.prop([scripts], { numRuns: runs })(
    'valid moves are accepted and every attack is rejected with the code of the rule it aims at',
    (script) => {
      play(script, (step) => {
        const { intent } = step;
        if (intent.kind === 'valid') {
          expect(step.accepted ? 'accepted' : `${step.error.code}: ${step.error.message}`).toBe(
            'accepted',
          );
        } else if (intent.kind === 'invalid') {
          const got = step.accepted ? 'accepted' : step.error.code;
          expect(got, `${intent.aim} (${intent.rule})`).toBe(intent.code);
        }
      });
    },
  );

  test.prop([arb.invalidCommand({ maxSteps: 40 })], { numRuns: runs })(
    'a command aimed at one rule is rejected with its code, at the end of any legal history',
    (c) => {
      let thrown: unknown;
      try {
        decide(c.command as JobCommandInput, c.state);
      } catch (error) {
        thrown = error;
      }
      expect(isDomainError(thrown), `${c.aim}: not rejected`).toBe(true);
      if (isDomainError(thrown))
        expect(thrown.code, `${c.aim} (${c.rule}): ${thrown.message}`).toBe(c.code);
    },
  );
});
