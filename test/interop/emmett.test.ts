import {
  DeciderCommandHandler,
  DeciderSpecification,
  getInMemoryEventStore,
} from '@event-driven-io/emmett';
import { describe, expect, it } from 'vitest';
import {
  decide,
  evolve,
  initialState,
  isDomainError,
  jobDecider,
  summarize,
  type JobCommandInput,
  type JobEvent,
} from '../../src/index.js';
import { at, award, CLIENT, FREELANCER, JOB, propose } from '../app/histories.js';

/*
 * Emmett interop: the job decider runs unchanged through Emmett's DeciderCommandHandler on its
 * in-memory event store and through its DeciderSpecification. No adapter: our events are
 * Emmett's { type, data, metadata? }, our commands carry { type, data } (plus actor and at,
 * which Emmett passes through untouched).
 */

const accept: JobCommandInput = {
  type: 'AcceptTerms',
  actor: FREELANCER,
  at: at(2),
  data: { proposalId: 'p1' },
};
const fund: JobCommandInput = {
  type: 'FundMilestone',
  actor: CLIENT,
  at: at(3),
  data: { milestoneId: 'm1', fundingId: 'f1', source: 'card:visa-4242' },
};
const release: JobCommandInput = {
  type: 'ReleaseFunds',
  actor: CLIENT,
  at: at(4),
  data: { milestoneId: 'm1' },
};

describe('Emmett interop (@event-driven-io/emmett, dev dependency only)', () => {
  const handle = DeciderCommandHandler({
    decide,
    evolve,
    initialState,
    mapToStreamId: (id) => `job-${id}`,
  });

  it("DeciderCommandHandler runs the job decider on Emmett's in-memory store", async () => {
    const eventStore = getInMemoryEventStore();
    await handle(eventStore, JOB, award());
    await handle(eventStore, JOB, [
      propose('p1', [
        ['m1', 7500],
        ['m2', 10000],
      ]),
      accept,
    ]);
    const funded = await handle(eventStore, JOB, fund);
    expect(funded.newEvents).toEqual([
      {
        type: 'MilestoneFunded',
        data: {
          milestoneId: 'm1',
          fundingId: 'f1',
          amount: 7500,
          source: 'card:visa-4242',
          at: at(3),
        },
      },
    ]);
    const released = await handle(eventStore, JOB, release);
    expect(summarize(released.newState)).toMatchObject({
      status: 'in-progress',
      version: 5,
      totals: { funded: 7500, released: 7500, held: 0 },
    });

    const read = await eventStore.readStream<JobEvent>(`job-${JOB}`);
    expect(read.events.map((e) => e.type)).toEqual([
      'JobAwarded',
      'TermsProposed',
      'TermsAccepted',
      'MilestoneFunded',
      'FundsReleased',
    ]);
    const aggregated = await eventStore.aggregateStream(`job-${JOB}`, { evolve, initialState });
    expect(aggregated.state).toEqual(released.newState);
  });

  it('a rejected command surfaces our DomainError through Emmett and appends nothing', async () => {
    const eventStore = getInMemoryEventStore();
    await handle(eventStore, JOB, award());
    try {
      await handle(eventStore, JOB, release);
      expect.unreachable();
    } catch (error) {
      expect(isDomainError(error) && error.code).toBe('UNKNOWN_MILESTONE');
    }
    expect((await eventStore.readStream(`job-${JOB}`)).events).toHaveLength(1);
  });

  it('DeciderSpecification: given / when / then, unchanged', () => {
    const given = DeciderSpecification.for(jobDecider);
    const awarded = decide(award(), initialState());
    const proposed = decide(
      propose('p1', [['m1', 7500]]),
      evolve(initialState(), awarded[0] as JobEvent),
    );
    given([...awarded, ...proposed])
      .when(accept)
      .then([{ type: 'TermsAccepted', data: { proposalId: 'p1', by: 'freelancer', at: at(2) } }]);
    given(awarded)
      .when(fund)
      .thenThrows((error: Error) => isDomainError(error) && error.code === 'UNKNOWN_MILESTONE');
  });
});
