import { describe, expect, it } from 'vitest';
import { createCommandHandler, isDomainError, type JobCommandInput } from '../../src/index.js';
import { createInMemoryEventStore } from '../../src/store/memory.js';
import type { EventStore, RecordedEvent } from '../../src/store/port.js';
import { award, propose } from '../app/histories.js';
import { skipPostgres, useTestDatabase } from './database.js';

/*
 * Issue 16 at the store port: the same input gives the same outcome on the in-memory store and
 * PostgreSQL, and that outcome is a DomainError with a code, never a driver's error (D3, D4, D8,
 * D10 and D11's cyclic and BigInt metadata).
 */

type Outcome = string;

async function outcome(run: () => Promise<unknown>): Promise<Outcome> {
  try {
    await run();
    return 'ok';
  } catch (error) {
    if (isDomainError(error)) return error.code;
    return `not a DomainError: ${String(error)}`;
  }
}

async function collect(events: AsyncIterable<RecordedEvent>): Promise<RecordedEvent[]> {
  const out: RecordedEvent[] = [];
  for await (const e of events) out.push(e);
  return out;
}

describe.skipIf(skipPostgres)('issue 16: the in-memory store and PostgreSQL agree', () => {
  const db = useTestDatabase('hardening');

  /** Runs `scenario` on a fresh in-memory store and on PostgreSQL; both outcomes. */
  async function both(
    scenario: (store: EventStore) => Promise<unknown>,
  ): Promise<{ memory: Outcome; postgres: Outcome }> {
    await db.truncate();
    return {
      memory: await outcome(() => scenario(createInMemoryEventStore())),
      postgres: await outcome(() => scenario(db.store())),
    };
  }

  it('D3: stream ids that differ only in lone surrogates are INVALID_INPUT in both, never one merged stream', async () => {
    const result = await both(async (store) => {
      await store.appendToStream('job-\ud800', [{ type: 'A', data: {} }], {
        expectedVersion: 'any',
      });
    });
    expect(result).toEqual({ memory: 'INVALID_INPUT', postgres: 'INVALID_INPUT' });
    await db.truncate();
    const store = db.store();
    await store.appendToStream('job-\ufffd', [{ type: 'A', data: {} }], { expectedVersion: 'any' });
    // It answered job-\ud800 with job-\ufffd's events.
    expect(await outcome(() => collect(store.readStream('job-\udc00')))).toBe('INVALID_INPUT');
  });

  it('D4: a 1 MB stream id is INVALID_INPUT in both (PostgreSQL: 54000 index row requires 11472 bytes)', async () => {
    expect(
      await both((store) =>
        store.appendToStream('x'.repeat(1 << 20), [{ type: 'A', data: {} }], {
          expectedVersion: 'any',
        }),
      ),
    ).toEqual({ memory: 'INVALID_INPUT', postgres: 'INVALID_INPUT' });
  });

  it('D4: expectedVersion and schemaVersion 2^31 are INVALID_INPUT in both (22003 out of range; memory said CONCURRENCY_CONFLICT)', async () => {
    expect(
      await both((store) =>
        store.appendToStream('job-1', [{ type: 'A', data: {} }], { expectedVersion: 2 ** 31 }),
      ),
    ).toEqual({ memory: 'INVALID_INPUT', postgres: 'INVALID_INPUT' });
    expect(
      await both((store) =>
        store.appendToStream(
          'job-1',
          [{ type: 'A', data: {}, metadata: { schemaVersion: 2 ** 31 } }],
          {
            expectedVersion: 'any',
          },
        ),
      ),
    ).toEqual({ memory: 'INVALID_INPUT', postgres: 'INVALID_INPUT' });
  });

  it('D4: a lone surrogate in data the domain did not check is INVALID_INPUT in both (22P02 invalid input syntax for type json)', async () => {
    expect(
      await both((store) =>
        store.appendToStream('job-1', [{ type: 'Custom', data: { title: 'Logo \ud800' } }], {
          expectedVersion: 'any',
        }),
      ),
    ).toEqual({ memory: 'INVALID_INPUT', postgres: 'INVALID_INPUT' });
  });

  it('D4: through the handler, a title with a lone surrogate is INVALID_INPUT before any store is asked', async () => {
    const command = { ...award(), data: { ...award().data, title: 'Logo \ud800' } };
    expect(
      await both((store) =>
        createCommandHandler({ store }).handle('j', command as JobCommandInput),
      ),
    ).toEqual({ memory: 'INVALID_INPUT', postgres: 'INVALID_INPUT' });
  });

  it('D8: odd read bounds are INVALID_INPUT in both ({after: 1.5} gave undefined items, {after: NaN} nothing, {to: 2.5} three events)', async () => {
    for (const bounds of [{ after: 1.5 }, { after: Number.NaN }, { to: 2.5 }, { after: -1 }]) {
      const result = await both(async (store) => {
        await store.appendToStream(
          'job-1',
          [1, 2, 3].map((i) => ({ type: 'A', data: { i } })),
          {
            expectedVersion: 'no-stream',
          },
        );
        return collect(store.readStream('job-1', bounds));
      });
      expect(result).toEqual({ memory: 'INVALID_INPUT', postgres: 'INVALID_INPUT' });
    }
    const all = await both((store) => collect(store.readAll({ after: 0.5 })));
    expect(all).toEqual({ memory: 'INVALID_INPUT', postgres: 'INVALID_INPUT' });
  });

  it('D10: a metadata key __proto__ is INVALID_INPUT in both (PostgreSQL dropped it, memory kept it)', async () => {
    for (const key of ['__proto__', 'constructor', 'prototype']) {
      const metadata = JSON.parse(`{"${key}":{"x":1},"tenant":"acme"}`) as Record<string, unknown>;
      expect(
        await both((store) =>
          store.appendToStream('job-1', [{ type: 'A', data: {}, metadata }], {
            expectedVersion: 'any',
          }),
        ),
      ).toEqual({ memory: 'INVALID_INPUT', postgres: 'INVALID_INPUT' });
    }
  });

  it('D11: cyclic or BigInt options.metadata is INVALID_INPUT (was a TypeError), and nothing is appended', async () => {
    const cyclic: Record<string, unknown> = {};
    cyclic['self'] = cyclic;
    for (const metadata of [{ cyclic }, { amount: 10n }]) {
      const result = await both(async (store) => {
        const handler = createCommandHandler({ store });
        await handler.handle('j', award());
        try {
          await handler.handle('j', propose('p1', [['m1', 7500]]), { metadata });
        } finally {
          expect(await store.streamVersion('job-j')).toBe(1);
        }
      });
      expect(result).toEqual({ memory: 'INVALID_INPUT', postgres: 'INVALID_INPUT' });
    }
  });
});
