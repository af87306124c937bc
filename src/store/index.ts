/**
 * milestone-escrow/store: for people writing their own event store.
 *
 * - {@link describeEventStoreContract}: the contract suite; any store that passes it is a store
 *   (the in-memory one and PostgreSQL pass it too). It registers its cases with the test
 *   functions you give it (vitest's or jest's `{ describe, it, expect }`), so this entry depends
 *   on no test runner;
 * - {@link prepareAppend} (or {@link checkAppend}), {@link checkExpectedVersion},
 *   {@link checkStreamId}, {@link checkReadStream}, {@link checkReadAll}, {@link versionMatches}
 *   and {@link concurrencyConflict}: the checks every store makes, so that yours rejects exactly
 *   what the others reject, with the same errors, and stores the same JSON;
 * - the port itself ({@link EventStore} and the types it speaks), as on the main entry;
 * - {@link describeSnapshotStoreContract}: the same for a snapshot store, with
 *   {@link prepareSnapshot}, the checks every snapshot store makes and the JSON to keep;
 * - for a snapshot store: {@link Snapshot} (with its {@link IdempotencyRecord}s and
 *   {@link JOB_SNAPSHOT_VERSION}), {@link snapshotData} and {@link stateFromJson} (a snapshot's
 *   state as plain data and back), {@link serializeState} and {@link deserializeState} (the same
 *   as JSON text);
 * - {@link freezeEvent}: freezes, in place, an event your store validated when it wrote it, so
 *   that folding it shares it instead of copying it.
 * @packageDocumentation
 * @module milestone-escrow/store
 */
export { describeEventStoreContract } from './contract/suite.js';
export type { ContractAssertion, ContractTestFunctions, StoreUnderTest } from './contract/kit.js';
export {
  describeSnapshotStoreContract,
  type SnapshotStoreUnderTest,
} from './contract/snapshots.js';
export {
  checkAppend,
  checkExpectedVersion,
  checkReadAll,
  checkReadStream,
  checkStreamId,
  concurrencyConflict,
  expectedVersionOf,
  MAX_JSON_DEPTH,
  MAX_STREAM_ID_LENGTH,
  MAX_STREAM_VERSION,
  prepareAppend,
  STORE_METADATA_KEYS,
  storableJson,
  versionMatches,
  type ReadBounds,
  type StorableEvent,
} from './append-rules.js';
export {
  JOB_SNAPSHOT_SHAPE,
  JOB_SNAPSHOT_VERSION,
  snapshotData,
  stateFromJson,
  serializeState,
  deserializeState,
  prepareSnapshot,
  type PreparedSnapshot,
  type JobStateData,
  type Snapshot,
  type SnapshotStore,
  type IdempotencyRecord,
} from './snapshots.js';
export { freezeEvent } from '../domain/freeze-event.js';
export type {
  EventStore,
  RecordedEvent,
  RecordedMetadata,
  EventToAppend,
  ExpectedVersion,
  AppendResult,
  ReadStreamOptions,
  ReadAllOptions,
} from './port.js';
