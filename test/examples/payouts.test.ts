import { describe, expect, it } from 'vitest';
import { fold, summarize } from 'milestone-escrow';
import { logoDesign } from 'milestone-escrow/testing';
import { handle, openStore, payouts } from '../../examples/testing/payouts.js';

/*
 * examples/testing/payouts.ts is what docs/testing.md shows an app writing, and what users copy:
 * its handler must not fold the whole history again for every command (quadratic in the job).
 */

describe('examples/testing/payouts.ts', () => {
  it('handle decides against the kept state: no stored event is read again, the state moves on', () => {
    const history = logoDesign.stages.accepted.events;
    const store = openStore(history);
    const reads: string[] = [];
    // The store's events, every read of an event (or a walk over them) recorded.
    const events = new Proxy(store.events, {
      get(target, key, receiver) {
        if (key === Symbol.iterator || (typeof key === 'string' && /^\d+$/.test(key)))
          reads.push(String(key));
        return Reflect.get(target, key, receiver) as unknown;
      },
    });
    const watched = { events, state: store.state };
    const at = '2014-11-05T10:00:00Z';
    const actor = logoDesign.clientId;
    const source = 'card:visa-4242';
    handle(watched, {
      type: 'FundMilestone',
      actor,
      at,
      data: { milestoneId: 'm2', fundingId: 'f9', source },
    });
    handle(watched, { type: 'ReleaseFunds', actor, at, data: { milestoneId: 'm2' } });
    expect(reads).toEqual([]);
    expect(watched.state).toEqual(fold(store.events));
    expect(summarize(watched.state).version).toBe(history.length + 2);
    expect(payouts(store.events).paidToFreelancer).toBe(watched.state.escrow.totals.released);
  });
});
