import { DomainError } from '../domain/shared/errors.js';
import { canonicalJson } from './fingerprint.js';
import type { IdempotencyRecord } from '../store/snapshots.js';

/*
 * Idempotency keys: a key names one decision on one stream. The handler stamps the key and the
 * hash of what it is compared by on every event of the decision; a later command with the same
 * key returns the first result when its hash matches, and is `IDEMPOTENCY_KEY_REUSED` otherwise.
 */

/** A command's key and the hash it is compared by. */
export interface IdempotencyStamp {
  readonly key: string;
  readonly hash: string;
}

/**
 * SHA-256 (hex) of a value's canonical JSON (keys sorted): what an idempotency key is compared
 * by. The value must be plain JSON data; anything else (`undefined`, a `Date`, a `Map`, `NaN`, a
 * BigInt, a cycle, a getter) is `INVALID_INPUT`, so that two different values never hash alike.
 * @category Command handler
 */
export async function commandHash(command: unknown): Promise<string> {
  const text = canonicalJson(command);
  const digest = await globalThis.crypto.subtle.digest('SHA-256', new TextEncoder().encode(text));
  return Array.from(new Uint8Array(digest), (b) => b.toString(16).padStart(2, '0')).join('');
}

/**
 * The stamp of a command sent with `key` (none without a key; `readHandleOptions` checked it): the
 * hash of `fingerprint` when the caller gave one (an explicit `undefined` is none), else of the
 * validated command.
 */
export async function idempotencyStamp(
  key: string | undefined,
  command: unknown,
  fingerprint: { readonly given: boolean; readonly value: unknown },
): Promise<IdempotencyStamp | undefined> {
  if (key === undefined) return undefined;
  // `{ idempotencyFingerprint: undefined }` hashed like nothing at all: a release under a
  // funding's key was answered as that funding.
  const byFingerprint = fingerprint.given && fingerprint.value !== undefined;
  return { key, hash: await commandHash(byFingerprint ? fingerprint.value : command) };
}

/** The metadata keys a stamped decision records on each of its events. */
export function stampMetadata(
  stamp: IdempotencyStamp | undefined,
): { readonly idempotencyKey: string; readonly commandHash: string } | Record<string, never> {
  return stamp === undefined ? {} : { idempotencyKey: stamp.key, commandHash: stamp.hash };
}

/**
 * The first decision made under the stamp's key on this stream, if any; the same key with a
 * different command is `IDEMPOTENCY_KEY_REUSED`.
 */
export function firstDecision(
  seen: ReadonlyMap<string, IdempotencyRecord>,
  stamp: IdempotencyStamp | undefined,
): IdempotencyRecord | undefined {
  if (stamp === undefined) return undefined;
  const first = seen.get(stamp.key);
  if (first === undefined || first.commandHash === stamp.hash) return first;
  throw new DomainError(
    'IDEMPOTENCY_KEY_REUSED',
    `idempotency key ${stamp.key} was used for a different command on this job`,
    { idempotencyKey: stamp.key, firstPosition: first.from },
  );
}
