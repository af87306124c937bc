import { REFUSED_SNAPSHOTS as REFUSED, throwing } from './snapshot-refusals.js';
import {
  JOB_SNAPSHOT_SHAPE,
  JOB_SNAPSHOT_VERSION,
  serializeState,
  stateFromJson,
  type Snapshot,
  type SnapshotStore,
} from '../snapshots.js';
import {
  checkSuiteArguments,
  keepOf,
  SNAPSHOTS,
  registerGroup,
  type CaseGroup,
  type ContractTestFunctions,
  type ExpectCode,
} from './kit.js';

/*
 * The snapshot store contract: what the in-memory and the PostgreSQL snapshot stores both do
 * (docs/decisions.md, "snapshot store contract"). Where they differ by design, the cases do not
 * look: a loaded state may be a state, its plain data or its JSON text, so states are compared as
 * `stateFromJson` reads them, and idempotency records without their key order (jsonb).
 */

/** What a snapshot store factory returns: an EMPTY store, how many it keeps, how to close it. */
export interface SnapshotStoreUnderTest {
  /** An empty snapshot store. */
  readonly store: SnapshotStore;
  /** How many snapshots it keeps per stream, the newest (its `keep`; left out: every one). */
  readonly keep?: number;
  /** Runs after the case. */
  readonly close?: () => Promise<void>;
}

interface Case {
  readonly store: SnapshotStore;
  readonly keep: number;
  readonly expect: ContractTestFunctions['expect'];
  readonly expectCode: ExpectCode;
}

/** A job awarded with terms of `milestones` milestones accepted, as plain data (the shape pinned). */
function stateData(version: number, milestones = 2, title = 'Logo design'): unknown {
  const award = { jobId: 'job-1', title, clientId: 'clara', freelancerId: 'felix' };
  const policy = { reviewDays: 14, disputeResponseDays: 7, serviceFeeBps: 0 };
  const list = Array.from({ length: milestones }, (_, i) => ({
    milestoneId: `m${String(i + 1)}`,
    title: `Milestone ${String(i + 1)}`,
    description: '',
    dueDate: '2014-11-24',
    amount: 5000,
  }));
  const totals = { funded: 0, held: 0, released: 0, refunded: 0, fees: 0 };
  return {
    shape: JOB_SNAPSHOT_SHAPE,
    version,
    job: {
      award: { ...award, currency: 'USD', policy, at: '2014-11-03T09:00:00Z' },
      closedAt: null,
      reviews: [],
      lastAt: '2014-11-03T09:02:00Z',
    },
    terms: {
      active: { proposalId: 'p1', milestones: list },
      pending: null,
      proposalIds: ['p1'],
      retiredMilestoneIds: [],
    },
    escrow: { milestones: [], fundingIds: [], settled: [], totals },
    dispute: { disputes: [], openByMilestone: [], open: 0 },
    review: { clocks: [] },
  };
}

/** A valid snapshot of `streamId` at `version`, its state and fields telling it apart. */
function snap(streamId: string, version: number, fields: Partial<Snapshot> = {}): Snapshot {
  return {
    streamId,
    version,
    snapshotVersion: JOB_SNAPSHOT_VERSION,
    state: stateData(version),
    idempotency:
      version === 0
        ? []
        : [{ key: `k${String(version)}`, commandHash: 'a'.repeat(64), from: 1, to: version }],
    takenAt: `2026-01-02T03:04:05.${String(version).padStart(6, '0')}Z`,
    ...fields,
  };
}

/** A snapshot as every store hands it back alike: its state as read, its records' keys sorted. */
function seen(s: Snapshot | undefined): unknown {
  if (s === undefined) return undefined;
  const { streamId, version, snapshotVersion, takenAt } = s;
  const idempotency = s.idempotency.map((r) => Object.entries(r).sort());
  return {
    streamId,
    version,
    snapshotVersion,
    takenAt,
    idempotency,
    state: serializeState(stateFromJson(s.state)),
  };
}

/** The versions a store keeps of these saves (in order): the newest `keep` of them. */
function keptOf(versions: readonly number[], keep: number): number[] {
  const kept: number[] = [];
  for (const v of versions) {
    kept.push(v);
    kept.sort((a, b) => b - a);
    kept.splice(keep);
  }
  return kept;
}

