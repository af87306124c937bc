import { fail } from '../domain/shared/errors.js';
import { describe, isRecord, thrownText } from '../domain/shared/parse.js';
import { isWellFormed } from '../domain/shared/schema.js';
import {
  booleanOption,
  countOption,
  functionOption,
  objectOption,
  optionalFunctionOption,
  readOptions,
  retriesOption,
  sizeOption,
  nameOption,
} from '../shared/options.js';
import { JOB_SNAPSHOT_VERSION } from '../store/snapshots.js';
import { currentUpcasters } from '../upcasting/upcasters.js';
import type { CommandHandlerOptions, HandleOptions } from './command-handler.js';

/** `handle`'s options, read once, and whether an `idempotencyFingerprint` was given at all. */
export type ReadHandleOptions = {
  readonly [K in keyof HandleOptions]-?: HandleOptions[K] | undefined;
} & { readonly fingerprintGiven: boolean };

/**
 * `handle`'s third argument read once into plain values: anything but an object (or nothing) is
 * `INVALID_INPUT` (a string was a TypeError from the `in` below, `null` one from reading a key),
 * and a getter or proxy that throws while read is bad input, as `options.metadata`'s is.
 */
export function readHandleOptions(given: unknown): ReadHandleOptions {
  const value = given ?? {};
  if (given === null || !isRecord(value))
    return fail(
      'INVALID_INPUT',
      `handle's options must be an object such as { idempotencyKey } (or left out), not ${describe(given)}`,
      { path: 'options' },
    );
  let read: ReadHandleOptions;
  try {
    const o = value as HandleOptions;
    read = {
      idempotencyKey: o.idempotencyKey,
      idempotencyFingerprint: o.idempotencyFingerprint,
      fingerprintGiven: 'idempotencyFingerprint' in o,
      correlationId: o.correlationId,
      causationId: o.causationId,
      commandId: o.commandId,
      expectedVersion: o.expectedVersion,
      metadata: o.metadata,
    };
  } catch (error) {
    return fail('INVALID_INPUT', `handle's options cannot be read: ${thrownText(error)}`, {
      path: 'options',
    });
  }
  for (const name of ['idempotencyKey', 'commandId', 'correlationId', 'causationId'] as const)
    if (read[name] !== undefined) messageId(read[name], name);
  return read;
}

/** The longest idempotency key, command, correlation or causation id. */
const MAX_MESSAGE_ID_LENGTH = 255;

/**
 * An idempotency key, or a command, correlation or causation id (given, or made by `newId`): a
 * string of 1–255 characters of well-formed text without U+0000. Unchecked, a Symbol was dropped
 * from the events' metadata (the decision's `commandId`, which marks its boundary, went missing),
 * an object or a number was recorded as it was, and a BigInt, a U+0000 or a lone surrogate was
 * blamed on `events.0.metadata` (every store refuses the last two there).
 */
export function messageId(value: unknown, path: string): string {
  if (
    typeof value === 'string' &&
    value.length > 0 &&
    value.length <= MAX_MESSAGE_ID_LENGTH &&
    isWellFormed(value) &&
    !value.includes('\0')
  )
    return value;
  return fail(
    'INVALID_INPUT',
    `${path} must be 1–${String(MAX_MESSAGE_ID_LENGTH)} characters of well-formed text without U+0000, not ${describe(value)}`,
    { path },
  );
}

/** Every option {@link createCommandHandler} reads, each once (a getter is never read twice). */
const HANDLER_OPTIONS = [
  'store',
  'maxRetries',
  'retryDelayMs',
  'streamIdOf',
  'upcasters',
  'snapshots',
  'snapshotEvery',
  'snapshotVersion',
  'cacheSize',
  'onSnapshotError',
  'now',
  'newId',
  'verify',
] as const satisfies readonly (keyof CommandHandlerOptions)[];

/**
 * The handler's options with their defaults, each read once and checked: a bad one is
 * `INVALID_INPUT` naming it at creation, not a TypeError at the first command (or a loop that
 * never retries).
 */
export function checkHandlerOptions(given: CommandHandlerOptions) {
  const options = readOptions(given, HANDLER_OPTIONS, 'store');
  for (const name of ['retryDelayMs', 'onSnapshotError', 'now'] as const)
    optionalFunctionOption(options[name], name);
  if (options.snapshots !== undefined)
    objectOption(options.snapshots, 'snapshots', 'a snapshot store', ['load', 'save']);
  return {
    store: objectOption(options.store, 'store', 'an event store', ['readStream', 'appendToStream']),
    maxRetries: retriesOption(options.maxRetries ?? 3, 'maxRetries'),
    retryDelayMs: options.retryDelayMs,
    upcasters: objectOption(options.upcasters ?? currentUpcasters, 'upcasters', 'upcasters', [
      'upcast',
      'currentVersion',
    ]),
    streamIdOf: functionOption(
      options.streamIdOf ?? ((jobId: string) => `job-${jobId}`),
      'streamIdOf',
    ),
    snapshotVersion: nameOption(options.snapshotVersion ?? JOB_SNAPSHOT_VERSION, 'snapshotVersion'),
    newId: functionOption(options.newId ?? (() => globalThis.crypto.randomUUID()), 'newId'),
    snapshots: options.snapshots,
    snapshotEvery: countOption(options.snapshotEvery ?? 100, 'snapshotEvery'),
    cacheSize: sizeOption(options.cacheSize ?? 100, 'cacheSize'),
    now: options.now ?? (() => new Date().toISOString()),
    onSnapshotError: options.onSnapshotError,
    verify: booleanOption(options.verify, 'verify', false),
  };
}
