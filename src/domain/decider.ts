import type { Draft } from 'immer';
import { deepFreeze } from './shared/freeze.js';
import { changeable, freezeState } from './freeze-state.js';
import { parseCommand, type JobCommand, type JobCommandInput } from './commands.js';
import type { JobEvent } from './events.js';
import type { AwardJob } from './job/commands.js';
import type { ProposeTerms } from './terms/commands.js';
import { emptyState, type JobState } from './state.js';
import { checkAwardParties, decideAward, decideJob } from './job/decide.js';
import { evolveJob } from './job/evolve.js';
import { decideTerms, requireExactContractTotal } from './terms/decide.js';
import { evolveTerms } from './terms/evolve.js';
import { decideEscrow } from './escrow/decide.js';
import { evolveEscrow } from './escrow/evolve.js';
import { fail } from './shared/errors.js';
import { requireEvents } from './shared/parse.js';
import { notAState, unfoldable } from './unfoldable.js';
import { assertNever } from './shared/never.js';
import { requireParty, roleOf } from './shared/roles.js';
import type { ActorRole, Role } from './shared/schema.js';
import { compareInstants } from './shared/time.js';
import { decideDispute } from './dispute/decide.js';
import { evolveDispute } from './dispute/evolve.js';
import { decideReview } from './review/decide.js';
import {
  reviewAfterDispute,
  reviewAfterEnd,
  reviewAfterFunding,
  reviewAfterStop,
  reviewAfterSubmission,
  reviewAfterTerms,
  reviewAfterWithdrawal,
} from './review/evolve.js';

/*
 * The job stream's decider: the job, terms and escrow deciders composed in one place, under one
 * expected version. Commands and events are routed by type to the slice that owns them.
 */

/**
 * The recipe that folds one event into a mutable state: each event goes to the slice that owns it.
 * Exposed for the library's own fast paths; it mutates `draft`.
 */
export function applyEvent(draft: Draft<JobState>, event: JobEvent): void {
  // One dispatch on the type: every slice an event changes, then R14's clocks, which follow the
  // whole state (review/evolve.ts).
  // The cases come in the order of how often a job has such events (the type strings compared
  // one by one are a good part of a fold's cost: JSON.parse interns none as long as these).
  switch (event.type) {
    case 'MilestoneFunded':
      evolveEscrow(draft.escrow, event);
      reviewAfterFunding(draft, event.data.milestoneId, event.data.at);
      break;
    case 'TermsProposed':
      evolveTerms(draft.terms, event);
      break;
    case 'WorkSubmitted':
      evolveJob(draft.job, event);
      reviewAfterSubmission(draft, event.data.milestoneId, event.data.at);
      break;
    case 'TermsAccepted': {
      const before = draft.terms.active;
      evolveTerms(draft.terms, event);
      reviewAfterTerms(draft, before, event.data.at);
      break;
    }
    case 'JobAwarded':
      evolveJob(draft.job, event);
      break;
    case 'FundsReleased':
      evolveEscrow(draft.escrow, event);
      reviewAfterEnd(draft, event.data.milestoneId);
      break;
    case 'FundsRefunded':
      evolveEscrow(draft.escrow, event);
      reviewAfterStop(draft, event.data.milestoneId, event.data.at);
      break;
    case 'TermsDeclined':
    case 'TermsWithdrawn':
      evolveTerms(draft.terms, event);
      break;
    case 'ChangesRequested':
      evolveJob(draft.job, event);
      reviewAfterEnd(draft, event.data.milestoneId);
      break;
    case 'JobClosed':
      evolveJob(draft.job, event);
      break;
    case 'DisputeSettled':
      // The dispute ends, and its milestone is settled (escrow's fact).
      evolveDispute(draft.dispute, event);
      evolveEscrow(draft.escrow, event);
      reviewAfterDispute(draft, event.data.milestoneId, event.data.at);
      break;
    case 'DisputeOpened':
      evolveDispute(draft.dispute, event);
      reviewAfterDispute(draft, event.data.milestoneId, event.data.at);
      break;
    case 'DisputeWithdrawn':
      evolveDispute(draft.dispute, event);
      reviewAfterWithdrawal(draft, event.data.disputeId, event.data.at);
      break;
    case 'SettlementProposed':
    case 'DisputeEscalated':
      evolveDispute(draft.dispute, event);
      break;
    case 'ReviewExpired':
      // The release that follows it moves the money; the clock stops there.
      break;
    default:
      assertNever(event, 'event');
  }
  draft.job.lastAt = event.data.at;
  draft.version += 1;
}