const roundTrip: CaseGroup<Case> = {
  title: 'saving and loading',
  cases: [
    {
      title: 'an unknown stream has no snapshot',
      run: async ({ store, expect }) => {
        expect(await store.load('job-unknown')).toBe(undefined);
        expect(await store.load('job-unknown', { atOrBefore: 5 })).toBe(undefined);
      },
    },
    {
      title:
        'a load gives back what was saved: stream, versions, state (as read), idempotency, takenAt',
      run: async ({ store, expect }) => {
        const saved = snap('job-1', 3);
        await store.save(saved);
        expect(seen(await store.load('job-1'))).toEqual(seen(saved));
      },
    },
    {
      title:
        'a state given as a state, as its plain data or as its JSON text loads back as that state',
      run: async ({ store, expect }) => {
        const data = stateData(3);
        const forms = [stateFromJson(data), data, JSON.stringify(data)];
        for (const [i, state] of forms.entries())
          await store.save(snap(`job-${String(i)}`, 3, { state }));
        for (const i of [0, 1, 2]) {
          const id = `job-${String(i)}`;
          expect(seen(await store.load(id))).toEqual(seen(snap(id, 3)));
        }
      },
    },
    {
      title:
        'loads the newest, or the newest at or before atOrBefore (none of NaN, -1 or before the oldest)',
      run: async ({ store, keep, expect }) => {
        for (const v of [10, 30, 20]) await store.save(snap('job-1', v));
        const kept = keptOf([10, 30, 20], keep);
        for (const limit of [undefined, Infinity, 30, 29.5, 25, 20, 15, 10, 9, 0, -1, Number.NaN]) {
          const found = await store.load('job-1', limit === undefined ? {} : { atOrBefore: limit });
          const newest = kept.find((v) => limit === undefined || v <= limit);
          expect(seen(found), `atOrBefore ${String(limit)}`).toEqual(
            newest === undefined ? undefined : seen(snap('job-1', newest)),
          );
        }
      },
    },
    {
      title:
        'a snapshotVersion of 200 characters (an emoji is one) and a takenAt with an offset and nanoseconds, or of year 0000, are kept as given',
      run: async ({ store, expect }) => {
        const longest = snap('job-1', 3, {
          snapshotVersion: '\u{1F600}'.repeat(200),
          takenAt: '2026-01-02T03:04:05.123456789+05:30',
        });
        await store.save(longest);
        expect(seen(await store.load('job-1'))).toEqual(seen(longest));
        const first = snap('job-2', 3, { takenAt: '0000-01-01T00:00:00Z' });
        await store.save(first);
        expect(seen(await store.load('job-2'))).toEqual(seen(first));
      },
    },
    {
      title: 'version 0 is a version',
      run: async ({ store, expect }) => {
        await store.save(snap('job-1', 0));
        expect((await store.load('job-1', { atOrBefore: 0 }))?.version).toBe(0);
      },
    },
    {
      title: 'streams are independent: their own newest, their own keep',
      run: async ({ store, expect }) => {
        await store.save(snap('job-a', 5));
        for (const v of [1, 2, 3, 4, 6, 7]) await store.save(snap('job-b', v));
        expect(seen(await store.load('job-a'))).toEqual(seen(snap('job-a', 5)));
        expect((await store.load('job-b'))?.version).toBe(7);
        expect(await store.load('job-a', { atOrBefore: 4 })).toBe(undefined);
      },
    },
    {
      title:
        'a snapshotVersion is kept as given, not a key: the newest is loaded whatever its snapshotVersion (the handler ignores another one), and the same version with another replaces it',
      run: async ({ store, keep, expect }) => {
        await store.save(snap('job-1', 10, { snapshotVersion: 'job-state@0' }));
        await store.save(snap('job-1', 20));
        await store.save(snap('job-1', 30, { snapshotVersion: 'job-state@0' }));
        expect((await store.load('job-1'))?.snapshotVersion).toBe('job-state@0');
        if (keep > 1)
          expect((await store.load('job-1', { atOrBefore: 29 }))?.snapshotVersion).toBe(
            JOB_SNAPSHOT_VERSION,
          );
        await store.save(snap('job-1', 30));
        expect(seen(await store.load('job-1'))).toEqual(seen(snap('job-1', 30)));
      },
    },
    {
      title: 'keeps the newest `keep` of each stream, an older version saved late included',
      run: async ({ store, keep, expect }) => {
        const versions = [1, 2, 3, 4, 5, 6, 7, 8, 0];
        for (const v of versions) await store.save(snap('job-1', v));
        const kept = keptOf(versions, keep);
        for (const v of versions) {
          const found = await store.load('job-1', { atOrBefore: v });
          expect(found?.version, `at or before ${String(v)}`).toBe(kept.find((k) => k <= v));
        }
      },
    },
    {
      title: 'saving a version again replaces it: state, snapshotVersion, idempotency and takenAt',
      run: async ({ store, expect }) => {
        await store.save(snap('job-1', 4));
        const again = snap('job-1', 4, {
          state: stateData(4, 3, 'Again'),
          snapshotVersion: 'job-state@again',
          idempotency: [],
          takenAt: '2026-01-03T00:00:00+01:00',
        });
        await store.save(again);
        expect(seen(await store.load('job-1'))).toEqual(seen(again));
      },
    },
    {
      title: 'a state of 10,000 milestones loads back whole',
      run: async ({ store, expect }) => {
        const big = snap('job-1', 3, { state: stateData(3, 10_000) });
        await store.save(big);
        expect(seen(await store.load('job-1'))).toEqual(seen(big));
      },
    },
    {
      title:
        'nothing a caller does to what it saved or loaded, nor a later save, changes a snapshot handed out',
      run: async ({ store, expect }) => {
        const mine = snap('job-1', 4);
        await store.save(mine);
        (mine.idempotency as unknown[]).push({
          key: 'late',
          commandHash: 'b'.repeat(64),
          from: 1,
          to: 1,
        });
        (mine.state as { version: number }).version = 99;
        const first = await store.load('job-1');
        const before = JSON.stringify(seen(first));
        expect(seen(first)).toEqual(seen(snap('job-1', 4)));
        const other = snap('job-1', 4, {
          state: stateData(4, 1, 'Other'),
          takenAt: '2026-01-03T00:00:00Z',
        });
        await store.save(other);
        expect(JSON.stringify(seen(first))).toBe(before);
        const loaded = await store.load('job-1');
        try {
          (loaded?.idempotency as unknown[]).push({ key: 'mine' });
        } catch {
          // a frozen snapshot is fine too
        }
        expect(seen(await store.load('job-1'))).toEqual(seen(other));
      },
    },
  ],
};

