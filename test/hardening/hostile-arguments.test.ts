import * as fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  createHistoryChecker,
  createInMemoryEventStore,
  createInMemorySnapshotStore,
  decide,
  evolve,
  feeOn,
  fold,
  initialState,
  isDomainError,
  loadJob,
  verifyHistory,
  type JobEvent,
} from '../../src/index.js';
import {
  byStream,
  closingStatement,
  createProjector,
  ledger,
  ledgerProjection,
  outbox,
  project,
  projectAll,
  projectAllAsync,
  timeline,
  trialBalance,
} from '../../src/projections/index.js';
import {
  assertHistory,
  assertInvariants,
  decideAll,
  escrowArbitraries,
  given,
  logoDesign,
} from '../../src/testing/index.js';

/*
 * harden7's probe of the public surface: every exported function called with null, undefined,
 * a number, `{}`, a string, a throwing getter or proxy, and events that are not events. Each case
 * below threw a TypeError, a SyntaxError, a plain Error ("Unhandled event") or the getter's own
 * error before; each is now a DomainError (the testing toolkit's own failures stay its
 * EscrowAssertionError).
 */

const { state, events, commands } = logoDesign;
const throwingProxy = new Proxy(
  {},
  {
    get() {
      throw new Error('a proxy that throws');
    },
  },
);
const hostile: Record<string, unknown> = {
  null: null,
  undefined,
  'a number': 5,
  '{}': {},
  'a string': 'x',
  'a throwing getter': Object.defineProperty({}, 'type', {
    enumerable: true,
    get(): never {
      throw new Error('a getter that throws');
    },
  }),
  'a throwing proxy': throwingProxy,
};
const notEvents: Record<string, unknown[]> = {
  'a record with null data': [{ type: 'MilestoneFunded', data: null }],
  'a number': [5],
  null: [null],
  'an unknown type': [{ type: 'FundsEscheated', data: {} }],
};

async function code(run: () => unknown): Promise<string> {
  try {
    await run();
    return 'ok';
  } catch (error) {
    if (isDomainError(error)) return error.code;
    return `not a DomainError: ${error instanceof Error ? `${error.name}: ${error.message}` : String(error)}`;
  }
}

/** Runs `call` with every hostile value; lists what did not answer one of `codes`. */
async function probe(
  name: string,
  call: (value: unknown) => unknown,
  values: Record<string, unknown>,
  codes: readonly string[] = ['INVALID_INPUT'],
): Promise<string[]> {
  const found: string[] = [];
  for (const [what, value] of Object.entries(values)) {
    const result = await code(() => call(value));
    if (!codes.includes(result)) found.push(`${name}(${what}): ${result}`);
  }
  return found;
}

