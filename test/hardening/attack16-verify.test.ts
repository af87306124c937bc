import { describe, expect, it } from 'vitest';
import {
  createHistoryChecker,
  isDomainError,
  verifyHistory,
  type JobEvent,
} from '../../src/index.js';
import { revoked } from './hostile.js';

/*
 * Session 16's attack on the history checks: verifyHistory and createHistoryChecker's push take
 * a frozen event in place (parseFrozenEvent), and asked `Object.isFrozen` and read `data` outside
 * the try that sends anything unreadable to parseEvent. A revoked proxy as an event was a
 * TypeError, and a frozen event whose `data` getter throws threw the app's own error, where
 * parseEvent, fold and replay answer INVALID_INPUT at the event's position.
 */

/** A frozen event whose `data` getter throws. */
const throwingData = (): object =>
  Object.freeze({
    type: 'JobClosed',
    get data(): never {
      throw new Error('a data getter that throws');
    },
  });

/** How `run` ended: accepted, a DomainError as [code, position], or what else was thrown. */
function outcome(run: () => unknown): unknown {
  try {
    run();
    return 'accepted';
  } catch (error) {
    return isDomainError(error)
      ? [error.code, error.details.position]
      : `not a DomainError: ${String(error)}`;
  }
}

describe('an event the history checks cannot read', () => {
  for (const [what, event] of [
    ['a revoked proxy', revoked],
    ['a frozen event whose data getter throws', throwingData],
  ] as const) {
    it(`${what} is INVALID_INPUT at its position in verifyHistory and push`, () => {
      expect(outcome(() => verifyHistory([event() as JobEvent]))).toEqual(['INVALID_INPUT', 1]);
      expect(outcome(() => createHistoryChecker().push(event() as JobEvent))).toEqual([
        'INVALID_INPUT',
        1,
      ]);
    });
  }
});
