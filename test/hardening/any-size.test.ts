import { describe, expect, it } from 'vitest';
import { decide, fold } from '../../src/index.js';
import { renderMilestoneTable } from '../../src/projections/index.js';
import { funded, milestoneOf, OPENED_AT, opened } from '../domain/opening.js';

/* A decision and a milestone table of 200,000 entries: spread into arguments, each overflowed. */

describe('a decision of any size', () => {
  it('accepting terms that delete a milestone of 200,000 fundings refunds each one (push(...refunds) overflowed the stack: "state must be a job state")', () => {
    const events = opened([milestoneOf('m1', 1_000_000, 'm1'), milestoneOf('m2', 100, 'm2')]);
    for (let i = 0; i < 200_000; i++) events.push(funded(`f${String(i)}`));
    let state = fold(events);
    const proposal = decide(
      {
        type: 'ProposeTerms',
        actor: 'f',
        at: OPENED_AT,
        data: {
          proposalId: 'p2',
          milestones: [{ ...milestoneOf('m2', 100, 'm2'), description: undefined }],
        },
      },
      state,
    );
    state = fold(proposal, state);
    const accepted = decide(
      { type: 'AcceptTerms', actor: 'c', at: OPENED_AT, data: { proposalId: 'p2' } },
      state,
    );
    expect(accepted).toHaveLength(200_001);
    let refunded = 0;
    for (const event of accepted) if (event.type === 'FundsRefunded') refunded += event.data.amount;
    expect(refunded).toBe(200_000);
  }, 60_000);
});

describe('a milestone table of any size', () => {
  it('renders terms of 200,000 milestones as text (Math.max(...widths) was a RangeError)', () => {
    const milestones = Array.from({ length: 200_000 }, (_, i) =>
      milestoneOf(`m${String(i)}`, 100, `Milestone ${String(i)}`),
    );
    const state = fold(opened(milestones));
    const text = renderMilestoneTable(state);
    expect(text).toContain('Milestone 199999');
  }, 60_000);
});