describe('hostile arguments to the public surface', () => {
  it('decide, evolve and fold given a state that is not one answer INVALID_INPUT at state/from', async () => {
    const command = commands[5];
    const found = [
      ...(await probe('decide(command, ·)', (s) => decide(command as never, s as never), hostile)),
      ...(await probe(
        'evolve(·, event)',
        (s) => evolve(s as never, events[0] as JobEvent),
        hostile,
      )),
      ...(await probe(
        'fold(events, ·)',
        (s) => fold(events, s as never),
        Object.fromEntries(Object.entries(hostile).filter(([k]) => k !== 'undefined')),
      )),
      ...(await probe('createHistoryChecker(·)', (s) => createHistoryChecker(s as never), {
        ...hostile,
        undefined: {},
      })),
    ];
    expect(found).toEqual([]);
    expect(await code(() => createHistoryChecker(undefined))).toBe('ok');
  });

  it('fold, evolve and the projections given records that are not events answer INVALID_INPUT at their position', async () => {
    const found: string[] = [];
    for (const [what, bad] of Object.entries(notEvents)) {
      const list = [...events.slice(0, 3), ...bad];
      for (const [name, run] of Object.entries({
        fold: () => fold(list as never),
        'fold onto a state': () => fold(bad as never, fold(events.slice(0, 3))),
        evolve: () => evolve(fold(events.slice(0, 3)), bad[0] as never),
        ledger: () => ledger(list as never),
        outbox: () => outbox(list as never),
        timeline: () => timeline(list as never),
        'createProjector().push': () => {
          const projector = createProjector(ledgerProjection);
          for (const e of list) projector.push(e as never);
        },
      })) {
        let thrown: unknown;
        try {
          run();
        } catch (error) {
          thrown = error;
        }
        if (!isDomainError(thrown) || thrown.code !== 'INVALID_INPUT')
          found.push(`${name} of ${what}: ${String(thrown)}`);
        else if (name !== 'evolve' && thrown.details['position'] !== 4)
          found.push(`${name} of ${what}: position ${String(thrown.details['position'])}`);
      }
    }
    expect(found).toEqual([]);
  });

  it('the functions that take a list of events answer INVALID_INPUT for anything else', async () => {
    const lists: Record<string, (value: unknown) => unknown> = {
      fold: (v) => fold(v as never),
      verifyHistory: (v) => verifyHistory(v as never),
      ledger: (v) => ledger(v as never),
      outbox: (v) => outbox(v as never),
      timeline: (v) => timeline(v as never),
      project: (v) => project(ledgerProjection, v as never),
      projectAll: (v) => projectAll(ledgerProjection, v as never),
      projectAllAsync: (v) => projectAllAsync(ledgerProjection, v as never),
      byStream: (v) => byStream(v as never),
      assertHistory: (v) => assertHistory(v as never),
      decideAll: (v) => decideAll(v as never),
    };
    const notLists = Object.fromEntries(
      Object.entries(hostile).filter(([k]) => k !== 'undefined' && k !== 'a string'),
    );
    const found: string[] = [];
    for (const [name, call] of Object.entries(lists))
      found.push(...(await probe(name, call, notLists)));
    expect(found).toEqual([]);
  });

  it('byStream and projectAll answer INVALID_INPUT for a stored event without metadata.streamId', async () => {
    const found = [
      ...(await probe('byStream([·])', (e) => byStream([e] as never), hostile)),
      ...(await probe(
        'projectAll(p, [·])',
        (e) => projectAll(ledgerProjection, [e] as never),
        hostile,
      )),
    ];
    expect(found).toEqual([]);
  });

  it('the runners and readers that take a projection, a ledger or a store answer INVALID_INPUT for anything else', async () => {
    const found = [
      ...(await probe('project(·, events)', (p) => project(p as never, events), hostile)),
      ...(await probe('createProjector(·)', (p) => createProjector(p as never), hostile)),
      ...(await probe('closingStatement(·)', (l) => closingStatement(l as never), hostile)),
      ...(await probe('trialBalance(·)', (l) => trialBalance(l as never), hostile)),
      ...(await probe('loadJob(·, id)', (s) => loadJob(s as never, 'job-x'), hostile)),
    ];
    expect(found).toEqual([]);
    expect(closingStatement(ledger(events)).jobId).toBe(logoDesign.jobId);
  });

  it('feeOn answers INVALID_INPUT for an amount or basis points that are not whole numbers, and stays exact past 2^53', async () => {
    const notNumbers = Object.fromEntries(
      Object.entries(hostile).filter(([k]) => k !== 'null' && k !== 'a number'),
    );
    const found = [
      ...(await probe('feeOn(1000, ·)', (b) => feeOn(1000, b as never), notNumbers)),
      ...(await probe('feeOn(·, 100)', (a) => feeOn(a as never, 100), notNumbers)),
    ];
    expect(found).toEqual([]);
    expect(feeOn(Number.MAX_SAFE_INTEGER, 10_000)).toBe(Number.MAX_SAFE_INTEGER);
    expect(feeOn(7500, 1000)).toBe(750);
  });

  it('isDomainError never throws: a proxy or a getter that throws is not a DomainError', () => {
    expect(isDomainError(throwingProxy)).toBe(false);
    expect(isDomainError(hostile['a throwing getter'])).toBe(false);
  });

  it("the in-memory snapshot store's save answers INVALID_INPUT for null or a throwing getter, and keeps nothing", async () => {
    const snapshots = createInMemorySnapshotStore();
    const found = await probe('save(·)', (s) => snapshots.save(s as never), {
      null: null,
      undefined,
      'a throwing getter': Object.defineProperty({}, 'streamId', {
        enumerable: true,
        get(): never {
          throw new Error('a getter that throws');
        },
      }),
      'a throwing proxy': throwingProxy,
    });
    expect(found).toEqual([]);
    expect(await snapshots.load('undefined')).toBeUndefined();
  });

  it('the testing toolkit: escrowArbitraries, assertInvariants and then answer INVALID_INPUT for arguments that are not theirs', async () => {
    const found = [
      ...(await probe('escrowArbitraries(·)', (f) => escrowArbitraries(f as never), hostile)),
      ...(await probe(
        'assertInvariants(state, ·)',
        (o) => {
          assertInvariants(state, o as never);
        },
        { null: null, 'a number': 5 },
      )),
      ...(await probe(
        'given(events).when(command).then(·)',
        (e) =>
          given(events.slice(0, 3))
            .when(commands[3] as never)
            .then(e as never),
        hostile,
      )),
    ];
    expect(found).toEqual([]);
    expect(escrowArbitraries(fc)).toBeDefined();
    expect(fold([], initialState()).version).toBe(0);
    expect(createInMemoryEventStore()).toBeDefined();
  });
});
