import type { JobState } from '../domain/state.js';
import { fail } from '../domain/shared/errors.js';
import { describe, isArraySafe } from '../domain/shared/parse.js';
import { instantMs } from '../domain/shared/time.js';
import { readFields } from '../domain/shared/read-once.js';
import { storableJson } from '../store/append-rules.js';
import type { ConsumerBatch } from './consumer.js';
import { textArgument } from './runner-options.js';
import type { StreamCache } from './stream-cache.js';

/*
 * The timer runner's deadlines (src/postgres/timers.ts): what it needs of one, its idempotency
 * key, and the consumer's handler that keeps `timer_deadlines`, checking what the app's
 * `deadlines`, `actorOf` and `jobIdOf` return before a row is written.
 */

/**
 * What the runner needs of a deadline: the shape of spec §11's `deadlines` entries (the library's
 * `Deadline` is one), with the command left open so that an app can run timers of its own
 * through the same runner.
 */
export interface TimerDeadline {
  readonly kind: 'review' | 'dispute';
  readonly milestoneId: string;
  readonly disputeId?: string;
  /** The instant at or after which `command` may be issued. */
  readonly dueAt: string;
  /** The timer command (`ExpireReview`, `ExpireDispute`) without its actor and `at`. */
  readonly command: { readonly type: string; readonly data: unknown };
}

/** The running deadlines of a job's state, earliest first. */
export type DeadlinesOf = (state: JobState) => readonly TimerDeadline[];

const KEY_FIELDS = ['kind', 'milestoneId', 'disputeId', 'dueAt'] as const;

/**
 * The idempotency key of a deadline's command: the same for every runner and every retry. Its
 * fields are read once and must be text (`INVALID_INPUT` at `deadline`: a Symbol was a TypeError,
 * a number made a key of its own).
 */
export function deadlineKey(deadline: TimerDeadline): string {
  const given: unknown = deadline;
  const d =
    typeof given === 'object' && given !== null
      ? readFields(deadline, KEY_FIELDS, 'deadline')
      : undefined;
  if (
    d === undefined ||
    ![d.kind, d.milestoneId, d.dueAt, d.disputeId === undefined ? '' : d.disputeId].every(
      (f) => typeof f === 'string',
    )
  )
    return fail(
      'INVALID_INPUT',
      `a deadline is an object { kind, milestoneId, dueAt, disputeId? } of strings, not ${describe(given)}`,
      { path: 'deadline' },
    );
  const on = d.disputeId === undefined ? `milestone:${d.milestoneId}` : `dispute:${d.disputeId}`;
  return `timer:${d.kind}:${on}:${d.dueAt}`;
}

/** The deadlines consumer's handler: replaces the rows of every job the batch touched. */
export function trackDeadlines(context: {
  readonly cache: StreamCache<JobState>;
  readonly table: string;
  readonly deadlines: DeadlinesOf;
  readonly actorOf: (state: JobState) => string;
  readonly jobIdOf: (streamId: string) => string;
}): (batch: ConsumerBatch) => Promise<void> {
  const { cache, table, deadlines, actorOf, jobIdOf } = context;
  return async ({ events, tx }) => {
    const work = await cache.apply(events);
    if (work.length === 0) return;
    // What the app's functions return is checked here: a TypeError or a driver's error stopped
    // the table (the batch retried for ever) without saying whose function was wrong.
    const rows = work.flatMap(({ streamId, acc, version }) => {
      const list: unknown = deadlines(acc);
      const bad = (what: string): never =>
        fail('INVALID_INPUT', `deadlines(state) of ${streamId}: ${what}`, {
          path: 'deadlines',
          streamId,
        });
      if (!isArraySafe(list)) bad(`not a list of deadlines but ${describe(list)}`);
      // No rows, no actor or job id to write: asked anyway, a wrong answer for a job without
      // deadlines failed the batch, and the table stopped for every job.
      if ((list as readonly unknown[]).length === 0) return [];
      const actor = textArgument(actorOf(acc), 'actorOf');
      const jobId = textArgument(jobIdOf(streamId), 'jobIdOf');
      return (list as TimerDeadline[]).map((d) => {
        const key = deadlineKey(d);
        // Read as the domain reads instants: `Date.parse` took a zoneless time in the machine's
        // zone and read a deadline past 9999 (five digits of year) as NaN, which failed the batch.
        const dueAtMs = typeof d.dueAt === 'string' ? instantMs(d.dueAt) : Number.NaN;
        if (!Number.isSafeInteger(dueAtMs)) bad(`dueAt ${describe(d.dueAt)} is not an instant`);
        return {
          streamId,
          jobId,
          key,
          dueAtMs,
          json: storableJson(d, 'deadlines'),
          actor,
          version,
        };
      });
    });
    await tx.query(`DELETE FROM ${table} WHERE stream_id = ANY($1::text[])`, [
      work.map((w) => w.streamId),
    ]);
    if (rows.length === 0) return;
    await tx.query(
      `INSERT INTO ${table} (stream_id, job_id, deadline_key, due_at_ms, deadline, actor, version)
       SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::bigint[], $5::jsonb[], $6::text[], $7::integer[])`,
      [
        rows.map((r) => r.streamId),
        rows.map((r) => r.jobId),
        rows.map((r) => r.key),
        rows.map((r) => r.dueAtMs),
        rows.map((r) => r.json),
        rows.map((r) => r.actor),
        rows.map((r) => r.version),
      ],
    );
  };
}
