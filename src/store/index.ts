/**
 * milestone-escrow/store: for people writing their own event store.
 *
 * - {@link describeEventStoreContract}: the contract suite; any store that passes it is a store
 *   (the in-memory one and PostgreSQL pass it too). It registers its cases with the test
 *   functions you give it (vitest's or jest's `{ describe, it, expect }`), so this entry depends
 *   on no test runner;
 * - {@link checkAppend}, {@link checkExpectedVersion}, {@link versionMatches} and
 *   {@link concurrencyConflict}: the checks every store makes before an append, so that yours
 *   rejects exactly what the others reject, with the same errors;
 * - the port itself ({@link EventStore} and the types it speaks), as on the main entry;
 * - {@link snapshotData} and {@link stateFromJson}: a snapshot's state as the plain data a store
 *   that persists snapshots writes, and back.
 * @packageDocumentation
 * @module milestone-escrow/store
 */
export { describeEventStoreContract } from './contract/suite.js';
export type { ContractAssertion, ContractTestFunctions, StoreUnderTest } from './contract/kit.js';
export {
  checkAppend,
  checkExpectedVersion,
  concurrencyConflict,
  versionMatches,
} from './append-rules.js';
export { snapshotData, stateFromJson, type JobStateData } from './snapshots.js';
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