const INITIAL: JobState = freezeState(emptyState());

/**
 * The state of a job stream with no events: not yet awarded.
 * @category Deciding
 */
export function initialState(): JobState {
  return INITIAL;
}

/**
 * Folds one event into a state and returns the next state, frozen and structurally shared with
 * the previous one: only what the event changes is copied (a few small objects, the path to an
 * id in a table, one milestone's money), so its cost does not grow with the state. To fold many
 * events, {@link fold} does the same once for all of them.
 * @category Deciding
 */
export function evolve(state: JobState, event: JobEvent): JobState {
  let working: Draft<JobState>;
  try {
    working = changeable(state) as Draft<JobState>;
  } catch (error) {
    throw notAState(error, 'state');
  }
  try {
    applyEvent(working, event);
  } catch (error) {
    throw unfoldable(error, working.version + 1, event, { value: state, path: 'state' });
  }
  return freezeState(working);
}

/**
 * Folds events into a state (the initial state by default).
 *
 * From the initial state (a replay, a projection rebuild) the events are applied to a private
 * working copy with the same recipes `evolve` uses, and the result is frozen once: replaying a
 * long history costs about what a hand-written loop does (bench/RESULTS.md). From any other state
 * (a few new events on a loaded job) the working copy shares everything with `from` until an
 * event changes it, and then copies only what it touches (the path to an id in a table, one
 * milestone's money): on a job with 100,000 fundings a command's events cost microseconds, not a
 * copy of the job.
 *
 * The events are trusted: to check a stored history against the rules, use `verifyHistory`.
 *
 * @example
 * ```ts
 * import { decide, fold, summarize, type JobEvent } from 'milestone-escrow';
 *
 * const at = '2014-11-03T09:00:00Z';
 * const history: JobEvent[] = decide({ type: 'AwardJob', actor: 'clara', at, data: { jobId: 'logo', title: 'Logo design', clientId: 'clara', freelancerId: 'felix', currency: 'USD' } }, fold([]));
 * let state = fold(history);
 * // Go on from a state: only the new events are folded.
 * state = fold(decide({ type: 'ProposeTerms', actor: 'clara', at, data: { proposalId: 'p1', milestones: [{ milestoneId: 'm1', title: 'Start fee deposit', dueDate: '2014-11-03', amount: 7500 }] } }, state), state);
 * console.log(summarize(state).pendingProposal?.proposalId); // p1
 * ```
 * @category Deciding
 */
export function fold(events: Iterable<JobEvent>, from: JobState = INITIAL): JobState {
  requireEvents(events);
  let working: Draft<JobState>;
  try {
    working = (from.version === 0 ? emptyState() : changeable(from)) as Draft<JobState>;
  } catch (error) {
    throw notAState(error, 'from');
  }
  for (const event of events) {
    // Trusted events are folded unchecked: what one throws is named only if it throws.
    try {
      applyEvent(working, event);
    } catch (error) {
      throw unfoldable(error, working.version + 1, event, { value: from, path: 'from' });
    }
  }
  return freezeState(working);
}

/** Rejects a command dated before the job's last event: deadlines need time to go forward (spec §7). */
function requireForwardTime(at: string, state: JobState): void {
  const last = state.job.lastAt;
  if (last !== null && compareInstants(at, last) < 0)
    fail(
      'INVALID_INPUT',
      `command at: ${at} is before the job's last event (${last}); time does not run backwards.`,
      { path: 'at', lastAt: last },
    );
}

/**
 * The checks every command passes first, `AwardJob` included: time runs forward (spec §7, when
 * `forwardTime`) and the job is open (R13). Shared by `decideValid` and the history checker.
 */
export function admitCommand(at: string, state: JobState, forwardTime: boolean): void {
  if (forwardTime) requireForwardTime(at, state);
  // After closing, every command is JOB_CLOSED (R13), AwardJob included.
  if (state.job.closedAt !== null)
    fail('JOB_CLOSED', `The job was closed at ${state.job.closedAt}; it takes no more commands.`, {
      rule: 'R13',
    });
}

/**
 * The role of a command's actor in the awarded job (every command but `AwardJob`): `NOT_AWARDED`
 * before the award, `NOT_A_PARTY` for anyone else. Shared by `decideValid` and the history checker.
 */
export function actorRole(type: JobCommand['type'], actor: string, state: JobState): ActorRole {
  const award = state.job.award;
  if (award === null)
    return fail('NOT_AWARDED', 'The job has not been awarded yet: AwardJob comes first.', {
      command: type,
    });
  return roleOf(award, actor);
}

