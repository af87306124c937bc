/* What the command handler's tests share: commands on the histories' job, and reading results. */
import { isDomainError, type JobCommandInput } from '../../src/index.js';
import { createCommandHandler } from '../../src/handler/command-handler.js';
import type { RecordedEvent } from '../../src/store/port.js';
import { at, award, CLIENT, FREELANCER, JOB, propose } from '../app/histories.js';

export async function collect(events: AsyncIterable<RecordedEvent>): Promise<RecordedEvent[]> {
  const out: RecordedEvent[] = [];
  for await (const e of events) out.push(e);
  return out;
}

export async function failure(
  promise: Promise<unknown>,
): Promise<{ code: string; details: Record<string, unknown>; message: string }> {
  try {
    await promise;
  } catch (error) {
    if (isDomainError(error))
      return { code: error.code, details: error.details, message: error.message };
    throw error;
  }
  throw new Error('expected a DomainError');
}

export const accept: JobCommandInput = {
  type: 'AcceptTerms',
  actor: FREELANCER,
  at: at(2),
  data: { proposalId: 'p1' },
};
export const fund = (milestoneId: string, fundingId: string, minutes = 3): JobCommandInput => ({
  type: 'FundMilestone',
  actor: CLIENT,
  at: at(minutes),
  data: { milestoneId, fundingId, source: 'card:visa-4242' },
});
export const release = (milestoneId: string, minutes = 4): JobCommandInput => ({
  type: 'ReleaseFunds',
  actor: CLIENT,
  at: at(minutes),
  data: { milestoneId },
});

export async function started(handler: ReturnType<typeof createCommandHandler>): Promise<void> {
  await handler.handle(JOB, award());
  await handler.handle(
    JOB,
    propose('p1', [
      ['m1', 7500],
      ['m2', 10000],
    ]),
  );
  await handler.handle(JOB, accept);
}
