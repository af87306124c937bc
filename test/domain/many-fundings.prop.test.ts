import { describe, expect, it } from 'vitest';
import { fc, test } from '@fast-check/vitest';
import { escrowOf } from '../../src/domain/escrow/state.js';
import { fundingsExamined } from '../../src/domain/escrow/funding-positions.js';
import { evolve, fold, initialState, type JobEvent } from '../../src/index.js';
import { funded, opened, refunded } from './opening.js';
import { isDeepFrozen, numRuns } from './prop-support.js';

// A milestone funded past the fundings a lookup scans (32), refunded in any order: by funding ids
// that exist, repeat (the events are trusted: the newest of an id takes the refund) or never were.
const steps = fc.array(
  fc.oneof(
    {
      weight: 3,
      arbitrary: fc.record({ fund: fc.nat({ max: 199 }), amount: fc.integer({ min: 1, max: 3 }) }),
    },
    {
      weight: 2,
      arbitrary: fc.record({
        refund: fc.nat({ max: 219 }),
        amount: fc.integer({ min: 1, max: 3 }),
      }),
    },
  ),
  { minLength: 40, maxLength: 300 },
);

type Step = ({ fund: number } | { refund: number }) & { amount: number };

function historyOf(drawn: readonly Step[]): JobEvent[] {
  const events = opened();
  for (const step of drawn) {
    if ('fund' in step)
      events.push(funded(`f${String(step.fund)}`, step.amount, `card:f${String(step.fund)}`));
    else events.push(refunded(`f${String(step.refund)}`, step.amount));
  }
  return events;
}

// The reference: each refund goes to the newest funding of its id, found by reading them all.
function expectedFundings(
  events: readonly JobEvent[],
): { id: string; held: number; refunded: number }[] {
  const list: { id: string; held: number; refunded: number }[] = [];
  for (const e of events) {
    if (e.type === 'MilestoneFunded')
      list.push({ id: e.data.fundingId, held: e.data.amount, refunded: 0 });
    if (e.type !== 'FundsRefunded') continue;
    const f = list.findLast((x) => x.id === e.data.fundingId);
    if (f === undefined) continue;
    f.held -= e.data.amount;
    f.refunded += e.data.amount;
  }
  return list;
}

describe('many fundings of one milestone', () => {
  test.prop([steps, fc.nat()], { numRuns: numRuns(60) })(
    'fold(all) = fold(rest, fold(prefix)) = evolve event by event = the reference, refunds in any order',
    (drawn, cut) => {
      const events = historyOf(drawn);
      const at = cut % (events.length + 1);
      const whole = fold(events);
      expect(fold(events.slice(at), fold(events.slice(0, at)))).toEqual(whole);
      const evolved = events.reduce(evolve, initialState());
      expect(evolved).toEqual(whole);
      expect(isDeepFrozen(whole)).toBe(true);
      const fundings = escrowOf(whole.escrow, 'm1').fundings;
      expect(
        fundings.map((f) => ({ id: f.fundingId, held: f.held, refunded: f.refunded })),
      ).toEqual(expectedFundings(events));
    },
  );

  it('a fold of 20,000 fundings and their 20,000 refunds reads each funding a few times, not n²/2 (took 1.3 s)', () => {
    const n = 20_000;
    const fundings = opened();
    for (let i = 0; i < n; i++) fundings.push(funded(`f${String(i)}`, 1, `card:f${String(i)}`));
    const newestFirst: JobEvent[] = [];
    const oldestFirst: JobEvent[] = [];
    for (let i = 0; i < n; i++) {
      newestFirst.push(refunded(`f${String(n - 1 - i)}`, 1));
      oldestFirst.push(refunded(`f${String(i)}`, 1));
    }
    const before = fold(fundings);
    for (const [from, refunds] of [
      [initialState(), [...fundings, ...newestFirst]],
      [before, newestFirst],
      [before, oldestFirst],
    ] as const) {
      const start = fundingsExamined();
      const after = fold(refunds, from);
      expect(escrowOf(after.escrow, 'm1').refunded).toBe(n);
      // A refund reads at most the 32 newest fundings, and the list is indexed once (n reads).
      expect(fundingsExamined() - start).toBeLessThanOrEqual(33 * n + n);
    }
  });
});
