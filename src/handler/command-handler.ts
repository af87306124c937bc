import { parseCommand, type JobCommand, type JobCommandInput } from '../domain/commands.js';
import { decideValid, fold } from '../domain/decider.js';
import type { JobEvent } from '../domain/events.js';
import { DomainError, isDomainError } from '../domain/shared/errors.js';
import { isWellFormed, RESERVED_METADATA_KEYS } from '../domain/shared/schema.js';
import type { JobState } from '../domain/state.js';
import type { EventStore, EventToAppend } from '../store/port.js';
import {
  JOB_SNAPSHOT_VERSION,
  type IdempotencyRecord,
  type SnapshotStore,
} from '../store/snapshots.js';
import { currentUpcasters, type Upcasters } from '../upcasting/upcasters.js';
import { canonicalJson } from './fingerprint.js';
import { loadJob, readDecision, recordKey, type LoadedJob } from './load.js';

/*
 * The command handler: load the job's stream, decide, append with the expected version; on a
 * conflict re-read, re-decide and try again, a bounded number of times. An optional idempotency
 * key makes a retried command return its first result instead of deciding twice; the key is
 * recorded in the events' metadata, so it survives a restart.
 */

/** Options of {@link createCommandHandler}. */
export interface CommandHandlerOptions {
  readonly store: EventStore;
  /** How many times to re-read and re-decide after a concurrency conflict (default 3). */
  readonly maxRetries?: number;
  /** Waits before retry `attempt` (1-based); default no wait. Add jitter for a busy database. */
  readonly retryDelayMs?: (attempt: number) => number;
  /** The job's stream id (default `job-${jobId}`). */
  readonly streamIdOf?: (jobId: string) => string;
  /** Upcasters for older stored shapes; also the schema version new events are written with. */
  readonly upcasters?: Upcasters;
  /** A snapshot store: loading starts at the latest snapshot; a new one is saved every `snapshotEvery` events. */
  readonly snapshots?: SnapshotStore;
  /** Take a snapshot whenever the stream crosses a multiple of this many events (default 100). */
  readonly snapshotEvery?: number;
  /** The snapshot version this app writes and trusts (default {@link JOB_SNAPSHOT_VERSION}). */
  readonly snapshotVersion?: string;
  /**
   * How many jobs' latest states the handler keeps in memory (least recently used out; default
   * 100, 0 turns it off). A kept job is brought up to date by folding only the events appended
   * since (by anyone), so a command on a long job does not replay or deserialise its history.
   */
  readonly cacheSize?: number;
  /** Called when saving a snapshot fails (the command has succeeded regardless); default ignores it. */
  readonly onSnapshotError?: (error: unknown) => void;
  /** The app's clock, for snapshots' `takenAt` (default the system clock). */
  readonly now?: () => string;
  /** Makes command ids, the default causation and correlation ids (default `crypto.randomUUID`). */
  readonly newId?: () => string;
}

/** Per-command options of {@link CommandHandler.handle}. */
export interface HandleOptions {
  /**
   * The same key with the same command returns the first result and appends nothing; with a
   * different command it is `IDEMPOTENCY_KEY_REUSED`. Scoped to the job's stream.
   */
  readonly idempotencyKey?: string;
  /**
   * What the idempotency key is compared by (default: the validated command). An HTTP app whose
   * server stamps the command's `at` passes the request as the client sent it (body and actor),
   * so that a retry of the same request matches although its `at` is later. Plain JSON data only
   * (`INVALID_INPUT` otherwise, see {@link commandHash}); `undefined` means none.
   */
  readonly idempotencyFingerprint?: unknown;
  /** Ties the events to a wider flow (default: the command id). */
  readonly correlationId?: string;
  /** What caused this command (default: the command id). */
  readonly causationId?: string;
  /** The command's id (default: a new UUID); recorded as `commandId`. */
  readonly commandId?: string;
  /**
   * The version the caller last saw (an HTTP `If-Match`): the command is decided only if the
   * stream is still there, and a conflict is not retried.
   */
  readonly expectedVersion?: number;
  /** More metadata to record on every event of the decision. */
  readonly metadata?: Readonly<Record<string, unknown>>;
}