/** The commands the platform may not issue (spec §7: its timers and its rulings only). */
export function requirePartyCommand(type: JobCommand['type'], role: ActorRole): Role {
  // The message only when it is needed: building it cost a string per command and stored event.
  if (role !== 'platform') return role;
  return requireParty(role, `issue ${type}`, 'R1');
}

/**
 * The checks a command's data alone decides and its schema does not make (an award's three
 * distinct parties, a proposal's exact total): spec §7 ranks them with the schema, before
 * `JOB_CLOSED` and everything else the state decides. Shared by `decideValid` and the history
 * checker (with the data of the event that records the command).
 */
export function checkCommandData(type: JobCommand['type'] | undefined, data: object): void {
  // An event records its command's data (history/kinds.ts names the command): the same fields.
  if (type === 'AwardJob') checkAwardParties(data as AwardJob['data']);
  else if (type === 'ProposeTerms')
    requireExactContractTotal((data as ProposeTerms['data']).milestones);
}

/**
 * Decides a command that has already been validated (the schema's defaults filled in).
 * `forwardTime: false` lets a command go back before the last event, as part one allowed: the
 * history checker's reading of a v1 history (spec §7).
 */
export function decideValid(command: JobCommand, state: JobState, forwardTime = true): JobEvent[] {
  checkCommandData(command.type, command.data);
  admitCommand(command.at, state, forwardTime);
  if (command.type === 'AwardJob') return decideAward(command, state);
  const role = actorRole(command.type, command.actor, state);
  switch (command.type) {
    case 'ProposeTerms':
    case 'AcceptTerms':
    case 'DeclineTerms':
    case 'WithdrawTerms':
      return decideTerms(command, state, requirePartyCommand(command.type, role));
    case 'FundMilestone':
    case 'ReleaseFunds':
    case 'RefundMilestone':
      return decideEscrow(command, state, requirePartyCommand(command.type, role));
    case 'SubmitWork':
    case 'RequestChanges':
    case 'CloseJob':
      return decideJob(command, state, requirePartyCommand(command.type, role));
    case 'ExpireReview':
      return decideReview(command, state, role);
    case 'OpenDispute':
    case 'ProposeSettlement':
    case 'AcceptSettlement':
    case 'EscalateDispute':
    case 'ExpireDispute':
    case 'ResolveDispute':
    case 'WithdrawDispute':
      return decideDispute(command, state, role);
    default:
      return assertNever(command, 'command');
  }
}

/**
 * Decides a command against a job's state: returns every event of the decision (the automatic
 * refunds of R8/R9 included) or throws one `DomainError`, never half a decision. The command is
 * validated first (`INVALID_INPUT`), so it may come straight from untrusted JSON.
 *
 * @example
 * ```ts
 * import { decide, initialState } from 'milestone-escrow';
 *
 * const events = decide(
 *   { type: 'AwardJob', actor: 'clara', at: '2014-11-03T09:00:00Z', data: { jobId: 'logo', title: 'Logo design', clientId: 'clara', freelancerId: 'felix', currency: 'USD' } },
 *   initialState(),
 * );
 * console.log(events[0]?.type); // JobAwarded
 * ```
 * @category Deciding
 */
export function decide(command: JobCommandInput | JobCommand, state: JobState): JobEvent[] {
  const valid = parseCommand(command);
  let events: JobEvent[];
  try {
    events = decideValid(valid, state);
  } catch (error) {
    // Only a state no fold makes (`null`, `{}`, a slice of the wrong kind) throws anything else.
    throw notAState(error, 'state');
  }
  // Events are facts: handed out frozen, so that a fold can share their data instead of copying it.
  return events.map(deepFreeze);
}

/**
 * The decider's shape: Emmett's `Decider<State, Command, Event>`.
 * @category Deciding
 */
export interface Decider<State, Command, Event> {
  /** The events a command yields in a state (none or all of them); throws to reject it. */
  decide: (command: Command, state: State) => Event[];
  /** The state after one more event. */
  evolve: (state: State, event: Event) => State;
  /** The state of a stream without events. */
  initialState: () => State;
}

/**
 * The job stream's decider, in the shape Emmett (and fmodel-ts) expect: plug it into their
 * command handlers and specifications unchanged.
 * @category Deciding
 */
export const jobDecider: Decider<JobState, JobCommandInput | JobCommand, JobEvent> = {
  decide,
  evolve,
  initialState,
};
