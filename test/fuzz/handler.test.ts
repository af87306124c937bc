import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createCommandHandler,
  createInMemoryEventStore,
  type JobCommandInput,
} from '../../src/index.js';
import type { EventStore, RecordedEvent } from '../../src/store/port.js';
import { escrowArbitraries } from '../../src/testing/index.js';
import { openTestDatabase, skipPostgres, type TestDatabase } from '../postgres/database.js';
import {
  describeDeep,
  fuzz,
  hostile,
  mutate,
  mutation,
  oddKey,
  outcomeOf,
  report,
} from './hostile.js';

/*
 * Fuzzing the command handler (issue 16): a legal job, then one hostile command or hostile
 * options (idempotency keys and fingerprints, metadata, expected versions, job ids), run on the
 * in-memory store and on PostgreSQL. The oracle: success or a DomainError with a known code, the
 * caller's objects unchanged, and the same outcome and the same stream on both stores.
 */

const arb = escrowArbitraries(fc);
const pool = fc.sample(arb.history({ minSteps: 1, maxSteps: 10 }), { numRuns: 30, seed: 61 });

const hostileOptions: fc.Arbitrary<Record<string, unknown>> = fc.record(
  {
    idempotencyKey: fc.oneof(fc.constantFrom('k', 'k2', '\ud800', '', 'x'.repeat(256)), hostile),
    idempotencyFingerprint: hostile,
    metadata: fc.oneof(
      hostile,
      fc.dictionary(oddKey, hostile, { maxKeys: 3 }),
      fc.constant({ tenant: 'acme' }),
    ),
    expectedVersion: fc.oneof(fc.nat({ max: 40 }), hostile),
    commandId: fc.oneof(fc.constant('c-1'), hostile),
    correlationId: fc.oneof(fc.constant('corr'), hostile),
  },
  { requiredKeys: [] },
);

interface Case {
  readonly commands: readonly JobCommandInput[];
  readonly jobId: unknown;
  readonly last: unknown;
  readonly options: Record<string, unknown>;
}

const cases: fc.Arbitrary<Case> = fc.constantFrom(...pool).chain((h) => {
  const commands = h.commands;
  const jobId = (commands[0]?.data as { jobId?: string } | undefined)?.jobId ?? 'job-1';
  return fc.record({
    commands: fc.constant(commands),
    jobId: fc.oneof(
      { weight: 6, arbitrary: fc.constant(jobId) },
      { weight: 1, arbitrary: fc.oneof(fc.constantFrom('\ud800', 'x'.repeat(300), ''), hostile) },
    ),
    last: fc.oneof(
      fc.constantFrom(...(commands as unknown[])),
      fc.tuple(fc.constantFrom(...(commands as unknown[])), mutation).map(([c, m]) => mutate(c, m)),
    ),
    options: hostileOptions,
  });
});

async function stream(store: EventStore, streamId: string): Promise<unknown[]> {
  const out: unknown[] = [];
  try {
    for await (const e of store.readStream(streamId)) out.push(comparable(e));
  } catch {
    return ['unreadable'];
  }
  return out;
}

/** An event without what differs between stores by design (ids, instants, global positions). */
function comparable(e: RecordedEvent): unknown {
  const metadata: Record<string, unknown> = { ...e.metadata };
  for (const key of ['eventId', 'recordedAt', 'globalPosition'])
    Reflect.deleteProperty(metadata, key);
  return { type: e.type, data: e.data, metadata };
}

/** Plays the case on a store: the legal prefix, then the hostile command twice (a retry). */
async function play(
  store: EventStore,
  c: Case,
): Promise<{ outcomes: string[]; events: unknown[] }> {
  let n = 0;
  const handler = createCommandHandler({ store, newId: () => `id-${String((n += 1))}` });
  const jobId = (c.commands[0]?.data as { jobId: string }).jobId;
  for (const command of c.commands) await handler.handle(jobId, command);
  const outcomes: string[] = [];
  for (let i = 0; i < 2; i++) {
    outcomes.push(
      await outcomeOf(() =>
        handler.handle(c.jobId as string, c.last as JobCommandInput, c.options),
      ),
    );
  }
  const streamId = typeof c.jobId === 'string' ? handler.streamIdOf(c.jobId) : '';
  return { outcomes, events: await stream(store, streamId) };
}

let db: TestDatabase | undefined;
beforeAll(async () => {
  if (!skipPostgres) db = await openTestDatabase('fuzz');
});
afterAll(async () => {
  await db?.drop();
  report('handler');
});

describe('fuzz: the command handler on hostile commands and options', () => {
  it('in memory: a DomainError or a result, never another exception; the caller’s objects unchanged', async () => {
    await fuzz('handler (memory)', cases, async (c) => {
      const before = describeDeep([c.last, c.options, c.jobId]);
      await play(createInMemoryEventStore(), c);
      expect(describeDeep([c.last, c.options, c.jobId])).toBe(before);
    });
  });

  it.skipIf(skipPostgres)(
    'in memory and on PostgreSQL: the same outcomes and the same stream',
    async () => {
      await fuzz(
        'handler (memory = PostgreSQL)',
        cases,
        async (c) => {
          const memory = await play(createInMemoryEventStore(), c);
          await db?.truncate();
          const postgres = await play(db?.store() as EventStore, c);
          expect(postgres).toEqual(memory);
        },
        0.2,
      );
    },
  );
});
