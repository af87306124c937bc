import * as v from 'valibot';
import { violationsOf } from '../domain/invariants.js';
import { DomainError } from '../domain/shared/errors.js';
import type { JobState } from '../domain/state.js';
import { isLibraryState } from '../domain/freeze-state.js';

/*
 * What a loaded snapshot must also be, beyond a state of the right shape (which `stateFromJson`
 * checks): idempotency records that are records, and a state that keeps the conservation laws
 * (issue 16, D5: a snapshot with `idempotency: null` made every command throw a TypeError).
 */

const Position = v.pipe(v.number(), v.safeInteger(), v.minValue(1));

const IdempotencySchema = v.array(
  v.strictObject({
    key: v.pipe(v.string(), v.minLength(1), v.maxLength(255)),
    commandHash: v.pipe(v.string(), v.regex(/^[0-9a-f]{64}$/)),
    from: Position,
    to: Position,
  }),
);

function invalid(path: string, message: string): never {
  throw new DomainError('INVALID_INPUT', `a snapshot's ${path} ${message}`, { path });
}

/** Checks a snapshot's idempotency records (keys, hashes, positions within its version); returns them as checked. */
export function checkSnapshotIdempotency(
  value: unknown,
  version: number,
): v.InferOutput<typeof IdempotencySchema> {
  const result = v.safeParse(IdempotencySchema, value, { abortEarly: true });
  if (!result.success) {
    const issue = result.issues[0];
    const at = v.getDotPath(issue);
    invalid(at === null ? 'idempotency' : `idempotency.${at}`, `is wrong: ${issue.message}`);
  }
  for (const [i, r] of result.output.entries())
    if (r.from > r.to || r.to > version)
      invalid(
        `idempotency.${String(i)}`,
        `spans positions ${String(r.from)}–${String(r.to)}, not within 1–${String(version)}`,
      );
  return result.output;
}

// States known to keep C1 and C3: checked once, or made by this process's own handler. Only
// states the library froze all the way down, which never change, so the verdict stays true; a
// load of the same snapshot object (an in-memory store hands back the state it was given) then
// costs nothing in proportion to the job instead of a walk over every funding.
const conserved = new WeakSet<JobState>();

/**
 * Records a state the handler computed itself (the state it decided on, with its own events
 * folded: what its cache keeps and decides on unchecked) as keeping the conservation laws, before
 * it saves it as a snapshot.
 */
export function trustOwnState(state: JobState): void {
  if (isLibraryState(state)) conserved.add(state);
}

/**
 * Checks that a state read from a snapshot keeps the conservation laws that hold after every
 * event (C1, C3): C2 and C4 hold after every decision, and a snapshot may sit inside one. A state
 * the library froze is checked once (see `conserved`).
 */
export function checkSnapshotConservation(state: JobState): void {
  if (conserved.has(state)) return;
  const broken = violationsOf(state).find((v) => v.rule === 'C1' || v.rule === 'C3');
  if (broken !== undefined) invalid('state', `breaks ${broken.rule}: ${broken.message}`);
  if (isLibraryState(state)) conserved.add(state);
}
