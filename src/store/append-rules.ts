import { DomainError, fail } from '../domain/shared/errors.js';
import { excerpt, isArraySafe, isInstance, isRecord, thrownText } from '../domain/shared/parse.js';
import { RESERVED_METADATA_KEYS } from '../domain/shared/schema.js';
import type { EventToAppend, ExpectedVersion } from './port.js';

/*
 * The checks every store makes before an append, shared so that the in-memory store and any
 * other (PostgreSQL, the user's own) reject the same inputs with the same errors.
 */

/**
 * Throws `INVALID_INPUT` unless `expected` is `'no-stream'`, `'any'` or an integer from 0 to
 * {@link MAX_STREAM_VERSION} (PostgreSQL's positions are `integer`: 2^31 failed there with a
 * driver error while the in-memory store called it a conflict).
 */
export function checkExpectedVersion(expected: unknown): asserts expected is ExpectedVersion {
  if (expected === 'no-stream' || expected === 'any') return;
  if (
    typeof expected === 'number' &&
    Number.isSafeInteger(expected) &&
    expected >= 0 &&
    expected <= MAX_STREAM_VERSION
  )
    return;
  fail(
    'INVALID_INPUT',
    `expectedVersion must be 'no-stream', 'any' or an integer from 0 to ${String(MAX_STREAM_VERSION)}, not ${describe(expected)}`,
    {
      path: 'expectedVersion',
    },
  );
}

/** True when a stream at `actual` satisfies `expected`. */
export function versionMatches(expected: ExpectedVersion, actual: number): boolean {
  if (expected === 'any') return true;
  if (expected === 'no-stream') return actual === 0;
  return expected === actual;
}

/** The error a store throws when a stream is not at the expected version. */
export function concurrencyConflict(
  streamId: string,
  expectedVersion: ExpectedVersion,
  actualVersion?: number,
): DomainError {
  // A store's own values, written as they are; anything else (a Symbol made String() throw a
  // TypeError) as its JSON text.
  const shown = (v: unknown) =>
    typeof v === 'string' || typeof v === 'number' ? String(v) : describe(v);
  const actual = actualVersion === undefined ? '' : `, it is at ${shown(actualVersion)}`;
  return new DomainError(
    'CONCURRENCY_CONFLICT',
    `stream ${shown(streamId)} was expected at version ${shown(expectedVersion)}${actual}`,
    {
      streamId,
      expectedVersion,
      ...(actualVersion === undefined ? {} : { actualVersion }),
    },
  );
}

/** Keys of the recorded metadata the store fills in: a caller's values for them are replaced. */
export const STORE_METADATA_KEYS: ReadonlySet<string> = new Set([
  'eventId',
  'streamId',
  'streamPosition',
  'globalPosition',
  'schemaVersion',
  'recordedAt',
]);

/** An event checked and written as the JSON every store keeps. */
export interface StorableEvent {
  readonly type: string;
  /** The event's data as JSON text (`null` for none). */
  readonly data: string;
  /** The caller's metadata as JSON text, without the keys the store fills in. */
  readonly metadata: string;
  /** `metadata.schemaVersion`, 1 by default. */
  readonly schemaVersion: number;
}

function prepareEvent(event: unknown, i: number): StorableEvent {
  const at = `events.${String(i)}`;
  const e = event as EventToAppend | null;
  // Read once: a getter's second answer (a number) was stored unchecked.
  const type: unknown = typeof e === 'object' && e !== null ? e.type : undefined;
  if (typeof type !== 'string' || type === '')
    fail('INVALID_INPUT', `${at}.type must be a non-empty string`, { path: `${at}.type` });
  if (UNSTORABLE.test(type))
    fail('INVALID_INPUT', `${at}.type must be well-formed text without U+0000`, {
      path: `${at}.type`,
    });
  const metadata: unknown = (e as EventToAppend).metadata ?? {};
  if (!isRecord(metadata))
    fail('INVALID_INPUT', `${at}.metadata must be an object`, { path: `${at}.metadata` });
  const reserved = RESERVED_METADATA_KEYS.find((k) =>
    Object.prototype.hasOwnProperty.call(metadata, k),
  );
  if (reserved !== undefined)
    fail(
      'INVALID_INPUT',
      `${at}.metadata key ${reserved} is reserved (${RESERVED_METADATA_KEYS.join(', ')} are refused)`,
      { path: `${at}.metadata.${reserved}` },
    );
  const { schemaVersion = 1, ...rest } = metadata as { schemaVersion?: unknown };
  if (!(
    Number.isSafeInteger(schemaVersion) &&
    (schemaVersion as number) >= 1 &&
    (schemaVersion as number) <= MAX_STREAM_VERSION
  )) {
    fail(
      'INVALID_INPUT',
      `${at}.metadata.schemaVersion must be an integer from 1 to ${String(MAX_STREAM_VERSION)}`,
      { path: `${at}.metadata.schemaVersion` },
    );
  }
  const kept: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(rest))
    if (!STORE_METADATA_KEYS.has(key)) kept[key] = value;
  return {
    type,
    data: storableJson((e as EventToAppend).data, `${at}.data`),
    metadata: storableJson(kept, `${at}.metadata`),
    schemaVersion: schemaVersion as number,
  };
}

