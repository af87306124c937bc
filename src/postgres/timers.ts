import type { JobCommandInput } from '../domain/commands.js';
// The runner's states are its own folds: the unchecked reading (a public call checks its state).
import { deadlinesOf as partTwoDeadlines } from '../domain/deadlines.js';
import { platformIdOf } from '../domain/job/policy.js';
import { DomainError, isDomainError, type ErrorCode } from '../domain/shared/errors.js';
import { describe } from '../domain/shared/parse.js';
import { formatInstant } from '../domain/shared/time.js';
import type { JobState } from '../domain/state.js';
import type { CommandHandler } from '../handler/command-handler.js';
import { exponentialBackoff, nowOf, systemClock, type Clock } from '../live/clock.js';
import { within } from '../live/deadline.js';
import { inFlight, observe, consumerPaced, stepLoop } from '../live/loop.js';
import {
  clockOption,
  countOption,
  functionOption,
  objectOption,
  waitOption,
  readOptions,
} from '../shared/options.js';
import { TIMER_RUNNER_OPTIONS } from './option-keys.js';
import { limitOf, runnerOptions } from './runner-options.js';
import { trackDeadlines, type DeadlinesOf, type TimerDeadline } from './timer-deadlines.js';
import { jobStateProjection } from '../projections/job.js';
import {
  createPostgresConsumer,
  libraryHandle,
  type ConsumerStep,
  type LiveEventStore,
  type PgPool,
  type PostgresConsumer,
} from './consumer.js';
import { migrateLive } from './live-schema.js';
import { DEFAULT_SCHEMA, quoteSchema } from './schema.js';
import { createStreamCache, type DecodeEvent } from './stream-cache.js';

/*
 * The timer runner. A durable consumer keeps `timer_deadlines` (every running deadline of every
 * job: the library's `deadlines` of its state, spec §11, unless the app passes its own; replaced
 * as the job's events come); the firing loop reads the rows due at its clock's now and issues
 * each one's command through the command handler with an idempotency key made of the deadline
 * alone (kind, milestone or dispute, `dueAt`). Two
 * runners, a retry or a crash between the command and the runner's own bookkeeping all send the
 * same key, and the handler decides it once: the others get the first result back.
 */

/** What one firing step did with the deadlines due. */
export interface FireReport {
  /** Commands the handler decided now. */
  readonly fired: number;
  /** Commands another runner (or an earlier try) had already decided: the first result came back. */
  readonly replayed: number;
  /**
   * Commands the job refused because it moved on after the deadline was read: a person acted
   * first (the client released, a party answered the dispute), or the deadline moved. Not an
   * error, not reported to `onError`; the deadline is not tried again until the job's events
   * rewrite it.
   */
  readonly overtaken: number;
  /**
   * Commands the job refused for another reason (`FORBIDDEN` for an `actorOf` that is not the
   * platform, say): reported to `onError`, not tried again until the job's events rewrite it.
   */
  readonly rejected: number;
  /** Commands that failed for another reason (tried again at the next step; after a backoff when all failed). */
  readonly failed: number;
}

/**
 * The refusals of a timer command that mean the job moved on since its deadline was read (the
 * deadlines table lags the events by a batch): released or settled meanwhile, a dispute opened,
 * answered or escalated, the review stopped, the clock paused and resumed later, the milestone
 * dropped from the terms, the job closed.
 */
const OVERTAKEN: ReadonlySet<ErrorCode> = new Set<ErrorCode>([
  'ALREADY_RELEASED',
  'MILESTONE_SETTLED',
  'DISPUTE_OPEN',
  'DISPUTE_CLOSED',
  'DISPUTE_ESCALATED',
  'REVIEW_NOT_RUNNING',
  'TOO_EARLY',
  'UNKNOWN_MILESTONE',
  'JOB_CLOSED',
]);

