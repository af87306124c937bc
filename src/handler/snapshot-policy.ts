import type { JobState } from '../domain/state.js';
import type { IdempotencyRecord, SnapshotStore } from '../store/snapshots.js';
import { trustOwnState } from '../store/snapshot-check.js';

/*
 * When the handler takes a snapshot: whenever an append takes the stream across a multiple of
 * `every` events. A snapshot that fails to save is reported and otherwise ignored: the command
 * has already succeeded, and the next crossing tries again.
 */

/** Saves a snapshot after an append when the policy says so. */
export type SnapshotPolicy = (
  streamId: string,
  before: number,
  state: JobState,
  index: ReadonlyMap<string, IdempotencyRecord>,
) => Promise<void>;

/** The policy of a handler: none without a snapshot store (`every` checked by the handler). */
export function snapshotPolicy(options: {
  readonly snapshots: SnapshotStore | undefined;
  readonly every: number;
  readonly snapshotVersion: string;
  readonly now: () => string;
  readonly onError: ((error: unknown) => void) | undefined;
}): SnapshotPolicy {
  const { snapshots, every, snapshotVersion, now, onError } = options;
  return async (streamId, before, state, index) => {
    if (snapshots === undefined || Math.floor(state.version / every) === Math.floor(before / every))
      return;
    // The handler's own state: a load that gets this very object back need not walk it again.
    trustOwnState(state);
    try {
      await snapshots.save({
        streamId,
        version: state.version,
        snapshotVersion,
        state,
        idempotency: [...index.values()],
        takenAt: now(),
      });
    } catch (error) {
      onError?.(error);
    }
  };
}