const badInput: CaseGroup<Case> = {
  title: 'bad input',
  cases: [
    ...REFUSED.map(([what, fields, path]) => ({
      title: `${what} is INVALID_INPUT at ${path}, and nothing is kept`,
      run: async ({ store, expect, expectCode }: Case) => {
        await store.save(snap('job-1', 3));
        const bad = { ...snap('job-1', 4), ...fields };
        const error = await expectCode(store.save(bad), 'INVALID_INPUT');
        expect((error as { details: { path?: unknown } }).details.path).toBe(path);
        expect(seen(await store.load('job-1'))).toEqual(seen(snap('job-1', 3)));
      },
    })),
    ...(
      [
        ['null', null, 'snapshot'],
        ['a string', 'snapshot', 'snapshot'],
        ['an object whose streamId getter throws', throwing('streamId'), 'snapshot.streamId'],
      ] as const
    ).map(([what, value, path]) => ({
      title: `a snapshot that is ${what} is INVALID_INPUT at ${path}`,
      run: async ({ store, expect, expectCode }: Case) => {
        const error = await expectCode(store.save(value as unknown as Snapshot), 'INVALID_INPUT');
        expect((error as { details: { path?: unknown } }).details.path).toBe(path);
      },
    })),
    {
      title:
        'a stream id no store can keep (a lone surrogate, U+0000) finds nothing, not a neighbour',
      run: async ({ store, expect }) => {
        await store.save(snap('job-\ufffd', 3));
        expect((await store.load('job-\ufffd'))?.version).toBe(3);
        expect(await store.load('job-\ud800')).toBe(undefined);
        expect(await store.load('job-\u0000')).toBe(undefined);
      },
    },
    {
      title:
        'a state that is JSON but not a job state is kept, not judged: reading it back (stateFromJson) is INVALID_INPUT, so the handler ignores it',
      run: async ({ store, expect, expectCode }) => {
        for (const [i, state] of [{ n: 1 }, 'text', null, [1, 2]].entries()) {
          const id = `job-${String(i)}`;
          await store.save(snap(id, 3, { state }));
          const loaded = await store.load(id);
          expect(loaded?.version).toBe(3);
          await expectCode(Promise.resolve(loaded?.state).then(stateFromJson), 'INVALID_INPUT');
        }
      },
    },
  ],
};

/**
 * Registers the snapshot store contract suite for one snapshot store, as
 * {@link describeEventStoreContract} does for an event store: `makeStore` returns an EMPTY store
 * for each case, with the `keep` it was made with (left out: it keeps every snapshot) and an
 * optional `close`; the third argument is your test runner's `{ describe, it, expect }`. States
 * are compared as `stateFromJson` reads them: a store may hand a state back as a state, as its
 * plain data or as its JSON text. {@link prepareSnapshot} makes the checks every store makes.
 *
 * @example
 * ```ts compile-only
 * import { describe, expect, it } from 'vitest';
 * import { createInMemorySnapshotStore } from 'milestone-escrow';
 * import { describeSnapshotStoreContract } from 'milestone-escrow/store';
 *
 * describeSnapshotStoreContract(
 *   'in-memory',
 *   async () => ({ store: createInMemorySnapshotStore({ keep: 3 }), keep: 3 }),
 *   { describe, it, expect },
 * );
 * ```
 */
export function describeSnapshotStoreContract(
  name: string,
  makeStore: () => Promise<SnapshotStoreUnderTest>,
  test: ContractTestFunctions,
): void {
  checkSuiteArguments(name, makeStore, test);
  test.describe(`snapshot store contract: ${name}`, () => {
    for (const group of [roundTrip, badInput])
      registerGroup(test, makeStore, SNAPSHOTS, group, ({ store, keep }, expectCode) => ({
        store,
        keep: keepOf(keep),
        expect: test.expect,
        expectCode,
      }));
  });
}