/**
 * Checks an append as every store must, and writes each event's data and metadata as the JSON
 * text every store keeps: a valid stream id ({@link checkStreamId}), an expected version
 * ({@link checkExpectedVersion}), and events with a type and storable JSON ({@link storableJson};
 * reserved metadata keys and schema versions outside 1 to 2^31 - 1 refused). Throws
 * `INVALID_INPUT`; a store that uses it rejects exactly what the others reject.
 */
export function prepareAppend(
  streamId: unknown,
  events: unknown,
  expectedVersion: unknown,
): StorableEvent[] {
  checkStreamId(streamId);
  checkExpectedVersion(expectedVersion);
  // isArraySafe: `Array.isArray` of a revoked proxy is a TypeError.
  if (!isArraySafe(events)) fail('INVALID_INPUT', 'events must be an array', { path: 'events' });
  try {
    // By index, not `map`: a hole in a sparse array (`[, event]`) is a missing event, where
    // `map` skipped it and a store kept `undefined` at its position.
    const storable: StorableEvent[] = [];
    const list = events as readonly unknown[];
    for (let i = 0; i < list.length; i++) storable.push(prepareEvent(list[i], i));
    return storable;
  } catch (error) {
    if (isInstance(error, DomainError)) throw error;
    // A proxy or a getter that throws while its keys are read: not data a store can keep.
    return fail('INVALID_INPUT', `events cannot be read as data: ${thrownText(error)}`, {
      path: 'events',
    });
  }
}

/**
 * An append's expected version, read once from its options (a store uses this value, not another
 * read: a getter may answer otherwise): options that are not an object, or whose reading throws,
 * are `INVALID_INPUT`, where they were a TypeError or the getter's own error.
 */
export function expectedVersionOf(options: unknown): unknown {
  if (typeof options !== 'object' || options === null)
    fail(
      'INVALID_INPUT',
      `the append options must be { expectedVersion }, not ${describe(options)}`,
      {
        path: 'options',
      },
    );
  try {
    return (options as { expectedVersion?: unknown }).expectedVersion;
  } catch (error) {
    return fail('INVALID_INPUT', `the append options cannot be read: ${thrownText(error)}`, {
      path: 'options',
    });
  }
}

/**
 * Throws `INVALID_INPUT` for a stream id or an event no store can keep (see
 * {@link prepareAppend}, which also gives the JSON text to store).
 */
export function checkAppend(streamId: unknown, events: readonly EventToAppend[]): void {
  checkStreamId(streamId);
  // isArraySafe: `Array.isArray` of a revoked proxy is a TypeError.
  if (!isArraySafe(events)) fail('INVALID_INPUT', 'events must be an array', { path: 'events' });
  prepareAppend(streamId, events, 'any');
}

/** The longest stream id every store accepts (PostgreSQL indexes it; 255 UTF-16 units). */
export const MAX_STREAM_ID_LENGTH = 255;

/** The highest stream version and position (PostgreSQL's `integer`): 2,147,483,647. */
export const MAX_STREAM_VERSION = 2_147_483_647;

/** How deep event data and metadata may nest (objects and arrays). */
export const MAX_JSON_DEPTH = 256;

// A NUL, or a surrogate that is not half of a pair (with `u`, a pair is one code point).
const UNSTORABLE = /\0|\p{Cs}/u;
// In JSON.stringify's text: an escaped NUL or lone surrogate (not an escaped backslash before u).
const UNSTORABLE_ESCAPE = /(?<!\\)(?:\\\\)*\\u(?:0000|d[89a-f][0-9a-f]{2})/;

/** A value as its JSON text (cut when long), in a message. */
function describe(value: unknown): string {
  if (typeof value === 'bigint') return excerpt(`${String(value)}n`);
  try {
    // JSON.stringify gives undefined for a function or a symbol (its type says string).
    const text: unknown = JSON.stringify(value);
    return excerpt(typeof text === 'string' ? text : String(value));
  } catch {
    // [Symbol(), 0n]: JSON throws on the BigInt and String on the symbol (found by the fuzz suite).
    return printedTag(value);
  }
}

/** `[object Array]`; a revoked proxy or one whose traps throw cannot say even that. */
function printedTag(value: unknown): string {
  try {
    return Object.prototype.toString.call(value);
  } catch {
    return 'a value that cannot be printed';
  }
}

/**
 * Throws `INVALID_INPUT` unless `streamId` is an id every store can keep as it is: 1–255
 * characters of well-formed text without U+0000 (PostgreSQL turns a lone surrogate into U+FFFD,
 * so two ids would name one stream, and refuses U+0000).
 */
