/*
 * An app's own code that consumes milestone-escrow's events: what each party was paid or
 * refunded. This is what the tests beside it test with milestone-escrow/testing.
 */
// #region payouts
// payouts.ts: the app's own code under test (named apart from the library's `ledger`).
import { decide, fold, type JobCommandInput, type JobEvent, type JobState } from 'milestone-escrow';

export interface Payouts {
  /** Paid out to the freelancer, in minor units. */
  readonly paidToFreelancer: number;
  /** Refunded, per payment source. */
  readonly refundedTo: Readonly<Record<string, number>>;
  /** Still in escrow. */
  readonly inEscrow: number;
}

export function payouts(events: readonly JobEvent[]): Payouts {
  let paidToFreelancer = 0;
  let inEscrow = 0;
  const refundedTo: Record<string, number> = {};
  for (const event of events) {
    switch (event.type) {
      case 'MilestoneFunded':
        inEscrow += event.data.amount;
        break;
      case 'FundsReleased':
        inEscrow -= event.data.amount;
        paidToFreelancer += event.data.amount;
        break;
      case 'FundsRefunded':
        inEscrow -= event.data.amount;
        refundedTo[event.data.source] = (refundedTo[event.data.source] ?? 0) + event.data.amount;
        break;
      default:
        break;
    }
  }
  return { paidToFreelancer, refundedTo, inEscrow };
}

/** A tiny in-memory store of one job: its events, and its state kept as they come. */
export interface JobStore {
  readonly events: JobEvent[];
  state: JobState;
}

/** A store holding these events, folded once. */
export function openStore(events: readonly JobEvent[] = []): JobStore {
  return { events: [...events], state: fold(events) };
}

/** A tiny command handler: decides against the kept state, then appends the new events (all or none). */
export function handle(store: JobStore, command: JobCommandInput): JobEvent[] {
  const events = decide(command, store.state); // throws before anything changes
  store.state = fold(events, store.state); // fold only the new events: the state is kept, not rebuilt
  for (const event of events) store.events.push(event); // push(...events) overflows on a big decision
  return events;
}
// #endregion payouts
