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
      try {
        const kept = prepareSnapshot(snapshot); // the checks every store makes, and the JSON
        const list = byStream.get(kept.streamId) ?? [];
        const others = list.filter((s) => s.version !== kept.version);
        const newest = [...others, kept].sort((a, b) => b.version - a.version).slice(0, keep);
        byStream.set(kept.streamId, newest);
        return Promise.resolve();
      } catch (error) {
        // eslint-disable-next-line @typescript-eslint/no-unnecessary-type-assertion -- prepareSnapshot throws DomainErrors
        return Promise.reject(error as Error); // a rejection, never a throw
      }
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