/** What a handled command produced. */
export interface HandleResult {
  readonly streamId: string;
  /** The decision's events (domain events: their metadata is in the store). */
  readonly events: readonly JobEvent[];
  /** The job's state right after them. */
  readonly state: JobState;
  /** The stream version right after them. */
  readonly version: number;
  /** True when the idempotency key had been seen: this is the first result, nothing was appended. */
  readonly replayed: boolean;
  /** How many times the command was decided (1 unless conflicts forced retries; 0 when replayed). */
  readonly attempts: number;
}

/** Handles commands against an event store. */
export interface CommandHandler {
  /** Decides a command on a job's stream and appends its events (see {@link HandleOptions}). */
  handle(
    jobId: string,
    command: JobCommandInput | JobCommand,
    options?: HandleOptions,
  ): Promise<HandleResult>;
  /** Loads a job's current state (through the snapshot store, if any). */
  load(jobId: string): Promise<LoadedJob>;
  /** The stream id of a job. */
  streamIdOf(jobId: string): string;
}

/**
 * SHA-256 (hex) of a value's canonical JSON (keys sorted): what an idempotency key is compared
 * by. The value must be plain JSON data; anything else (`undefined`, a `Date`, a `Map`, `NaN`, a
 * BigInt, a cycle, a getter) is `INVALID_INPUT`, so that two different values never hash alike.
 */
export async function commandHash(command: unknown): Promise<string> {
  const text = canonicalJson(command);
  const digest = await globalThis.crypto.subtle.digest('SHA-256', new TextEncoder().encode(text));
  return Array.from(new Uint8Array(digest), (b) => b.toString(16).padStart(2, '0')).join('');
}

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

/** The caller's extra metadata, checked: a plain object without the keys others own. */
function extraMetadata(metadata: unknown): Readonly<Record<string, unknown>> {
  if (metadata === undefined) return {};
  if (typeof metadata !== 'object' || metadata === null || Array.isArray(metadata))
    throw new DomainError('INVALID_INPUT', 'options.metadata is an object of your own keys', {
      path: 'metadata',
    });
  for (const key of [...OWNED_METADATA_KEYS, ...RESERVED_METADATA_KEYS]) {
    if (!Object.prototype.hasOwnProperty.call(metadata, key)) continue;
    const reserved = (RESERVED_METADATA_KEYS as readonly string[]).includes(key);
    throw new DomainError(
      'INVALID_INPUT',
      reserved
        ? `the metadata key ${key} is reserved (${RESERVED_METADATA_KEYS.join(', ')} are refused)`
        : `the metadata key ${key} is the handler's or the store's to write: use the handler's options (idempotencyKey, commandId, correlationId, causationId), not options.metadata`,
      { path: `metadata.${key}` },
    );
  }
  return metadata as Readonly<Record<string, unknown>>;
}

