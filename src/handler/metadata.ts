import { DomainError } from '../domain/shared/errors.js';
import { isRecord, thrownText } from '../domain/shared/parse.js';
import { RESERVED_METADATA_KEYS } from '../domain/shared/schema.js';

/*
 * The metadata a caller adds to a decision's events (`options.metadata`): the app's own keys only.
 */

/**
 * Metadata keys the handler or the store writes: `options.metadata` cannot set them (an
 * `idempotencyKey` and `commandHash` given there planted a fake idempotency record).
 */
export const OWNED_METADATA_KEYS = [
  'idempotencyKey',
  'commandHash',
  'commandId',
  'correlationId',
  'causationId',
  'schemaVersion',
  'eventId',
  'streamId',
  'streamPosition',
  'globalPosition',
  'recordedAt',
] as const;

function refuse(key: string): never {
  const reserved = (RESERVED_METADATA_KEYS as readonly string[]).includes(key);
  throw new DomainError(
    'INVALID_INPUT',
    reserved
      ? `the metadata key ${key} is reserved (${RESERVED_METADATA_KEYS.join(', ')} are refused)`
      : `the metadata key ${key} is the handler's or the store's to write: use the handler's options (idempotencyKey, commandId, correlationId, causationId), not options.metadata`,
    { path: `metadata.${key}` },
  );
}

/** The caller's extra metadata, checked: a plain object without the keys others own. */
export function extraMetadata(metadata: unknown): Readonly<Record<string, unknown>> {
  if (metadata === undefined) return {};
  if (!isRecord(metadata))
    throw new DomainError('INVALID_INPUT', 'options.metadata is an object of your own keys', {
      path: 'metadata',
    });
  // Copied here, once, where a throwing getter (or proxy) is bad input, as the stores treat it;
  // spread later, it threw the caller's own error out of handle(). The keys are checked on the
  // copy: asking a revoked proxy was a TypeError (and only what is copied is written).
  let copy: Record<string, unknown>;
  try {
    copy = { ...metadata };
  } catch (error) {
    throw new DomainError(
      'INVALID_INPUT',
      `options.metadata cannot be read as data: ${thrownText(error)}`,
      { path: 'metadata' },
    );
  }
  for (const key of [...OWNED_METADATA_KEYS, ...RESERVED_METADATA_KEYS])
    if (Object.prototype.hasOwnProperty.call(copy, key)) refuse(key);
  return copy;
}
