import { DomainError } from '../domain/shared/errors.js';
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

function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const keys = Object.keys(value)
      .filter((k) => (value as Record<string, unknown>)[k] !== undefined)
      .sort();
    return `{${keys.map((k) => `${JSON.stringify(k)}:${canonical((value as Record<string, unknown>)[k])}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

/** SHA-256 (hex) of a value's canonical JSON (keys sorted): what an idempotency key is compared by. */
export async function commandHash(command: unknown): Promise<string> {
  const digest = await globalThis.crypto.subtle.digest(
    'SHA-256',
    new TextEncoder().encode(canonical(command)),
  );
  return Array.from(new Uint8Array(digest), (b) => b.toString(16).padStart(2, '0')).join('');
}

/**
 * The stamp of a command sent with `key` (none without a key): the hash of `fingerprint` when the
 * caller gave one, else of the validated command. A key is 1–255 characters.
 */
export async function idempotencyStamp(
  key: string | undefined,
  command: unknown,
  fingerprint: { readonly given: boolean; readonly value: unknown },
): Promise<IdempotencyStamp | undefined> {
  if (key === undefined) return undefined;
  if (typeof key !== 'string' || key.length === 0 || key.length > 255) {
    throw new DomainError('INVALID_INPUT', 'an idempotency key is 1–255 characters', {
      path: 'idempotencyKey',
    });
  }
  return { key, hash: await commandHash(fingerprint.given ? fingerprint.value : command) };
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
