import { describe, expect } from 'vitest';
import { fc, test } from '@fast-check/vitest';
import {
  createHistoryChecker,
  evolve,
  fold,
  initialState,
  verifyHistory,
} from '../../src/index.js';
import { assertHistory } from '../../src/testing/index.js';
import { arb, isDeepFrozen, numRuns, play, scripts } from './prop-support.js';

const runs = numRuns(60);
const histories = arb.history({ maxSteps: 60 });

describe('folding a history', () => {
  test.prop([histories, fc.nat()], { numRuns: runs })(
    'fold(all) = fold(fold(prefix), rest), wherever the history is cut',
    ({ events }, cut) => {
      const at = events.length === 0 ? 0 : cut % (events.length + 1);
      const prefix = fold(events.slice(0, at));
      const snapshot = structuredClone(prefix);
      expect(fold(events.slice(at), prefix)).toEqual(fold(events));
      // Folding from a state neither changes nor unfreezes it.
      expect(prefix).toEqual(snapshot);
      expect(isDeepFrozen(prefix)).toBe(true);
    },
  );

  test.prop([histories], { numRuns: runs })(
    'evolve (a copy-on-write step per event) and fold give equal states',
    ({ events, state }) => {
      const evolved = events.reduce(evolve, initialState());
      expect(evolved).toEqual(fold(events));
      expect(evolved).toEqual(state);
      expect(isDeepFrozen(evolved)).toBe(true);
    },
  );

  test.prop([histories], { numRuns: runs })(
    'verifyHistory of a folded history returns the state fold gives',
    ({ events }) => {
      expect(verifyHistory(events)).toEqual(fold(events));
      expect(assertHistory(events)).toEqual(fold(events));
    },
  );

  test.prop([scripts], { numRuns: runs })(
    "replaying decide's own output through the history checker always passes",
    (script) => {
      const checker = createHistoryChecker();
      const { events, state } = play(script, (step) => {
        if (!step.accepted) return;
        for (const event of step.events) checker.push(event);
        // Between decisions, the checker's state is the decider's.
        expect(checker.current).toEqual(step.after);
      });
      expect(checker.finish()).toEqual(state);
      expect(verifyHistory(JSON.parse(JSON.stringify(events)) as unknown[])).toEqual(state);
    },
  );
});
