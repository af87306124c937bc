import { isInstance } from '../domain/shared/parse.js';
import { AppendOutcomeUnknownError } from './append-outcome.js';

/*
 * Group commit for the PostgreSQL store's appends: the appends one store instance receives while
 * a statement is in flight are sent together as the next statement (one round trip, one
 * transaction, one turn at the global-position counter, one WAL flush), each still checked
 * against its own expected version. Why this rather than a sequence, and why no reader can skip
 * an event: docs/postgres.md, "The global order, and what it costs".
 */

/** One append's rows, ready for the statement's arrays. */
export interface PreparedAppend {
  readonly streamId: string;
  /** The version the stream must be at, or null for `'any'`. */
  readonly expected: number | null;
  readonly types: readonly string[];
  readonly data: readonly string[];
  readonly metadata: readonly string[];
  readonly schemaVersions: readonly number[];
}

/** What the statement says about one append of a batch. */
export interface BatchOutcome {
  /** The stream's version when the statement read it. */
  readonly currentVersion: number;
  /** Null when the expected version did not match (nothing of this append was written). */
  readonly lastGlobalPosition: number | null;
  readonly lastStreamPosition: number | null;
}

// A batch stops growing at this many appends or events: one large append goes alone, and a
// statement's arrays stay a few megabytes at most.
const MAX_APPENDS = 256;
const MAX_EVENTS = 4_096;

/** The parameters of `appendBatch` (src/postgres/sql.ts) for a batch, in the order it numbers them. */
export function batchParameters(batch: readonly PreparedAppend[]): unknown[] {
  const streamIds: string[] = [];
  const expected: (number | null)[] = [];
  const counts: number[] = [];
  const app: number[] = [];
  const index: number[] = [];
  const types: string[] = [];
  const data: string[] = [];
  const metadata: string[] = [];
  const schemaVersions: number[] = [];
  batch.forEach((append, k) => {
    streamIds.push(append.streamId);
    expected.push(append.expected);
    counts.push(append.types.length);
    for (let i = 0; i < append.types.length; i++) {
      app.push(k + 1);
      index.push(i + 1);
      types.push(append.types[i] as string);
      data.push(append.data[i] as string);
      metadata.push(append.metadata[i] as string);
      schemaVersions.push(append.schemaVersions[i] as number);
    }
  });
  return [streamIds, expected, counts, app, index, types, data, metadata, schemaVersions];
}

interface Waiting {
  readonly append: PreparedAppend;
  readonly resolve: (outcome: BatchOutcome) => void;
  readonly reject: (error: unknown) => void;
}

/**
 * Runs a batch of appends as one statement and returns one outcome per append, in order; throws
 * what the statement throws (nothing of the batch is then written).
 */
export type RunBatch = (batch: readonly PreparedAppend[]) => Promise<readonly BatchOutcome[]>;

/**
 * Queues appends and sends them in batches, one statement in flight at a time: the appends that
 * arrive while a statement runs go together in the next one. Two appends to one stream never
 * share a batch (the later one waits for the next), so each sees the other's result as a version.
 * A batch that fails is retried one append at a time (`single`), so that every append gets its
 * own outcome or error and one bad append never fails the others.
 */
export function createAppendQueue(
  run: RunBatch,
  single: (append: PreparedAppend) => Promise<BatchOutcome>,
): (append: PreparedAppend) => Promise<BatchOutcome> {
  let queue: Waiting[] = [];
  let draining = false;

  function take(): Waiting[] {
    const batch: Waiting[] = [];
    const rest: Waiting[] = [];
    const streams = new Set<string>();
    let events = 0;
    for (const w of queue) {
      const n = w.append.types.length;
      const fits =
        batch.length === 0 ||
        (batch.length < MAX_APPENDS && events + n <= MAX_EVENTS && !streams.has(w.append.streamId));
      if (fits) {
        batch.push(w);
        streams.add(w.append.streamId);
        events += n;
      } else rest.push(w);
    }
    queue = rest;
    return batch;
  }

  async function runOne(w: Waiting): Promise<void> {
    try {
      w.resolve(await single(w.append));
    } catch (error) {
      w.reject(error);
    }
  }

  async function drain(): Promise<void> {
    draining = true;
    try {
      for (;;) {
        // Let the callers the last statement answered come back first: a caller that appends
        // again as soon as its append resolves does so a few promise steps later, and without
        // this turn the next batch would leave it for the one after (batches of half the writers).
        await new Promise((resolve) => setImmediate(resolve));
        if (queue.length === 0) break;
        const batch = take();
        if (batch.length === 1) {
          await runOne(batch[0] as Waiting);
          continue;
        }
        let outcomes: readonly BatchOutcome[] | undefined;
        try {
          outcomes = await run(batch.map((w) => w.append));
        } catch (error) {
          // Written or not, the database cannot say: every append of the batch is told so, and
          // none is sent again (that could write it twice).
          // isInstance: a revoked proxy a pool threw is no outcome, not a TypeError.
          if (isInstance(error, AppendOutcomeUnknownError)) {
            for (const w of batch)
              w.reject(new AppendOutcomeUnknownError(w.append.streamId, error.cause));
            continue;
          }
          // Nothing of the batch was written: each append on its own, for its own outcome.
          for (const w of batch) await runOne(w);
          continue;
        }
        batch.forEach((w, i) => {
          w.resolve(outcomes[i] as BatchOutcome);
        });
      }
    } finally {
      draining = false;
    }
  }

  return (append) =>
    new Promise<BatchOutcome>((resolve, reject) => {
      queue.push({ append, resolve, reject });
      if (!draining) void drain();
    });
}
