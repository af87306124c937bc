import { beforeEach, describe, expect, it } from 'vitest';
import type { JobCommandInput } from '../../src/index.js';
import { createCommandHandler } from '../../src/handler/command-handler.js';
import { isDomainError } from '../../src/domain/shared/errors.js';
import type { PgPool } from '../../src/postgres/consumer-lock.js';
import {
  AppendOutcomeUnknownError,
  createPostgresEventStore,
  type PostgresEventStore,
} from '../../src/postgres/index.js';
import { skipPostgres, useTestDatabase } from './database.js';
import { LOST, losingCommits } from './losing-commits.js';

/*
 * An append whose reply is lost (the connection drops after the server got it): the store asks
 * what became of it (src/postgres/append-outcome.ts) and answers exactly: the append's result
 * when it committed, its error when it did not, and AppendOutcomeUnknownError when the database
 * cannot say. Before, the store rejected with the connection's error although the events may
 * have been written, and a caller that retried decided the command again.
 */

const event = (i: number) => ({ type: 'Counted', data: { i } });

describe.skipIf(skipPostgres)('an append whose reply is lost', () => {
  const db = useTestDatabase('append_outcome', { poolSize: 8, truncate: true });

  const isAppend = (text: string): boolean => text.includes(`INSERT INTO "${db.schema}".events`);

  /**
   * A store whose next `lose` statement (once `armed`) is answered by a dropped connection, after
   * the server committed (`landed`) or rolled back. `lose` is the COMMIT, or the append statement
   * itself (its transaction then ends unwritten). An append sent on `pool.query`, outside a
   * transaction of the store's (as the store did before), loses its reply after it ran: the
   * server got it, so it committed. With `outOfReach`, the `connect()` right after the loss fails
   * too.
   */
  function lossyStore(
    mode: 'landed' | 'rolled back',
    options: { readonly lose?: 'COMMIT' | 'append'; readonly outOfReach?: boolean } = {},
  ): { armed: boolean; store: PostgresEventStore; pool: PgPool } {
    const lose = options.lose ?? 'COMMIT';
    const state = { armed: false };
    const take = (hit: boolean): boolean => {
      if (!state.armed || !hit) return false;
      state.armed = false;
      return true;
    };
    const pooled = losingCommits(
      db,
      mode,
      options.outOfReach ?? false,
      () => (text) => take(lose === 'COMMIT' ? text === 'COMMIT' : isAppend(text)),
    );
    const pool: PgPool = {
      connect: () => pooled.connect(),
      async query(text, values) {
        if (!(isAppend(text) && take(true))) return pooled.query(text, values);
        // On its own (auto-committed), an append the server got is written: only its reply is lost.
        await db.pool.query(text, values);
        throw new Error(LOST);
      },
    };
    const store = createPostgresEventStore({ pool, schema: db.schema });
    return Object.assign(state, { store, pool });
  }

  async function rows(): Promise<
    { stream_id: string; stream_position: number; global_position: string }[]
  > {
    const { rows: found } = await db.pool.query<{
      stream_id: string;
      stream_position: number;
      global_position: string;
    }>(
      `SELECT stream_id, stream_position, global_position FROM "${db.schema}".events ORDER BY global_position`,
    );
    return found;
  }

  /** How many transactions wrote the events (one for a batch). */
  async function writers(): Promise<number> {
    const { rows: found } = await db.pool.query<{ n: number }>(
      `SELECT count(DISTINCT xmin::text)::integer AS n FROM "${db.schema}".events`,
    );
    return found[0]!.n;
  }

  it('committed: the append resolves with its version and position, and its events are there once', async () => {
    await db.store().appendToStream('a', [event(0)], { expectedVersion: 'no-stream' });
    const lossy = lossyStore('landed');
    lossy.armed = true;
    const result = await lossy.store.appendToStream('a', [event(1), event(2)], {
      expectedVersion: 1,
    });
    expect(lossy.armed).toBe(false);
    expect(result).toEqual({ nextExpectedVersion: 3, lastGlobalPosition: 3 });
    expect(await rows()).toEqual([
      { stream_id: 'a', stream_position: 1, global_position: '1' },
      { stream_id: 'a', stream_position: 2, global_position: '2' },
      { stream_id: 'a', stream_position: 3, global_position: '3' },
    ]);
    // The store goes on: the lost connection was let go.
    await expect(
      lossy.store.appendToStream('a', [event(3)], { expectedVersion: 3 }),
    ).resolves.toEqual({ nextExpectedVersion: 4, lastGlobalPosition: 4 });
  });

  it('aborted: the append rejects with the error, nothing is written, and a retry appends once', async () => {
    const lossy = lossyStore('rolled back');
    lossy.armed = true;
    await expect(
      lossy.store.appendToStream('a', [event(1)], { expectedVersion: 'no-stream' }),
    ).rejects.toThrow(LOST);
    expect(lossy.armed).toBe(false);
    expect(await rows()).toEqual([]);
    await expect(
      lossy.store.appendToStream('a', [event(1)], { expectedVersion: 'no-stream' }),
    ).resolves.toEqual({ nextExpectedVersion: 1, lastGlobalPosition: 1 });
    expect(await rows()).toHaveLength(1);
  });

  it("the statement's own reply lost: no COMMIT was sent, so it rejects and nothing is written", async () => {
    const lossy = lossyStore('rolled back', { lose: 'append' });
    lossy.armed = true;
    await expect(
      lossy.store.appendToStream('a', [event(1)], { expectedVersion: 'no-stream' }),
    ).rejects.toThrow(LOST);
    expect(lossy.armed).toBe(false);
    expect(await rows()).toEqual([]);
  });

  it('the database out of reach after the loss: AppendOutcomeUnknownError, which says so', async () => {
    const lossy = lossyStore('landed', { outOfReach: true });
    lossy.armed = true;
    const error: unknown = await lossy.store
      .appendToStream('a', [event(1)], { expectedVersion: 'no-stream' })
      .catch((thrown: unknown) => thrown);
    expect(error).toBeInstanceOf(AppendOutcomeUnknownError);
    const unknown = error as AppendOutcomeUnknownError;
    expect(unknown).toMatchObject({
      name: 'AppendOutcomeUnknownError',
      code: 'APPEND_OUTCOME_UNKNOWN',
      streamId: 'a',
    });
    expect(unknown.message).toBe(
      `the append to stream a may or may not be written: its reply was lost (${LOST}) and the database could not say; read the stream, or retry with the same idempotency key, before deciding again`,
    );
    expect((unknown.cause as Error).message).toBe(LOST);
    expect(isDomainError(error)).toBe(false);
    // It had landed: once.
    expect(await rows()).toHaveLength(1);
  });

  it('a batch of concurrent appends: a lost COMMIT that landed resolves every append in it', async () => {
    const lossy = lossyStore('landed');
    lossy.armed = true;
    const results = await Promise.all(
      ['a', 'b', 'c', 'd'].map((stream) =>
        lossy.store.appendToStream(stream, [event(1), event(2)], { expectedVersion: 'no-stream' }),
      ),
    );
    expect(lossy.armed).toBe(false);
    expect(results.map((r) => r.nextExpectedVersion)).toEqual([2, 2, 2, 2]);
    expect(results.map((r) => r.lastGlobalPosition).sort((x, y) => x - y)).toEqual([2, 4, 6, 8]);
    const written = await rows();
    expect(written).toHaveLength(8);
    expect(await writers()).toBe(1);
    for (const r of results)
      expect(
        written.filter((row) => row.global_position === String(r.lastGlobalPosition)),
      ).toHaveLength(1);
  });

  it('a batch whose lost COMMIT cannot be asked about: every append is unknown, none is sent again', async () => {
    const lossy = lossyStore('landed', { outOfReach: true });
    lossy.armed = true;
    const streams = ['a', 'b', 'c'];
    const settled = await Promise.allSettled(
      streams.map((stream) =>
        lossy.store.appendToStream(stream, [event(1)], { expectedVersion: 'no-stream' }),
      ),
    );
    const errors = settled.map((s) => (s.status === 'rejected' ? (s.reason as unknown) : s.value));
    for (const [i, error] of errors.entries()) {
      expect(error).toBeInstanceOf(AppendOutcomeUnknownError);
      expect((error as AppendOutcomeUnknownError).streamId).toBe(streams[i]);
    }
    // The batch had landed: each event once (sending the appends again would write them twice).
    expect((await rows()).map((r) => r.stream_id).sort()).toEqual(streams);
    expect(await writers()).toBe(1);
  });

  it('a lost COMMIT of appends that all conflicted: the conflict, without asking', async () => {
    await db.store().appendToStream('a', [event(0)], { expectedVersion: 'no-stream' });
    const lossy = lossyStore('landed', { outOfReach: true });
    lossy.armed = true;
    await expect(
      lossy.store.appendToStream('a', [event(1)], { expectedVersion: 'no-stream' }),
    ).rejects.toMatchObject({ code: 'CONCURRENCY_CONFLICT' });
    expect(lossy.armed).toBe(false);
    expect(await rows()).toHaveLength(1);
  });

  describe('through the command handler', () => {
    const at = (minute: number) => `2026-01-05T09:0${String(minute)}:00Z`;
    const setup: JobCommandInput[] = [
      {
        type: 'AwardJob',
        actor: 'clara',
        at: at(1),
        data: {
          jobId: 'logo',
          title: 'Logo',
          clientId: 'clara',
          freelancerId: 'felix',
          currency: 'USD',
        },
      },
      {
        type: 'ProposeTerms',
        actor: 'clara',
        at: at(2),
        data: {
          proposalId: 'p1',
          milestones: [{ milestoneId: 'm1', title: 'Draft', dueDate: '2026-02-01', amount: 1000 }],
        },
      },
      { type: 'AcceptTerms', actor: 'felix', at: at(3), data: { proposalId: 'p1' } },
    ];
    const fund = {
      type: 'FundMilestone',
      actor: 'clara',
      at: at(4),
      data: { milestoneId: 'm1', fundingId: 'f1', source: 'card:1' },
    } as const;

    async function funded(): Promise<number> {
      const { rows: found } = await db.pool.query<{ n: number }>(
        `SELECT count(*)::integer AS n FROM "${db.schema}".events WHERE type = 'MilestoneFunded'`,
      );
      return found[0]!.n;
    }

    beforeEach(async () => {
      const handler = createCommandHandler({ store: db.store() });
      for (const command of setup) await handler.handle('logo', command);
    });

    it('an app that retries what failed funds once: the landed append is not reported failed', async () => {
      const lossy = lossyStore('landed');
      const handler = createCommandHandler({ store: lossy.store });
      lossy.armed = true;
      // An app's retry of anything but a rejection (before, the retry was DUPLICATE_ID: the
      // funding that happened was reported failed).
      let tries = 0;
      const handled = async () => {
        for (;;) {
          tries += 1;
          try {
            return await handler.handle('logo', fund);
          } catch (error) {
            if (isDomainError(error) || tries >= 3) throw error;
          }
        }
      };
      const result = await handled();
      expect(lossy.armed).toBe(false);
      expect(tries).toBe(1);
      expect(result).toMatchObject({ version: 4, attempts: 1, replayed: false });
      expect(result.events.map((e) => e.type)).toEqual(['MilestoneFunded']);
      expect(await funded()).toBe(1);
    });

    it('an unknown outcome is not retried by the handler; a retry with the idempotency key replays', async () => {
      const lossy = lossyStore('landed', { outOfReach: true });
      const handler = createCommandHandler({ store: lossy.store });
      lossy.armed = true;
      await expect(
        handler.handle('logo', fund, { idempotencyKey: 'fund-1' }),
      ).rejects.toBeInstanceOf(AppendOutcomeUnknownError);
      expect(await funded()).toBe(1);
      const again = await handler.handle('logo', fund, { idempotencyKey: 'fund-1' });
      expect(again).toMatchObject({ version: 4, replayed: true });
      expect(await funded()).toBe(1);
    });
  });
});
