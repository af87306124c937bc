/**
 * milestone-escrow/testing: helpers to test an app built on milestone-escrow.
 *
 * - {@link given}: given/when/then specifications of the job decider, with a diff on failure;
 * - {@link escrowArbitraries}: fast-check arbitraries (terms, valid command sequences, legal
 *   histories, commands aimed at each rule), made with the caller's own fast-check;
 * - {@link verifyHistory}, {@link assertInvariants}, {@link assertHistory},
 *   {@link invariantViolations}: the history checker and the conservation laws C1–C5, for a
 *   user's own property tests;
 * - {@link logoDesign}, {@link microsoftAccess}: the seed's two jobs as ready histories.
 *
 * Nothing here imports fast-check at run time: it is an optional peer dependency, needed only
 * to run the arbitraries.
 * @packageDocumentation
 * @module milestone-escrow/testing
 */
export {
  given,
  decideAll,
  type GivenJob,
  type GivenOptions,
  type WhenCommand,
  type Decided,
} from './given.js';
export { EscrowAssertionError } from './assertion.js';
export { invariantViolations, type InvariantViolation } from '../domain/invariants.js';
export {
  assertInvariants,
  assertHistory,
  verifyHistory,
  InvariantAssertionError,
  INVARIANT_RULES,
  EVERY_EVENT_RULES,
  type InvariantRule,
  type AssertInvariantsOptions,
} from './invariants.js';
export {
  escrowArbitraries,
  type EscrowArbitraries,
  type FastCheck,
  type Arbitrary,
  type SequenceOptions,
  type ScriptOptions,
  type TermsOptions,
  type GeneratedHistory,
  type GeneratedScript,
  type GeneratedStep,
  type InvalidCommandCase,
} from './arbitraries.js';
export { DEFAULT_CAST, type Cast, type Intent } from './script.js';
export {
  logoDesign,
  microsoftAccess,
  type JobFixture,
  type FixtureStage,
  type LogoDesignStage,
  type MicrosoftAccessStage,
} from './fixtures.js';
