/*
 * A tiny given/when/then for the job decider, local to the rule tests, plus the seed's two jobs
 * (spec §6) as command and event builders. Events are compared with deep (strict) equality.
 */
import { expect } from 'vitest';
import {
  decide,
  fold,
  isDomainError,
  type DomainError,
  type ErrorCode,
  type JobCommandInput,
  type JobEvent,
  type JobState,
  type Milestone,
  type RefundReason,
  type Role,
} from '../../src/index.js';
import { DEFAULT_POLICY, type Policy } from '../../src/domain/job/policy.js';
import { logoDesign, microsoftAccess } from '../../src/testing/index.js';
import { ACCESS_JOB, SEED_CARD, SEED_PAYPAL } from '../../src/testing/seed.js';

// The parties: the seed's cast (src/testing/seed.ts). A stranger is anybody else.
export const CLIENT = logoDesign.clientId;
export const FREELANCER = logoDesign.freelancerId;
export const STRANGER = 'stranger-bob';

/** The award date of both seed jobs; the logo job's start fee is due that day. */
export const AWARD_AT = '2014-11-03T09:00:00Z';
/** The instant every command below carries unless told otherwise. */
export const AT = '2014-11-03T10:00:00Z';

export const VISA = SEED_CARD;
export const PAYPAL = SEED_PAYPAL;
export const AMEX = 'card:amex-0005';

/** A role (`client`, `freelancer`), standing for the seed's party, or any party id. */
type Party = string;
function actorOf(party: Party): string {
  if (party === 'client') return CLIENT;
  if (party === 'freelancer') return FREELANCER;
  return party;
}

// ---------------------------------------------------------------------------------------------
// The seed's two jobs (spec §6)

export const LOGO = {
  jobId: logoDesign.jobId,
  title: logoDesign.title,
  clientId: CLIENT,
  freelancerId: FREELANCER,
  currency: logoDesign.currency,
} as const;
export const ACCESS = ACCESS_JOB;

export const LOGO_MILESTONES: readonly Milestone[] = logoDesign.terms;

export const ACCESS_MILESTONES: readonly Milestone[] = microsoftAccess.terms;

/** A milestone of the seed job, with some fields changed. */
export function milestone(
  from: readonly Milestone[],
  id: string,
  changes: Partial<Milestone> = {},
): Milestone {
  const m = from.find((x) => x.milestoneId === id);
  if (m === undefined) throw new Error(`no milestone ${id}`);
  return { ...m, ...changes };
}

/** The milestone list with one milestone changed. */
export function changed(
  from: readonly Milestone[],
  id: string,
  changes: Partial<Milestone>,
): Milestone[] {
  return from.map((m) => (m.milestoneId === id ? { ...m, ...changes } : { ...m }));
}

/** The milestone list without some milestones. */
export function without(from: readonly Milestone[], ...ids: string[]): Milestone[] {
  return from.filter((m) => !ids.includes(m.milestoneId)).map((m) => ({ ...m }));
}

// ---------------------------------------------------------------------------------------------
// Commands

export const cmd = {
  award(
    job: {
      jobId: string;
      title: string;
      clientId: string;
      freelancerId: string;
      currency: string;
    } = LOGO,
    actor: string = job.clientId,
    at = AWARD_AT,
  ): JobCommandInput {
    return { type: 'AwardJob', actor, at, data: { ...job } };
  },
  propose(
    by: Party,
    proposalId: string,
    milestones: readonly Milestone[],
    at = AT,
  ): JobCommandInput {
    return {
      type: 'ProposeTerms',
      actor: actorOf(by),
      at,
      data: { proposalId, milestones: milestones.map((m) => ({ ...m })) },
    };
  },
  accept(by: Party, proposalId: string, at = AT): JobCommandInput {
    return { type: 'AcceptTerms', actor: actorOf(by), at, data: { proposalId } };
  },
  decline(by: Party, proposalId: string, reason?: string, at = AT): JobCommandInput {
    return {
      type: 'DeclineTerms',
      actor: actorOf(by),
      at,
      data: reason === undefined ? { proposalId } : { proposalId, reason },
    };
  },
  withdraw(by: Party, proposalId: string, at = AT): JobCommandInput {
    return { type: 'WithdrawTerms', actor: actorOf(by), at, data: { proposalId } };
  },
  fund(
    milestoneId: string,
    fundingId: string,
    source: string = VISA,
    extra: { comment?: string; amount?: number; by?: Party; at?: string } = {},
  ): JobCommandInput {
    const { by = 'client', at = AT, ...rest } = extra;
    return {
      type: 'FundMilestone',
      actor: actorOf(by),
      at,
      data: { milestoneId, fundingId, source, ...rest },
    };
  },
  release(milestoneId: string, by: Party = 'client', at = AT): JobCommandInput {
    return { type: 'ReleaseFunds', actor: actorOf(by), at, data: { milestoneId } };
  },
  refund(milestoneId: string, by: Party = 'freelancer', at = AT): JobCommandInput {
    return { type: 'RefundMilestone', actor: actorOf(by), at, data: { milestoneId } };
  },
  submit(milestoneId: string, note?: string, by: Party = 'freelancer', at = AT): JobCommandInput {
    return {
      type: 'SubmitWork',
      actor: actorOf(by),
      at,
      data: note === undefined ? { milestoneId } : { milestoneId, note },
    };
  },
  requestChanges(
    milestoneId: string,
    note?: string,
    by: Party = 'client',
    at = AT,
  ): JobCommandInput {
    return {
      type: 'RequestChanges',
      actor: actorOf(by),
      at,
      data: note === undefined ? { milestoneId } : { milestoneId, note },
    };
  },
  close(reason?: string, by: Party = 'client', at = AT): JobCommandInput {
    return {
      type: 'CloseJob',
      actor: actorOf(by),
      at,
      data: reason === undefined ? {} : { reason },
    };
  },
};