/** Options of {@link createTimerRunner}. */
export interface TimerRunnerOptions {
  /** Where the events come from. */
  readonly store: LiveEventStore;
  /** The pool for the deadlines table and the consumer's connection: `pg.Pool` (a `pg.Client` is `INVALID_INPUT`). */
  readonly pool: PgPool;
  /** The schema of the tables (default `milestone_escrow`). */
  readonly schema?: string;
  /** The command handler the timer commands go through. */
  readonly handler: CommandHandler;
  /**
   * The running deadlines of a state. Default: the library's `deadlines` (spec §11), so part
   * two's `ExpireReview` and `ExpireDispute` fire with no wiring; pass your own to run other
   * timers (or more) through the same runner.
   */
  readonly deadlines?: DeadlinesOf;
  /** Who issues a job's timer commands (default: the job's `platformId`, else `"platform"`). */
  readonly actorOf?: (state: JobState) => string;
  /** The job id of a stream (default: the stream id without its `job-` prefix). */
  readonly jobIdOf?: (streamId: string) => string;
  /**
   * How long the handler's `handle` of one timer command may take (default 60 s, on `clock`), as
   * a consumer's `handleTimeoutMs`: then it is given up, a failed command (a `TimeoutError` to
   * `onError`) tried again at the next step under the same idempotency key.
   */
  readonly handleTimeoutMs?: number;
  /** Deadlines fired per step at most (default 50). */
  readonly fireSize?: number;
  /** Events per consumer batch (default 500, as the consumer's). */
  readonly batchSize?: number;
  /** Wait between firing steps (default 100 ms): how late after `dueAt` a command may come. */
  readonly pollMs?: number;
  /** Wait of a standby deadlines consumer before trying the lock again (default 1000 ms). */
  readonly lockRetryMs?: number;
  /** Called with every failed step and every command that failed or was rejected (not overtaken). */
  readonly onError?: (error: unknown) => void;
  /** Turns a stored event into a job event (default: upcast and validate). */
  readonly decode?: DecodeEvent;
  /** Which streams are jobs' (default: ids starting with `job-`). */
  readonly accepts?: (streamId: string) => boolean;
  /** The runner's clock: the `at` of its commands and what is due (default the system clock). */
  readonly clock?: Clock;
}

/** The timer runner (see {@link createTimerRunner}). */
export interface TimerRunner {
  /** The consumer that keeps the deadlines table. */
  readonly deadlinesConsumer: PostgresConsumer;
  /** Creates the live tables if missing. */
  migrate(): Promise<void>;
  /** Issues the commands of the deadlines due at the clock's now. */
  fire(): Promise<FireReport>;
  /** One step: a consumer batch (if this runner holds its lock), then a firing step. */
  step(): Promise<{ readonly deadlines: ConsumerStep; readonly fired: FireReport }>;
  /** Runs until `stop()`. */
  start(): Promise<void>;
  /** Stops after the current step. */
  stop(): Promise<void>;
  /** The running deadlines known, earliest first. */
  pending(options?: {
    readonly limit?: number;
  }): Promise<(TimerDeadline & { readonly jobId: string })[]>;
}

function defaultActor(state: JobState): string {
  return platformIdOf(state.job.award);
}

interface DeadlineRow {
  readonly stream_id: string;
  readonly job_id: string;
  readonly deadline_key: string;
  readonly deadline: TimerDeadline;
  readonly actor: string;
  readonly version: number;
}

/** The `replayed` of what `handler.handle` resolved to, or undefined when it is no result. */
function replayedOf(result: unknown): boolean | undefined {
  if ((typeof result !== 'object' && typeof result !== 'function') || result === null)
    return undefined;
  try {
    const replayed: unknown = (result as { replayed?: unknown }).replayed;
    return typeof replayed === 'boolean' ? replayed : undefined;
  } catch {
    return undefined;
  }
}

function notAResult(key: string, result: unknown): DomainError {
  return new DomainError(
    'INVALID_INPUT',
    `timer ${key}: handler.handle must resolve to the command handler's result (an object with replayed: true or false, as createCommandHandler's handle returns), not ${describe(result)}; the command counts as failed and is tried again under the same idempotency key`,
    { path: 'handler.handle', deadlineKey: key },
  );
}

/**
 * The firing step: issues the commands of the deadlines due at the clock's now through the
 * handler, each with its deadline's key, and sorts what came back.
 */
