import { parseCommand, type JobCommand, type JobCommandInput } from '../domain/commands.js';
import { decideValid, fold } from '../domain/decider.js';
import type { JobEvent } from '../domain/events.js';
import { DomainError, isDomainError } from '../domain/shared/errors.js';
import type { JobState } from '../domain/state.js';
import type { EventStore, EventToAppend } from '../store/port.js';
import type {
  IdempotencyRecord,
  // eslint-disable-next-line @typescript-eslint/no-unused-vars -- the {@link} of snapshotVersion's default resolves through it (TypeDoc).
  JOB_SNAPSHOT_VERSION,
  SnapshotStore,
} from '../store/snapshots.js';
import type { Upcasters } from '../upcasting/upcasters.js';
import {
  firstDecision,
  idempotencyStamp,
  stampMetadata,
  type IdempotencyStamp,
} from './idempotency.js';
import { createJobCache } from './job-cache.js';
import { checkExpectedVersion } from '../store/append-rules.js';
import { loadJob, readDecision, recordKey, type LoadedJob } from './load.js';
import { extraMetadata } from './metadata.js';
import {
  checkHandlerOptions,
  messageId,
  readHandleOptions,
  type ReadHandleOptions,
} from './handle-options.js';
import { excerpt } from '../domain/shared/parse.js';
import { snapshotPolicy } from './snapshot-policy.js';
import { undecidable } from '../domain/unfoldable.js';
import { delayFrom } from '../shared/options.js';

/*
 * The command handler: load the job's stream, decide, append with the expected version; on a
 * conflict re-read, re-decide and try again, a bounded number of times. An optional idempotency
 * key makes a retried command return its first result instead of deciding twice; the key is
 * recorded in the events' metadata, so it survives a restart (idempotency.ts). Loaded jobs are
 * kept in a small cache (job-cache.ts); snapshots are taken by a policy (snapshot-policy.ts).
 */

/**
 * Options of {@link createCommandHandler}.
 * @category Command handler
 */
export interface CommandHandlerOptions {
  readonly store: EventStore;
  /** How many times to re-read and re-decide after a concurrency conflict (default 3). */
  readonly maxRetries?: number;
  /**
   * Milliseconds to wait before retry `attempt` (1-based); default no wait. Add jitter for a busy
   * database. 0 retries at once, a fraction is rounded up, a wait past 2^31 − 1 ms is that long;
   * anything else (`NaN`, `-1`, not a number) rejects the command with `INVALID_INPUT`.
   */
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
  /**
   * Check every event read from the store against the rules, as `loadJob`'s `verify` does: a
   * load, the cache catching up and an idempotent retry's read-back (default false: the store is
   * trusted, and a command costs only the fold). For a store the app does not fully trust.
   */
  readonly verify?: boolean;
}

/**
 * Per-command options of {@link CommandHandler.handle}.
 * @category Command handler
 */