export function checkStreamId(streamId: unknown): asserts streamId is string {
  // One parameter: `ids.forEach(checkStreamId)` must not name its errors by the index.
  checkStreamIdAt(streamId, 'streamId');
}

/** {@link checkStreamId}, naming the id `path` (`snapshot.streamId`, as a snapshot's fields are). */
export function checkStreamIdAt(streamId: unknown, path: string): asserts streamId is string {
  if (typeof streamId !== 'string' || streamId === '')
    fail('INVALID_INPUT', `${path} must be a non-empty string, not ${describe(streamId)}`, {
      path,
    });
  if (streamId.length > MAX_STREAM_ID_LENGTH)
    fail(
      'INVALID_INPUT',
      `${path} is at most ${String(MAX_STREAM_ID_LENGTH)} characters (this one has ${String(streamId.length)})`,
      { path },
    );
  if (UNSTORABLE.test(streamId))
    fail(
      'INVALID_INPUT',
      `${path} must be well-formed text without U+0000 (a lone surrogate or a NUL cannot be stored)`,
      { path },
    );
}

/** True for a stream id every store can keep ({@link checkStreamId} without its error). */
export function isStreamId(streamId: unknown): boolean {
  try {
    checkStreamId(streamId);
    return true;
  } catch {
    return false;
  }
}

function checkBound(value: unknown, name: string): number | undefined {
  if (value === undefined || (Number.isSafeInteger(value) && (value as number) >= 0))
    return value as number | undefined;
  return fail('INVALID_INPUT', `${name} must be a non-negative integer, not ${describe(value)}`, {
    path: name,
  });
}

/** A read's bounds, as {@link checkReadStream} and {@link checkReadAll} read them once. */
export interface ReadBounds {
  /** Events after this position (0: from the start). */
  readonly after: number;
  /** Up to this position, if given (`readStream` only). */
  readonly to: number | undefined;
}

/**
 * Throws `INVALID_INPUT` unless a `readStream` call is well-formed: a valid stream id, and
 * bounds `after` and `to` that are absent or non-negative integers (`1.5`, `NaN`, `-1` are not).
 * Returns the bounds as read, once: a store reads with these (a getter may answer otherwise).
 */
export function checkReadStream(streamId: unknown, options: unknown): ReadBounds {
  checkStreamId(streamId);
  return checkReadOptions(options, true);
}

/**
 * Throws `INVALID_INPUT` unless `readAll`'s `after` is absent or a non-negative integer; returns
 * the bounds as read.
 */
export function checkReadAll(options: unknown): ReadBounds {
  return checkReadOptions(options, false);
}

function checkReadOptions(options: unknown, withTo: boolean): ReadBounds {
  if (options === undefined) return { after: 0, to: undefined };
  // An array too: it read as no options (the whole stream).
  if (!isRecord(options))
    fail('INVALID_INPUT', 'read options must be an object', { path: 'options' });
  let after: unknown;
  let to: unknown;
  try {
    ({ after } = options as { after?: unknown });
    if (withTo) ({ to } = options as { to?: unknown });
  } catch (error) {
    // A getter or a proxy that throws: bad input, as in an append (it escaped as the getter's error).
    return fail('INVALID_INPUT', `the read options cannot be read: ${thrownText(error)}`, {
      path: 'options',
    });
  }
  return { after: checkBound(after, 'after') ?? 0, to: checkBound(to, 'to') };
}

/** True when JSON text nests objects and arrays deeper than `max`. */
function nestsDeeper(text: string, max: number): boolean {
  // Each level takes an opening and a closing bracket: a short text cannot be deep.
  if (text.length <= 2 * max) return false;
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c) i++;
      else if (c === 0x22) inString = false;
    } else if (c === 0x22) inString = true;
    else if (c === 0x7b || c === 0x5b) {
      if (++depth > max) return true;
    } else if (c === 0x7d || c === 0x5d) depth--;
  }
  return false;
}

/**
 * The JSON text of an event's data or metadata, as every store can keep it; throws
 * `INVALID_INPUT` for a value JSON cannot write (a cycle, a BigInt, a throwing getter or
 * `toJSON`), text that is not well-formed or holds U+0000, and nesting deeper than
 * {@link MAX_JSON_DEPTH}. What JSON drops (`undefined`, functions) is dropped, as before.
 */
export function storableJson(value: unknown, path: string): string {
  let text: string | undefined;
  try {
    text = JSON.stringify(value ?? null);
  } catch (error) {
    fail('INVALID_INPUT', `${path} is not JSON data: ${thrownText(error)}`, { path });
  }
  text ??= 'null';
  if (UNSTORABLE_ESCAPE.test(text))
    fail(
      'INVALID_INPUT',
      `${path} holds text that is not well-formed or holds U+0000 (a lone surrogate or a NUL cannot be stored)`,
      { path },
    );
  if (nestsDeeper(text, MAX_JSON_DEPTH))
    fail('INVALID_INPUT', `${path} nests deeper than ${String(MAX_JSON_DEPTH)} levels`, { path });
  return text;
}