function createFiring(context: {
  readonly pool: PgPool;
  readonly table: string;
  readonly handler: CommandHandler;
  readonly clock: Clock;
  readonly fireSize: number;
  readonly handleTimeoutMs: number;
  readonly onError: (error: unknown) => void;
}): () => Promise<FireReport> {
  const { pool, table, handler, clock, fireSize, handleTimeoutMs, onError } = context;
  // Deadlines this process has settled (decided, replayed or seen refused) at a given row version:
  // not tried again until the job's events rewrite them (a row of a later version). Without it a
  // runner whose table lags (another process keeps it) would send the first `fireSize` rows due
  // again at every step and never reach the rest.
  const settled = new Map<string, number>();

  async function fireOne(row: DeadlineRow, report: Record<keyof FireReport, number>, due: number) {
    const seen = `${row.stream_id} ${row.deadline_key}`;
    const command = {
      ...row.deadline.command,
      actor: row.actor,
      // Written as the spec writes instants (no `.000`), like the deadlines themselves. Never
      // before the instant the row was read as due: a clock stepped back since made it TOO_EARLY,
      // counted overtaken and not tried again.
      at: formatInstant(Math.max(due, nowOf(clock))),
    } as JobCommandInput;
    try {
      // A hung store (the handler's) held the step, and stop(), for ever: given up as a failure,
      // and the retry's key makes a late success count once.
      const result = await within(
        () =>
          handler.handle(row.job_id, command, {
            idempotencyKey: row.deadline_key,
            // The same deadline is the same command, whichever runner sends it and when.
            idempotencyFingerprint: { timer: row.deadline_key },
          }),
        handleTimeoutMs,
        clock,
        `timer ${row.deadline_key}: handler.handle`,
      );
      const replayed = replayedOf(result);
      if (replayed === undefined) {
        // The type promises a HandleResult: without one, whether the command was decided is not
        // known, so it is tried again (the key makes that safe), and the app told what to return.
        report.failed += 1;
        observe(() => {
          onError(notAResult(row.deadline_key, result));
        });
        return;
      }
      if (replayed) report.replayed += 1;
      else report.fired += 1;
      settled.set(seen, row.version);
    } catch (error) {
      if (isDomainError(error) && OVERTAKEN.has(error.code)) {
        // A person (or the job's other events) got there first: nothing to do, nothing wrong.
        report.overtaken += 1;
        settled.set(seen, row.version);
        return;
      }
      if (isDomainError(error) && error.code !== 'CONCURRENCY_CONFLICT') {
        report.rejected += 1;
        settled.set(seen, row.version);
      } else {
        report.failed += 1;
      }
      observe(() => {
        onError(error);
      });
    }
  }

  return async function fire(): Promise<FireReport> {
    const now = nowOf(clock);
    const { rows } = await pool.query(
      `SELECT stream_id, job_id, deadline_key, deadline, actor, version FROM ${table}
        WHERE due_at_ms <= $1 ORDER BY due_at_ms, stream_id, deadline_key LIMIT $2`,
      [now, fireSize + settled.size],
    );
    const report = { fired: 0, replayed: 0, overtaken: 0, rejected: 0, failed: 0 };
    let tried = 0;
    for (const row of rows as DeadlineRow[]) {
      if ((settled.get(`${row.stream_id} ${row.deadline_key}`) ?? -1) >= row.version) continue;
      if (tried >= fireSize) break;
      tried += 1;
      await fireOne(row, report, now);
    }
    if (settled.size > 10_000) settled.clear();
    return report;
  };
}

/** The runner's collaborators, checked: a bad one is `INVALID_INPUT` naming it. */
function collaborators(options: TimerRunnerOptions) {
  return {
    ...runnerOptions(options, 'store, pool and handler'),
    handler: objectOption(options.handler, 'handler', 'a command handler', ['handle']),
    deadlines: functionOption(options.deadlines ?? partTwoDeadlines, 'deadlines'),
  };
}