function isConflict(error: unknown): boolean {
  return isDomainError(error) && error.code === 'CONCURRENCY_CONFLICT';
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * Creates a command handler over a store (see docs/app.md): `handle(jobId, command, options)`
 * loads the job, decides, and appends under the version it loaded, retrying a conflict by
 * re-reading and re-deciding; an idempotency key makes a retried request return the first result.
 *
 * @example
 * ```ts
 * import { createCommandHandler, createInMemoryEventStore } from 'milestone-escrow';
 *
 * const jobs = createCommandHandler({ store: createInMemoryEventStore() });
 * const award = { type: 'AwardJob', actor: 'clara', at: '2014-11-03T09:00:00Z', data: { jobId: 'logo', title: 'Logo design', clientId: 'clara', freelancerId: 'felix', currency: 'USD' } } as const;
 * const first = await jobs.handle('logo', award, { idempotencyKey: 'request-1' });
 * const again = await jobs.handle('logo', award, { idempotencyKey: 'request-1' }); // a retried HTTP request
 * console.log(first.version, again.version, again.replayed); // 1 1 true
 * ```
 */
export function createCommandHandler(options: CommandHandlerOptions): CommandHandler {
  const { store } = options;
  const maxRetries = options.maxRetries ?? 3;
  const upcasters = options.upcasters ?? currentUpcasters;
  const streamIdOf = options.streamIdOf ?? ((jobId: string) => `job-${jobId}`);
  const snapshotEvery = options.snapshotEvery ?? 100;
  const snapshotVersion = options.snapshotVersion ?? JOB_SNAPSHOT_VERSION;
  const now = options.now ?? (() => new Date().toISOString());
  const newId = options.newId ?? (() => globalThis.crypto.randomUUID());
  if (!Number.isSafeInteger(maxRetries) || maxRetries < 0)
    throw new RangeError('maxRetries is a non-negative integer');
  if (!Number.isSafeInteger(snapshotEvery) || snapshotEvery < 1)
    throw new RangeError('snapshotEvery is a positive integer');

  const cacheSize = options.cacheSize ?? 100;
  if (!Number.isSafeInteger(cacheSize) || cacheSize < 0)
    throw new RangeError('cacheSize is a non-negative integer');
  // Latest loaded job per stream, in least-recently-used order (a Map keeps insertion order).
  const cache = new Map<string, LoadedJob>();
  const remember = (loaded: LoadedJob): void => {
    if (cacheSize === 0) return;
    cache.delete(loaded.streamId);
    cache.set(loaded.streamId, loaded);
    if (cache.size > cacheSize) cache.delete(cache.keys().next().value as string);
  };

  const load = (streamId: string) =>
    loadJob(store, streamId, {
      upcasters,
      snapshotVersion,
      ...(options.snapshots === undefined ? {} : { snapshots: options.snapshots }),
    });

  /** The job as the next decision needs it: the kept state brought up to date, or a fresh load. */
  async function latest(streamId: string): Promise<LoadedJob> {
    const cached = cache.get(streamId);
    if (cached === undefined) {
      const loaded = await load(streamId);
      remember(loaded);
      return loaded;
    }
    // Streams only grow: what was appended since the kept version is all there is to fold.
    const fresh: JobEvent[] = [];
    let index: Map<string, IdempotencyRecord> | undefined;
    for await (const event of store.readStream(streamId, { after: cached.version })) {
      fresh.push(upcasters.upcast(event));
      index ??= new Map(cached.idempotency);
      recordKey(index, event, cached.version + fresh.length);
    }
    const loaded: LoadedJob =
      fresh.length === 0
        ? cached
        : {
            ...cached,
            state: fold(fresh, cached.state),
            version: cached.version + fresh.length,
            idempotency: index ?? cached.idempotency,
          };
    remember(loaded);
    return loaded;
  }

  async function replayFirst(streamId: string, record: IdempotencyRecord): Promise<HandleResult> {
    const events = await readDecision(store, streamId, record.from, record.to, upcasters);
    const asOf = await loadJob(store, streamId, {
      upcasters,
      snapshotVersion,
      until: { position: record.to },
      ...(options.snapshots === undefined ? {} : { snapshots: options.snapshots }),
    });
    return { streamId, events, state: asOf.state, version: record.to, replayed: true, attempts: 0 };
  }

  async function maybeSnapshot(
    streamId: string,
    before: number,
    state: JobState,
    index: ReadonlyMap<string, IdempotencyRecord>,
  ): Promise<void> {
    if (
      options.snapshots === undefined ||
      Math.floor(state.version / snapshotEvery) === Math.floor(before / snapshotEvery)
    )
      return;
    try {
      await options.snapshots.save({
        streamId,
        version: state.version,
        snapshotVersion,
        state,
        idempotency: [...index.values()],
        takenAt: now(),
      });
    } catch (error) {
      options.onSnapshotError?.(error);
    }
  }

  async function handle(
    jobId: string,
    input: JobCommandInput | JobCommand,
    handleOptions: HandleOptions = {},
  ): Promise<HandleResult> {
    const command = parseCommand(input);
    if (command.type === 'AwardJob' && command.data.jobId !== jobId) {
      throw new DomainError(
        'INVALID_INPUT',
        `AwardJob names job ${command.data.jobId}, but was sent to job ${jobId}`,
        { path: 'data.jobId' },
      );
    }
    const streamId = streamIdOf(jobId);
    const key = handleOptions.idempotencyKey;
    if (
      key !== undefined &&
      (typeof key !== 'string' || key.length === 0 || key.length > 255 || !isWellFormed(key))
    ) {
      throw new DomainError(
        'INVALID_INPUT',
        'an idempotency key is 1–255 characters of well-formed text',
        { path: 'idempotencyKey' },
      );
    }
    // An explicit `undefined` fingerprint is no fingerprint: the key compares the command.
    const given = handleOptions.idempotencyFingerprint;
    const fingerprint = given === undefined ? command : given;
    const hash = key === undefined ? undefined : await commandHash(fingerprint);
    const commandId = handleOptions.commandId ?? newId();
    const metadata = {
      ...extraMetadata(handleOptions.metadata),
      commandId,
      correlationId: handleOptions.correlationId ?? commandId,
      causationId: handleOptions.causationId ?? commandId,
      ...(key === undefined ? {} : { idempotencyKey: key, commandHash: hash }),
    };

    for (let attempt = 1; ; attempt++) {
      const loaded = await latest(streamId);
      if (key !== undefined) {
        const seen = loaded.idempotency.get(key);
        if (seen !== undefined) {
          if (seen.commandHash !== hash) {
            throw new DomainError(
              'IDEMPOTENCY_KEY_REUSED',
              `idempotency key ${key} was used for a different command on this job`,
              {
                idempotencyKey: key,
                firstPosition: seen.from,
              },
            );
          }
          return replayFirst(streamId, seen);
        }
      }
      const expected = handleOptions.expectedVersion;
      if (expected !== undefined && expected !== loaded.version) {
        throw new DomainError(
          'CONCURRENCY_CONFLICT',
          `stream ${streamId} was expected at version ${String(expected)}, it is at ${String(loaded.version)}`,
          {
            streamId,
            expectedVersion: expected,
            actualVersion: loaded.version,
          },
        );
      }
      const events = decideValid(command, loaded.state);
      const toAppend: EventToAppend[] = events.map((e) => ({
        type: e.type,
        data: e.data,
        metadata: { ...metadata, schemaVersion: upcasters.currentVersion(e.type) },
      }));
      try {
        await store.appendToStream(streamId, toAppend, {
          expectedVersion: loaded.version === 0 ? 'no-stream' : loaded.version,
        });
      } catch (error) {
        if (isConflict(error) && expected === undefined && attempt <= maxRetries) {
          const delay = options.retryDelayMs?.(attempt) ?? 0;
          if (delay > 0) await sleep(delay);
          continue;
        }
        throw error;
      }
      const state = fold(events, loaded.state);
      const index = new Map(loaded.idempotency);
      toAppend.forEach((e, i) => {
        recordKey(index, e, loaded.version + i + 1);
      });
      await maybeSnapshot(streamId, loaded.version, state, index);
      remember({ ...loaded, state, version: state.version, idempotency: index });
      return {
        streamId,
        events,
        state,
        version: state.version,
        replayed: false,
        attempts: attempt,
      };
    }
  }

  return {
    handle,
    load: (jobId: string) => load(streamIdOf(jobId)),
    streamIdOf,
  };
}
