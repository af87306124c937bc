import { describe, expect, it } from 'vitest';
import { decide, initialState } from '../src/index.js';

describe('decider', () => {
  it('awards a job', () => {
    const events = decide(
      { type: 'AwardJob', actor: 'c', at: '2014-11-03T09:00:00Z', data: { jobId: 'j', title: 'Logo', clientId: 'c', freelancerId: 'f', currency: 'USD' } },
      initialState(),
    );
    expect(events.map((e) => e.type)).toEqual(['JobAwarded']);
  });
});
