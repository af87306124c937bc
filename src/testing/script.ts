/*
 * The script writer behind the arbitraries, in src/testing/script/: the cast and the shapes of
 * a script (cast.ts), its randomness (rng.ts), the writer that keeps the job (writer.ts), and
 * what it writes: proposal lists (terms.ts), the award's policy (policy.ts), valid moves
 * (moves.ts, review.ts, dispute-moves.ts), random and malformed commands (random.ts) and attacks
 * on each rule (attacks.ts, money-attacks.ts, review.ts, dispute-attacks.ts).
 */
export {
  DEFAULT_CAST,
  type Attack,
  type Cast,
  type Intent,
  type Mix,
  type ScriptStep,
} from './script/cast.js';
export { Rng } from './script/rng.js';
export { ScriptWriter } from './script/writer.js';
