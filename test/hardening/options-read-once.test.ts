import { describe, expect, it } from 'vitest';
import { DomainError, createInMemorySnapshotStore, loadJob, replay } from '../../src/index.js';
import { serializeState, snapshotData } from '../../src/store/index.js';
import { createPostgresSnapshotStore } from '../../src/postgres/index.js';
import {
  state,
  at,
  everyReadThrows,
  revoked,
  storedEvents,
  fakePool,
  entries,
  answersOnceThenSymbol,
  filledStore,
  outcome,
} from './options-entries.js';

/*
 * An options object is read once. A factory (or a function taking options) reads each
 * option once into a copy it checks and uses: an options object whose every read throws (a proxy,
 * a revoked proxy) is INVALID_INPUT naming the option, where the proxy's own error (or a
 * TypeError) escaped; a getter that answers a good value first and something else afterwards is
 * never read again, where the factory checked one value and used the other.
 */

describe('an options object is read once', () => {
  it('every entry point answers INVALID_INPUT naming an option when every read of its options throws', async () => {
    const found: string[] = [];
    for (const entry of entries) {
      for (const [what, hostile] of [
        ['a proxy whose every trap throws', everyReadThrows],
        ['a revoked proxy', revoked.proxy],
      ] as const) {
        const result = (await outcome(() => entry.run(hostile))) as {
          code?: string;
          path?: string;
        };
        if (
          result.code !== 'INVALID_INPUT' ||
          typeof result.path !== 'string' ||
          result.path === ''
        )
          found.push(`${entry.name}(${what}): ${JSON.stringify(result)}`);
      }
    }
    expect(found).toEqual([]);
  });

  it('every entry point reads each option once, and acts on the value it checked', async () => {
    const found: string[] = [];
    for (const entry of entries) {
      const expected = await outcome(() => entry.run(entry.valid()));
      expect(expected, entry.name).toHaveProperty('answer');
      const { options, reads } = answersOnceThenSymbol(entry.valid());
      const result = await outcome(() => entry.run(options));
      const twice = [...reads].filter(([, n]) => n > 1).map(([key]) => key);
      if (twice.length > 0) found.push(`${entry.name} read ${twice.join(', ')} more than once`);
      if (JSON.stringify(result) !== JSON.stringify(expected))
        found.push(`${entry.name}: ${JSON.stringify(result)}`);
    }
    expect(found).toEqual([]);
  });

  it("replay's and loadJob's until, and replay's from, are read once: a throwing one is INVALID_INPUT at until.position or from.version", async () => {
    const store = await filledStore();
    expect(await outcome(() => replay(storedEvents, { until: everyReadThrows as never }))).toEqual({
      code: 'INVALID_INPUT',
      path: 'until.position',
    });
    expect(
      await outcome(() => loadJob(store, 'job-logo', { until: revoked.proxy as never })),
    ).toEqual({ code: 'INVALID_INPUT', path: 'until.position' });
    expect(await outcome(() => replay(storedEvents, { from: everyReadThrows as never }))).toEqual({
      code: 'INVALID_INPUT',
      path: 'from.version',
    });
    // A position that reads 2 and then a Symbol stops at 2.
    const { options: until } = answersOnceThenSymbol({ position: 2 });
    expect(
      await outcome(async () => (await replay(storedEvents, { until: until as never })).position),
    ).toEqual({
      answer: 2,
    });
  });
});

describe('serializeState and snapshotData given a hostile state', () => {
  it('answer INVALID_INPUT at state for a proxy whose every read throws or a revoked proxy; serializeState also for data that cannot be read', async () => {
    const unreadableData = Object.defineProperty({ shape: 'job-state' }, 'job', {
      enumerable: true,
      get(): never {
        throw new Error('a getter that throws');
      },
    });
    for (const hostile of [everyReadThrows, revoked.proxy])
      expect(await outcome(() => snapshotData(hostile as never))).toEqual({
        code: 'INVALID_INPUT',
        path: 'state',
      });
    // Data is handed back as it is by snapshotData; serializeState writes it, and cannot.
    for (const hostile of [everyReadThrows, revoked.proxy, unreadableData])
      expect(await outcome(() => serializeState(hostile as never))).toEqual({
        code: 'INVALID_INPUT',
        path: 'state',
      });
    expect(JSON.parse(serializeState(state))).toEqual(snapshotData(state));
  });
});

describe('DomainError given hostile arguments', () => {
  it('new DomainError answers INVALID_INPUT naming the code, the message or the details it cannot use', async () => {
    const make = (...args: unknown[]) =>
      outcome(() => new (DomainError as new (...a: unknown[]) => DomainError)(...args));
    expect(await make(everyReadThrows)).toEqual({ code: 'INVALID_INPUT', path: 'code' });
    expect(await make(5, 'm')).toEqual({ code: 'INVALID_INPUT', path: 'code' });
    // A newer copy of the package may know more codes: its errors are kept as they are.
    expect(await make('A_NEWER_CODE', 'm')).toEqual({ answer: expect.any(DomainError) as unknown });
    expect(await make('FORBIDDEN', everyReadThrows)).toEqual({
      code: 'INVALID_INPUT',
      path: 'message',
    });
    for (const details of [everyReadThrows, revoked.proxy, null, 5])
      expect(await make('FORBIDDEN', 'm', details)).toEqual({
        code: 'INVALID_INPUT',
        path: 'details',
      });
  });

  it('a DomainError keeps its details as read once: a getter that changes later changes nothing', () => {
    const { options: details, reads } = answersOnceThenSymbol({ path: 'data.amount', rule: 'R1' });
    const error = new DomainError(
      'INVALID_INPUT',
      'amount must be a whole number',
      details as never,
    );
    expect(JSON.parse(JSON.stringify(error))).toEqual({
      code: 'INVALID_INPUT',
      message: 'amount must be a whole number',
      details: { path: 'data.amount', rule: 'R1' },
    });
    expect(error.details.path).toBe('data.amount');
    expect([...reads.values()]).toEqual([1, 1]);
  });
});

describe("a snapshot store's load options", () => {
  it('are read once: options whose reads throw are INVALID_INPUT at atOrBefore, a Symbol finds nothing, in both stores', async () => {
    const memory = createInMemorySnapshotStore();
    await memory.save({
      streamId: 's',
      version: 1,
      snapshotVersion: 'v1',
      state: null,
      idempotency: [],
      takenAt: at,
    });
    const postgres = createPostgresSnapshotStore({ pool: fakePool });
    for (const store of [memory, postgres]) {
      for (const hostile of [everyReadThrows, revoked.proxy])
        expect(await outcome(() => store.load('s', hostile as never))).toEqual({
          code: 'INVALID_INPUT',
          path: 'atOrBefore',
        });
      expect(await outcome(() => store.load('s', null as never))).toEqual({
        code: 'INVALID_INPUT',
        path: '',
      });
      expect(
        await outcome(() => store.load('s', { atOrBefore: Symbol('limit') as never })),
      ).toEqual({ answer: undefined });
    }
    expect((await memory.load('s', { atOrBefore: 1 }))?.version).toBe(1);
  });
});
