import {
  JOB_COMMAND_TYPES,
  type JobCommandInput,
  type JobCommandType,
} from '../../domain/commands.js';
import type { ErrorCode, RuleId } from '../../domain/shared/errors.js';
import { SEED_CARD, SEED_CAST, SEED_PAYPAL } from '../seed.js';

/*
 * The cast and the shapes of a script: who plays in a generated job, why each command was
 * written, and the command types the writer draws from.
 */

/** The parties (and the outsider) of generated jobs, and the constants of their commands. */
export interface Cast {
  readonly jobId: string;
  readonly title: string;
  readonly clientId: string;
  readonly freelancerId: string;
  /** A party of neither side: every command of theirs is `NOT_A_PARTY`. */
  readonly strangerId: string;
  readonly currency: string;
  /** The payment sources the client funds from (at least one). */
  readonly sources: readonly string[];
  /** The instant of the first command (`YYYY-MM-DDTHH:MM:SSZ`); each step is a minute later. */
  readonly start: string;
}

/**
 * The cast generated jobs use unless told otherwise: the seed's client and freelancer (`clara`,
 * `felix`) and the client's payment sources, on a job of their own (`job-1`).
 */
export const DEFAULT_CAST: Cast = Object.freeze({
  jobId: 'job-1',
  title: 'Logo design',
  clientId: SEED_CAST.client,
  freelancerId: SEED_CAST.freelancer,
  strangerId: 'stranger-1',
  currency: 'USD',
  sources: Object.freeze([SEED_CARD, 'card:mc-5454', SEED_PAYPAL]),
  start: '2014-11-03T09:00:00Z',
});

/** Why a generated command was written: to be accepted, to break one rule, or at random. */
export type Intent =
  | { readonly kind: 'valid' }
  | {
      readonly kind: 'invalid';
      readonly code: ErrorCode;
      readonly rule: RuleId | 'spec §1' | 'spec §4' | 'spec §7';
      readonly aim: string;
    }
  | { readonly kind: 'random' };

/**
 * One generated command with the intent it was written with. `command` may be malformed JSON.
 * @inline
 */
export interface ScriptStep {
  readonly command: unknown;
  readonly intent: Intent;
}

/** An attack: a command and the rejection `decide` owes it. */
export interface Attack {
  readonly command: unknown;
  readonly code: ErrorCode;
  readonly rule: RuleId | 'spec §1' | 'spec §4' | 'spec §7';
  readonly aim: string;
}

/** A command of one type, as a caller writes it. */
export type InputOf<T extends JobCommandType> = Extract<JobCommandInput, { type: T }>;

/** Every command type, in the order the random commands pick from: the domain's list. */
export const COMMAND_TYPES: readonly JobCommandType[] = JOB_COMMAND_TYPES;

/** The shares of a mixed script: the rest of the steps are valid moves. */
export interface Mix {
  /** Share of steps that attack one rule (0–1). */
  readonly invalid: number;
  /** Share of steps that are random commands (0–1). */
  readonly random: number;
}