export interface HandleOptions {
  /**
   * The same key with the same command returns the first result and appends nothing; with a
   * different command it is `IDEMPOTENCY_KEY_REUSED`. Scoped to the job's stream.
   */
  readonly idempotencyKey?: string;
  /**
   * What the idempotency key is compared by (default: the validated command). An HTTP app whose
   * server stamps the command's `at` passes the request as the client sent it (body and actor),
   * so that a retry of the same request matches although its `at` is later.
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

/**
 * What a handled command produced.
 * @category Command handler
 */
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

/**
 * Handles commands against an event store.
 * @category Command handler
 */
export interface CommandHandler {
  /** Decides a command on a job's stream and appends its events (see {@link HandleOptions}). */
  handle(
    jobId: string,
    command: JobCommandInput | JobCommand,
    options?: HandleOptions,
  ): Promise<HandleResult>;
  /** Loads a job's current state (through the snapshot store, if any). */
  load(jobId: string): Promise<LoadedJob>;
  /** The stream id of a job (a job id that is not a string is `INVALID_INPUT` at `jobId`). */
  streamIdOf(jobId: string): string;
}

function isConflict(error: unknown): boolean {
  return isDomainError(error) && error.code === 'CONCURRENCY_CONFLICT';
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * A job id is a string (the fuzz suite found a null-prototype object crashing the message below
 * with a TypeError); which strings name a stream is the store's to say (`checkStreamId`).
 */
function requireJobId(jobId: unknown): asserts jobId is string {
  if (typeof jobId !== 'string')
    throw new DomainError('INVALID_INPUT', `a job id is a string, not a ${typeof jobId}`, {
      path: 'jobId',
    });
}

/** An `AwardJob` sent to another job's stream would start the wrong stream. */
function requireSameJob(command: JobCommand, jobId: string): void {
  if (command.type === 'AwardJob' && command.data.jobId !== jobId) {
    throw new DomainError(
      'INVALID_INPUT',
      `AwardJob names job ${command.data.jobId}, but was sent to job ${excerpt(jobId)}`,
      { path: 'data.jobId' },
    );
  }
}

/** The caller's `If-Match`: a stream that moved since is a conflict, not retried. */
function requireExpectedVersion(
  streamId: string,
  expected: number | undefined,
  actual: number,
): void {
  if (expected === undefined || expected === actual) return;
  // Not a version at all (1.5, NaN, -1, 2^31): bad input, not a conflict, as in every store.
  checkExpectedVersion(expected);
  throw new DomainError(
    'CONCURRENCY_CONFLICT',
    `stream ${streamId} was expected at version ${String(expected)}, it is at ${String(actual)}`,
    { streamId, expectedVersion: expected, actualVersion: actual },
  );
}

/** The decision on a loaded job; a state no history of the library's makes is named, not a TypeError. */
function decidedOn(command: JobCommand, loaded: LoadedJob): readonly JobEvent[] {
  try {
    return decideValid(command, loaded.state);
  } catch (error) {
    throw undecidable(error, loaded.streamId, loaded.version);
  }
}

/** The metadata every event of the decision carries. */
function decisionMetadata(
  handleOptions: ReadHandleOptions,
  stamp: IdempotencyStamp | undefined,
  newId: () => string,
): Readonly<Record<string, unknown>> {
  const commandId = handleOptions.commandId ?? messageId(newId(), 'newId()');
  return {
    ...extraMetadata(handleOptions.metadata),
    commandId,
    correlationId: handleOptions.correlationId ?? commandId,
    causationId: handleOptions.causationId ?? commandId,
    ...stampMetadata(stamp),
  };
}

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
 * @category Command handler
 */
// eslint-disable-next-line max-lines-per-function -- a factory: its closure is the handler (options, cache, policy); each step inside (replayFirst, appended, settled, handle) is a short named function.
export function createCommandHandler(options: CommandHandlerOptions): CommandHandler {
  const checked = checkHandlerOptions(options);
  const { store, maxRetries, retryDelayMs, upcasters, streamIdOf, snapshotVersion, newId } =
    checked;
  const afterAppend = snapshotPolicy({
    snapshots: checked.snapshots,
    every: checked.snapshotEvery,
    snapshotVersion,
    now: checked.now,
    onError: checked.onSnapshotError,
  });
  const snapshots = checked.snapshots === undefined ? {} : { snapshots: checked.snapshots };
  const verify = checked.verify;
  const load = (streamId: string) =>
    loadJob(store, streamId, { upcasters, snapshotVersion, verify, ...snapshots });
  const cache = createJobCache({ store, upcasters, size: checked.cacheSize, load, verify });

  /** The result of the decision first made under an idempotency key, as it was then. */
  async function replayFirst(streamId: string, record: IdempotencyRecord): Promise<HandleResult> {
    const events = await readDecision(store, streamId, record.from, record.to, upcasters);
    const asOf = await loadJob(store, streamId, {
      upcasters,
      snapshotVersion,
      until: { position: record.to },
      verify,
      ...snapshots,
    });
    return { streamId, events, state: asOf.state, version: record.to, replayed: true, attempts: 0 };
  }

  /** Appends under the loaded version; false when a conflict may be retried. */
  async function appended(
    streamId: string,
    toAppend: readonly EventToAppend[],
    loaded: LoadedJob,
    retry: { readonly attempt: number; readonly allowed: boolean },
  ): Promise<boolean> {
    try {
      await store.appendToStream(streamId, toAppend, {
        expectedVersion: loaded.version === 0 ? 'no-stream' : loaded.version,
      });
      return true;
    } catch (error) {
      if (!(isConflict(error) && retry.allowed && retry.attempt <= maxRetries)) throw error;
      // Nothing was written: a delay that is not a number of milliseconds ≥ 0 rejects the command.
      const delay =
        retryDelayMs === undefined ? 0 : delayFrom(retryDelayMs, retry.attempt, 'retryDelayMs', 0);
      if (delay > 0) await sleep(delay);
      return false;
    }
  }

  /**
   * After a successful append: the new state, its keys, a snapshot if due, the cache. The events
   * are in the store, so the command has succeeded whatever fails here (D5: it threw after the
   * append, and the caller was told a landed command failed): the state is then read again from
   * the stream alone, without the snapshot or the kept job it was decided on.
   */
  async function settled(
    streamId: string,
    loaded: LoadedJob,
    events: readonly JobEvent[],
    toAppend: readonly EventToAppend[],
  ): Promise<JobState> {
    let state: JobState | undefined;
    try {
      state = fold(events, loaded.state);
      const index = new Map(loaded.idempotency);
      toAppend.forEach((e, i) => {
        recordKey(index, e, loaded.version + i + 1);
      });
      await afterAppend(streamId, loaded.version, state, index);
      cache.remember({ ...loaded, state, version: state.version, idempotency: index });
      return state;
    } catch {
      const until = { position: loaded.version + events.length };
      try {
        const fresh = await loadJob(store, streamId, { upcasters, snapshotVersion, until, verify });
        cache.remember(fresh);
        return fresh.state;
      } catch (error) {
        // The store cannot be read back just now: the decision's own state is the answer (the
        // cache keeps the job as loaded, and catches up from the store next time).
        if (state !== undefined) return state;
        throw error;
      }
    }
  }

  // The job id checked before it is made a stream id (by handle, load and streamIdOf alike): the
  // default `job-${jobId}` of a Symbol or a revoked proxy was a TypeError, of an object
  // `job-[object Object]`.
  const streamOf = (jobId: string): string => {
    requireJobId(jobId);
    return streamIdOf(jobId);
  };

  async function handle(
    jobId: string,
    input: JobCommandInput | JobCommand,
    given?: HandleOptions,
  ): Promise<HandleResult> {
    const streamId = streamOf(jobId);
    const handleOptions = readHandleOptions(given);
    const command = parseCommand(input);
    requireSameJob(command, jobId);
    const stamp = await idempotencyStamp(handleOptions.idempotencyKey, command, {
      given: handleOptions.fingerprintGiven,
      value: handleOptions.idempotencyFingerprint,
    });
    const metadata = decisionMetadata(handleOptions, stamp, newId);
    const expected = handleOptions.expectedVersion;
    for (let attempt = 1; ; attempt++) {
      const loaded = await cache.latest(streamId);
      const first = firstDecision(loaded.idempotency, stamp);
      if (first !== undefined) return replayFirst(streamId, first);
      requireExpectedVersion(streamId, expected, loaded.version);
      const events = decidedOn(command, loaded);
      const toAppend: EventToAppend[] = events.map((e) => ({
        type: e.type,
        data: e.data,
        metadata: { ...metadata, schemaVersion: upcasters.currentVersion(e.type) },
      }));
      const retry = { attempt, allowed: expected === undefined };
      if (!(await appended(streamId, toAppend, loaded, retry))) continue;
      const state = await settled(streamId, loaded, events, toAppend);
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
    load: async (jobId: string) => load(streamOf(jobId)),
    streamIdOf: streamOf,
  };
}