// ---------------------------------------------------------------------------------------------
// Events

export const ev = {
  awarded(
    job: {
      jobId: string;
      title: string;
      clientId: string;
      freelancerId: string;
      currency: string;
    } = LOGO,
    at = AWARD_AT,
    policy: Policy = DEFAULT_POLICY,
  ): JobEvent {
    // Part two: the award records the whole policy, the defaults filled in (spec §7).
    return { type: 'JobAwarded', data: { ...job, policy, at } };
  },
  proposed(by: Role, proposalId: string, milestones: readonly Milestone[], at = AT): JobEvent {
    return {
      type: 'TermsProposed',
      data: { proposalId, by, milestones: milestones.map((m) => ({ ...m })), at },
    };
  },
  accepted(by: Role, proposalId: string, at = AT): JobEvent {
    return { type: 'TermsAccepted', data: { proposalId, by, at } };
  },
  declined(by: Role, proposalId: string, reason?: string, at = AT): JobEvent {
    return {
      type: 'TermsDeclined',
      data: reason === undefined ? { proposalId, by, at } : { proposalId, by, reason, at },
    };
  },
  withdrawn(by: Role, proposalId: string, at = AT): JobEvent {
    return { type: 'TermsWithdrawn', data: { proposalId, by, at } };
  },
  funded(
    milestoneId: string,
    fundingId: string,
    amount: number,
    source: string = VISA,
    comment?: string,
    at = AT,
  ): JobEvent {
    const data = { milestoneId, fundingId, amount, source, at };
    return { type: 'MilestoneFunded', data: comment === undefined ? data : { ...data, comment } };
  },
  released(milestoneId: string, amount: number, at = AT, fee = 0): JobEvent {
    // Part two: every release carries the platform's fee (R22), 0 without a fee policy.
    return { type: 'FundsReleased', data: { milestoneId, amount, fee, at } };
  },
  refunded(
    milestoneId: string,
    fundingId: string,
    amount: number,
    source: string,
    reason: RefundReason,
    at = AT,
  ): JobEvent {
    return { type: 'FundsRefunded', data: { milestoneId, fundingId, amount, source, reason, at } };
  },
  submitted(milestoneId: string, note?: string, at = AT): JobEvent {
    return {
      type: 'WorkSubmitted',
      data: note === undefined ? { milestoneId, at } : { milestoneId, note, at },
    };
  },
  changesRequested(milestoneId: string, note?: string, at = AT): JobEvent {
    return {
      type: 'ChangesRequested',
      data: note === undefined ? { milestoneId, at } : { milestoneId, note, at },
    };
  },
  closed(reason?: string, at = AT): JobEvent {
    return {
      type: 'JobClosed',
      data: reason === undefined ? { by: 'client', at } : { by: 'client', reason, at },
    };
  },
};

// ---------------------------------------------------------------------------------------------
// Running commands

/** Decides the commands one after another from `history` and returns the whole history. */
export function play(history: readonly JobEvent[], ...commands: JobCommandInput[]): JobEvent[] {
  const events = [...history];
  let state = fold(events);
  for (const command of commands) {
    const decided = decide(command, state);
    events.push(...decided);
    state = fold(decided, state);
  }
  return events;
}

/** Both seed jobs, awarded. */
export const awardedLogo = (): JobEvent[] => play([], cmd.award(LOGO));
export const awardedAccess = (): JobEvent[] => play([], cmd.award(ACCESS));

/** The logo job with the seed's terms active (client proposed `p1`, freelancer accepted). */
export const activeLogo = (): JobEvent[] =>
  play(awardedLogo(), cmd.propose('client', 'p1', LOGO_MILESTONES), cmd.accept('freelancer', 'p1'));
/** The Access job with the seed's terms active. */
export const activeAccess = (): JobEvent[] =>
  play(
    awardedAccess(),
    cmd.propose('client', 'p1', ACCESS_MILESTONES),
    cmd.accept('freelancer', 'p1'),
  );

/** Calls `fn` and returns the `DomainError` it throws (failing the test if it throws nothing else). */
export function caught(fn: () => unknown): DomainError {
  try {
    fn();
  } catch (error) {
    if (isDomainError(error)) return error;
    throw error;
  }
  throw new Error('expected a DomainError, but nothing was thrown');
}

export interface Then {
  /** The decision is exactly these events (deep equality, in order). */
  then(expected: readonly JobEvent[]): JobEvent[];
  /** The command is rejected with `code` (and `details` containing these entries), deciding nothing. */
  thenFails(code: ErrorCode, details?: Record<string, unknown>): DomainError;
}

/**
 * Given a history, when a command is decided, then these events (or this error).
 * A rejection also checks all-or-nothing: the state is left exactly as it was.
 */
export function given(history: readonly JobEvent[]): {
  state: JobState;
  when(command: JobCommandInput): Then;
} {
  const state = fold(history);
  return {
    state,
    when(command) {
      return {
        then(expected) {
          const actual = decide(command, state);
          expect(actual).toStrictEqual(expected);
          return actual;
        },
        thenFails(code, details) {
          const before = JSON.stringify(state);
          let result: JobEvent[] | undefined;
          const error = caught(() => {
            result = decide(command, state);
          });
          expect(result).toBeUndefined();
          expect({ code: error.code, message: error.message }).toMatchObject({
            code,
            message: expect.any(String) as string,
          });
          if (details !== undefined) expect(error.details).toMatchObject(details);
          expect(JSON.stringify(state)).toBe(before);
          return error;
        },
      };
    },
  };
}
