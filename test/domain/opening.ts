/*
 * A job opened as events, for the tests that write long histories without deciding them
 * (deciding 150,000 fundings would be slow, and R6 lets one funding fill a milestone): awarded,
 * terms proposed by the client, accepted or left pending; then fundings and refunds of a
 * milestone. Every event carries the same instant (`OPENED_AT`).
 */
import type { JobEvent, Milestone } from '../../src/index.js';

export const OPENED_AT = '2014-11-03T09:00:00Z';

/** Job `j` awarded by client `c` to freelancer `f`, in USD. */
export function awarded(): JobEvent {
  return {
    type: 'JobAwarded',
    data: {
      jobId: 'j',
      title: 'T',
      clientId: 'c',
      freelancerId: 'f',
      currency: 'USD',
      at: OPENED_AT,
    },
  };
}

/** A milestone as a proposal's event writes it, due 2014-11-10, without a description. */
export function milestoneOf(milestoneId: string, amount: number, title = 'Logo'): Milestone {
  return { milestoneId, title, description: '', dueDate: '2014-11-10', amount };
}

/**
 * The job awarded, terms `p1` of `milestones` proposed by the client (one milestone `m1` of
 * 1,000,000 unless told), and accepted unless `accepted` is false (the proposal stays pending).
 */
export function opened(
  milestones: readonly Milestone[] = [milestoneOf('m1', 1_000_000)],
  { accepted = true }: { readonly accepted?: boolean } = {},
): JobEvent[] {
  const events: JobEvent[] = [
    awarded(),
    {
      type: 'TermsProposed',
      data: { proposalId: 'p1', by: 'client', milestones: [...milestones], at: OPENED_AT },
    },
  ];
  if (accepted)
    events.push({
      type: 'TermsAccepted',
      data: { proposalId: 'p1', by: 'freelancer', at: OPENED_AT },
    });
  return events;
}

/** Milestone `m1` funded by `fundingId`. */
export function funded(fundingId: string, amount = 1, source = 'card:x'): JobEvent {
  return {
    type: 'MilestoneFunded',
    data: { milestoneId: 'm1', fundingId, amount, source, at: OPENED_AT },
  };
}

/** Milestone `m1`'s funding `fundingId` refunded, as a decline refunds it (R8). */
export function refunded(fundingId: string, amount = 1): JobEvent {
  return {
    type: 'FundsRefunded',
    data: {
      milestoneId: 'm1',
      fundingId,
      amount,
      source: 'card:x',
      reason: 'terms-declined',
      at: OPENED_AT,
    },
  };
}
