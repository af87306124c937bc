import { describe, expect, it } from 'vitest';
import { createPostgresConsumer, type ConsumerStep } from '../../src/postgres/consumer.js';
import { createJobSummaryTable } from '../../src/postgres/summary-table.js';
import type { RecordedEvent } from '../../src/store/port.js';
import { hostileSetup } from './hostile-setup.js';
import { skipPostgres } from './database.js';

/*
 * Hostile input (hostile-setup.ts says why) to consumers and the summary table: a checkpoint
 * deleted or moved under them, a generation swapped, what an app's decode and accepts return.
 */

describe.skipIf(skipPostgres)('PostgreSQL live parts, used with hostile input', () => {
  const live = hostileSetup('hostile_consumers');

  it('a consumer whose checkpoint row was deleted (a reset by hand) starts again from 0, as checkpoint() says (a TypeError at every step)', async () => {
    await live.drive();
    const batches: number[] = [];
    const consumer = createPostgresConsumer({
      name: 'reset',
      store: live.db.store(),
      pool: live.db.pool,
      schema: live.db.schema,
      clock: live.clock,
      handle: ({ after }) => {
        batches.push(after);
        return Promise.resolve();
      },
    });
    live.opened.push(consumer);
    const head = await consumer.catchUp();
    expect(head).toBeGreaterThan(0);
    await live.db.pool.query(
      `DELETE FROM "${live.db.schema}".consumer_checkpoints WHERE name = 'reset'`,
    );
    expect(await consumer.checkpoint()).toBe(0);
    expect(await consumer.step()).toMatchObject({ kind: 'handled', position: head });
    expect(batches).toEqual([0, 0]);
    expect(await consumer.checkpoint()).toBe(head);
  });

  describe('what moved under a consumer or a rebuild is CONCURRENCY_CONFLICT (it was a plain Error)', () => {
    /** The test store, running `meanwhile` (another process's write) before each readAll. */
    function storeWith(meanwhile: () => Promise<unknown>) {
      const store = live.db.store();
      return {
        ...store,
        readStream: store.readStream.bind(store),
        async *readAll(options?: { after?: number }): AsyncGenerator<RecordedEvent> {
          await meanwhile();
          yield* store.readAll(options);
        },
      };
    }

    it("a consumer's checkpoint moved by another writer between its read and its batch", async () => {
      await live.drive();
      const table = `"${live.db.schema}".consumer_checkpoints`;
      const consumer = createPostgresConsumer({
        name: 'moved',
        store: storeWith(() =>
          live.db.pool.query(`UPDATE ${table} SET position = position + 1 WHERE name = 'moved'`),
        ),
        pool: live.db.pool,
        schema: live.db.schema,
        clock: live.clock,
        handle: () => Promise.resolve(),
      });
      live.opened.push(consumer);
      const step = await consumer.step();
      expect(step).toMatchObject({
        kind: 'failed',
        error: {
          code: 'CONCURRENCY_CONFLICT',
          details: { consumer: 'moved', expected: 0, actual: 1 },
        },
      });
      await expect(consumer.catchUp()).rejects.toMatchObject({ code: 'CONCURRENCY_CONFLICT' });
    });

    it('a rebuild whose generation another rebuild swapped meanwhile', async () => {
      await live.drive();
      const generations = `"${live.db.schema}".read_model_generations`;
      let swapped = false;
      const summaries = createJobSummaryTable({
        store: storeWith(async () => {
          if (swapped) return;
          swapped = true;
          await live.db.pool.query(
            `UPDATE ${generations} SET generation = 7 WHERE name = 'rebuilt'`,
          );
        }),
        pool: live.db.pool,
        schema: live.db.schema,
        name: 'rebuilt',
        clock: live.clock,
      });
      live.opened.push(summaries);
      await summaries.migrate();
      await expect(summaries.rebuild()).rejects.toMatchObject({
        code: 'CONCURRENCY_CONFLICT',
        details: { expected: 1, actual: 7 },
      });
    });
  });

  describe("what an app's decode and accepts return", () => {
    /** The summary table's first step over job 0 and a stream that is no job's. */
    async function firstStep(overrides: Record<string, unknown>): Promise<ConsumerStep> {
      await live.drive();
      await live.db.store().appendToStream('audit-1', [{ type: 'Note', data: {} }], {
        expectedVersion: 'any',
      });
      const summaries = createJobSummaryTable({
        store: live.db.store(),
        pool: live.db.pool,
        schema: live.db.schema,
        name: 'decoded',
        clock: live.clock,
        ...overrides,
      });
      live.opened.push(summaries);
      await summaries.migrate();
      return summaries.step();
    }

    it.each([
      ['a Promise (an async decode)', (e: RecordedEvent) => Promise.resolve(e)],
      ['null', () => null],
      ['an event of no known type', () => ({ type: 'Nothing', data: {} })],
    ])(
      'a decode that returns %s fails the batch with INVALID_HISTORY naming the stream and position (a plain Error: "Unhandled event")',
      async (_, decode) => {
        const step = await firstStep({ decode });
        expect(step).toMatchObject({
          kind: 'failed',
          error: { code: 'INVALID_HISTORY', details: { streamId: 'job-job0', position: 1 } },
        });
      },
    );

    it('an accepts that returns a Promise (an async accepts: every stream accepted) is INVALID_INPUT at accepts', async () => {
      const step = await firstStep({
        accepts: (id: string) => Promise.resolve(id.startsWith('job-')),
      });
      expect(step).toMatchObject({
        kind: 'failed',
        error: { code: 'INVALID_INPUT', details: { path: 'accepts' } },
      });
    });
  });
});
