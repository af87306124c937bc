import type { JobCommand } from '../commands.js';
import { actorRole, admitCommand, checkCommandData, requirePartyCommand } from '../decider.js';
import type { JobEvent } from '../events.js';
import type { JobState } from '../state.js';
import { platformIdOf } from '../job/policy.js';
import { assertNever } from '../shared/never.js';
import type { ActorRole } from '../shared/schema.js';
import { NOTHING } from './compare.js';
import { checkDisputeEvent } from './dispute.js';
import { checkReviewEvent } from './review.js';
import { checkEscrowEvent } from './escrow.js';
import { checkAwardEvent, checkJobEvent } from './job.js';
import { checkTermsEvent } from './terms.js';
import type { EventKind } from './kinds.js';

/*
 * A stored event that starts a decision, checked in place: the checks every command passes
 * (`checkCommandData`, `admitCommand`, `actorRole`), then its own slice's, with the event's own values. The checks
 * are the ones `decide` makes, shared, so a history is legal exactly when `decide` would have
 * written it.
 */

/** The id of the actor that plays `role` in the awarded job (`''` before the award). */
function actorFor(state: JobState, role: ActorRole): string {
  const award = state.job.award;
  if (award === null) return '';
  if (role === 'platform') return platformIdOf(award);
  return role === 'client' ? award.clientId : award.freelancerId;
}

/** The command whose decision starts with this event (its kind names all but a settlement's). */
function commandOf(event: JobEvent, kind: EventKind): JobCommand['type'] {
  // A settlement records the command its outcome names; its kind names the ruling's.
  if (kind.command === 'ResolveDispute' && event.type === 'DisputeSettled') {
    const outcome = event.data.outcome;
    if (outcome === 'agreed') return 'AcceptSettlement';
    if (outcome === 'expired') return 'ExpireDispute';
  }
  return kind.command;
}

/** The role whose command the event records: the one its kind fixes, or the one it names. */
function roleOfEvent(event: JobEvent, kind: EventKind): ActorRole {
  // A kind names no role exactly where the event's data has `by` (the table's type says so).
  return kind.role ?? (event.data as { readonly by: ActorRole }).by;
}

/**
 * Checks a stored event that starts a decision against everything its command requires, and
 * returns what the decision owes after it; for an event whose values the decision computes
 * (`computed` in history/kinds.ts), the whole decision, for the stored events to be compared with. Throws the
 * `DomainError` `decide` would have thrown.
 */
export function checkEvent(
  event: JobEvent,
  kind: EventKind | undefined,
  state: JobState,
  forward: boolean,
): readonly JobEvent[] {
  checkCommandData(kind?.command, event.data);
  admitCommand(event.data.at, state, forward);
  // No event's type (an untyped caller's): as the exhaustive switch below would.
  if (kind === undefined) return assertNever(event as never, 'event');
  if (event.type === 'JobAwarded') {
    checkAwardEvent(event, state);
    return NOTHING;
  }
  const type = commandOf(event, kind);
  const role = actorRole(type, actorFor(state, roleOfEvent(event, kind)), state);
  switch (event.type) {
    case 'TermsProposed':
    case 'TermsAccepted':
    case 'TermsDeclined':
    case 'TermsWithdrawn':
      return checkTermsEvent(event, state, requirePartyCommand(type, role));
    case 'MilestoneFunded':
    case 'FundsReleased':
    case 'FundsRefunded':
      return checkEscrowEvent(event, state, requirePartyCommand(type, role));
    case 'WorkSubmitted':
    case 'ChangesRequested':
    case 'JobClosed':
      return checkJobEvent(event, state, requirePartyCommand(type, role));
    case 'ReviewExpired':
      return checkReviewEvent(event, state, role);
    case 'DisputeOpened':
    case 'SettlementProposed':
    case 'DisputeEscalated':
    case 'DisputeWithdrawn':
    case 'DisputeSettled':
      return checkDisputeEvent(event, state, role);
    default:
      return assertNever(event, 'event');
  }
}