/** What a runner's step did, for its loop's pacing (`stepLoop`). */
function paceOf(consumed: ConsumerStep, fired: FireReport, fireSize: number): boolean | 'failed' {
  // A full firing step may have left more due: go again at once, as after a batch.
  const acted = fired.fired + fired.replayed + fired.overtaken + fired.rejected;
  if (consumed.kind === 'handled' || acted >= fireSize) return true;
  // Commands that all failed (reported already) are paced with backoff: retried every poll, a
  // handler whose store was down was called ten times a second. (A failing deadlines batch is
  // paced by consumerPaced, and the due rows still fire meanwhile.)
  return fired.failed > 0 && acted === 0 ? 'failed' : false;
}

/** Creates a timer runner (see docs/live.md). Run it in as many processes as you like. */
export function createTimerRunner(given: TimerRunnerOptions): TimerRunner {
  const options = readOptions(given, TIMER_RUNNER_OPTIONS, 'store, pool and handler');
  const { store, pool, handler, deadlines } = collaborators(options);
  const schema = options.schema ?? DEFAULT_SCHEMA;
  const s = quoteSchema(schema);
  const table = `${s}.timer_deadlines`;
  const actorOf = functionOption(options.actorOf ?? defaultActor, 'actorOf');
  const jobIdOf = functionOption(
    options.jobIdOf ?? ((streamId: string) => streamId.replace(/^job-/, '')),
    'jobIdOf',
  );
  const fireSize = countOption(options.fireSize ?? 50, 'fireSize');
  const handleTimeoutMs = waitOption(options.handleTimeoutMs ?? 60_000, 'handleTimeoutMs');
  const clock = clockOption(options.clock, systemClock);
  const pacing = {
    pollMs: waitOption(options.pollMs ?? 100, 'pollMs'),
    lockRetryMs: waitOption(options.lockRetryMs ?? 1000, 'lockRetryMs'),
    backoff: exponentialBackoff(),
  };
  const cache = createStreamCache(jobStateProjection, {
    store,
    ...(options.decode === undefined ? {} : { decode: options.decode }),
    ...(options.accepts === undefined ? {} : { accepts: options.accepts }),
  });

  const deadlinesConsumer = createPostgresConsumer({
    name: 'timers:deadlines',
    store,
    pool,
    schema,
    handle: libraryHandle(trackDeadlines({ cache, table, deadlines, actorOf, jobIdOf })),
    // batchSize: checked (and defaulted) by the consumer, created here.
    ...(options.batchSize === undefined ? {} : { batchSize: options.batchSize }),
    pollMs: pacing.pollMs,
    lockRetryMs: pacing.lockRetryMs,
    clock,
    ...(options.onError === undefined ? {} : { onError: (e: unknown) => options.onError?.(e) }),
  });

  const fire = createFiring({
    pool,
    table,
    handler,
    clock,
    fireSize,
    handleTimeoutMs,
    onError: (error) => options.onError?.(error),
  });

  // The loop's deadlines step: standby or failed, tried again after lockRetryMs or the backoff.
  const loopDeadlines = consumerPaced(() => deadlinesConsumer.step(), clock, pacing);
  async function step(consume = () => deadlinesConsumer.step()) {
    const consumed = await consume();
    return { deadlines: consumed, fired: await fire() };
  }

  const lifecycle = stepLoop({
    clock,
    pacing,
    step: async () => {
      const { deadlines: consumed, fired } = await step(loopDeadlines);
      return paceOf(consumed, fired, fireSize);
    },
    onError: (error: unknown) => options.onError?.(error),
    // The loop's step, then the calls asked directly: no mark or command after the stop.
    release: () => asked.settled().then(() => deadlinesConsumer.stop()),
  });
  const asked = inFlight();

  return {
    deadlinesConsumer,
    migrate: () => migrateLive(pool, schema),
    fire: () => asked.track(fire()),
    step: () => asked.track(step()),
    start: () => lifecycle.start(),
    stop: () => lifecycle.stop(),
    async pending(query) {
      const { rows } = await pool.query(
        `SELECT job_id, deadline FROM ${table} ORDER BY due_at_ms, stream_id, deadline_key LIMIT $1`,
        [limitOf(query, 1000)],
      );
      return (rows as { job_id: string; deadline: TimerDeadline }[]).map((r) => ({
        ...r.deadline,
        jobId: r.job_id,
      }));
    },
  };
}
