import { describe, expect, it } from 'vitest';
import {
  describeSnapshotStoreContract,
  prepareSnapshot,
  type IdempotencyRecord,
  type PreparedSnapshot,
  type SnapshotStore,
} from 'milestone-escrow/store';

// #region snapshot-store
/** Snapshots as JSON text in a Map: a file, Redis or DynamoDB would keep the same strings. */
function createTextSnapshotStore(keep: number): SnapshotStore {
  const byStream = new Map<string, PreparedSnapshot[]>();
  return {
    save(snapshot) {
      // Inside the executor, prepareSnapshot's INVALID_INPUT is a rejection, never a throw.
      return new Promise((resolve) => {
        const kept = prepareSnapshot(snapshot); // the checks every store makes, and the JSON
        const others = (byStream.get(kept.streamId) ?? []).filter(
          (s) => s.version !== kept.version,
        );
        byStream.set(
          kept.streamId,
          [...others, kept].sort((x, y) => y.version - x.version).slice(0, keep),
        );
        resolve();
      });
    },
    load(streamId, { atOrBefore = Infinity } = {}) {
      const found = byStream.get(streamId)?.find((s) => s.version <= atOrBefore);
      if (found === undefined) return Promise.resolve(undefined);
      const idempotency = JSON.parse(found.idempotency) as IdempotencyRecord[];
      return Promise.resolve({ ...found, idempotency }); // the state as JSON text
    },
  };
}

describeSnapshotStoreContract(
  'a Map of JSON text',
  () => Promise.resolve({ store: createTextSnapshotStore(2), keep: 2 }),
  { describe, it, expect },
);
// #endregion snapshot-store
