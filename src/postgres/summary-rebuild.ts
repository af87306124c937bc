import { fail } from '../domain/shared/errors.js';
import { thrownText } from '../domain/shared/parse.js';
import { observe } from '../live/loop.js';
import { booleanOption, readOptions } from '../shared/options.js';
import { checkOut, outcomeAfter, TRANSACTION_ID } from './commit-outcome.js';
import type { PgPool, PostgresConsumer } from './consumer.js';

/*
 * The summary table's blue/green rebuild (summary-table.ts): a new generation's table filled from
 * position 0 by a consumer of its own while the view serves the old one, then one transaction
 * points the view and the generation row at it; the old table and checkpoint go after.
 */

/** What a finished rebuild did. */
export interface RebuildResult {
  /** The generation now serving. */
  readonly generation: number;
  /** The global position it had caught up to when it swapped in. */
  readonly position: number;
  /** The generation it replaced (its table is dropped unless `keepRetired`). */
  readonly retired: number;
}

/** What the rebuild needs of its summary table (summary-table.ts). */
export interface RebuildContext {
  readonly pool: PgPool;
  /** The quoted schema. */
  readonly s: string;
  readonly name: string;
  readonly view: string;
  readonly table: (generation: number) => string;
  readonly consumerName: (generation: number) => string;
  readonly createTable: (generation: number) => string;
  readonly generation: () => Promise<number>;
  readonly consumerFor: (generation: number) => PostgresConsumer;
}

/** The error of a rebuild whose swap's COMMIT got no reply, and no answer on another connection. */
function swapUnknown(name: string, next: number, error: unknown): Error {
  return new Error(
    `${name}: the COMMIT of the swap to generation ${String(next)} got no reply, and whether it landed could not be found out (${thrownText(error)}); generation() tells (${String(next)} if it did: the retired table is then left to drop by hand)`,
    { cause: error },
  );
}

/**
 * Swaps generation `retired + 1` in, under the generation row's lock, after a last catch-up of
 * its `builder`: the new table is at the head as it was a moment ago, and its consumer carries
 * on from there once live. Resolves to that position.
 */
async function swapIn(
  context: RebuildContext,
  builder: PostgresConsumer,
  retired: number,
): Promise<number> {
  const { pool, s, name, view, table } = context;
  const next = retired + 1;
  const waitRow = `SELECT 1 FROM ${s}.read_model_generations WHERE name = $1 FOR SHARE`;
  const held = await checkOut(pool);
  const swap = held.client;
  // The swap's transaction id once its COMMIT is sent.
  let committing: string | undefined;
  // Read before the COMMIT is sent, so known when it landed without a reply.
  let position = -1;
  try {
    await swap.query('BEGIN');
    const { rows } = await swap.query(
      `SELECT generation FROM ${s}.read_model_generations WHERE name = $1 FOR UPDATE`,
      [name],
    );
    const now = (rows[0] as { generation: number } | undefined)?.generation ?? 1;
    if (now !== retired)
      fail(
        'CONCURRENCY_CONFLICT',
        `${name}: generation ${String(now)} was swapped in while generation ${String(next)} was built (another rebuild)`,
        { name, expected: retired, actual: now },
      );
    position = await builder.catchUp();
    const swapped = await swap.query(
      `UPDATE ${s}.read_model_generations SET generation = $2 WHERE name = $1 RETURNING ${TRANSACTION_ID}`,
      [name, next],
    );
    await swap.query(`CREATE OR REPLACE VIEW ${view} AS SELECT * FROM ${table(next)}`);
    committing = (swapped.rows[0] as { xid: string } | undefined)?.xid;
    await swap.query('COMMIT');
  } catch (error) {
    await swap.query('ROLLBACK').catch(() => {
      held.markBroken();
    });
    // A COMMIT whose reply was lost may have landed: asked, as a consumer's batch is, on the
    // swap's own connection while it answers, else once it is given back (with a pool of two,
    // the builder holding the other, a new one was waited for for ever).
    const outcome =
      committing === undefined
        ? 'aborted'
        : await outcomeAfter(swap, held.broken, () => held.giveBack(true), pool, committing, {
            text: waitRow,
            values: [name],
          });
    if (outcome === 'unknown') throw swapUnknown(name, next, error);
    if (outcome === 'aborted') throw error;
  } finally {
    held.giveBack();
  }
  return position;
}

/**
 * Rebuilds from position 0 into a fresh table and swaps it in once caught up; the old one serves
 * until then. What fails after the swap (cleanup) goes to `onError`, never the rebuild's outcome.
 */
export async function rebuildSummary(
  context: RebuildContext,
  onError: ((error: unknown) => void) | undefined,
  given: { readonly keepRetired?: boolean } | undefined,
): Promise<RebuildResult> {
  const { pool, s, name, table, consumerName, createTable, generation, consumerFor } = context;
  const read = readOptions(given ?? {}, ['keepRetired'], 'keepRetired');
  const keepRetired = booleanOption(read.keepRetired, 'keepRetired', false);
  const retired = await generation();
  const next = retired + 1;
  await pool.query(createTable(next));
  const builder = consumerFor(next);
  let position: number;
  try {
    position = await builder.catchUp();
    position = await swapIn(context, builder, retired);
  } catch (error) {
    await builder.stop();
    throw error;
  }
  // Swapped in: the rebuild succeeded. What fails from here on is cleanup, reported to
  // onError (naming what is left), never the rebuild's outcome.
  const cleanup = async (left: string, work: () => Promise<unknown>): Promise<void> => {
    try {
      await work();
    } catch (error) {
      const text = `${name}: generation ${String(next)} serves, but ${left}: ${thrownText(error)}`;
      observe(() => onError?.(new Error(text, { cause: error })));
    }
  };
  await cleanup(`the consumer that built it did not stop cleanly`, () => builder.stop());
  if (!keepRetired) {
    const retiredTable = table(retired);
    await cleanup(`the retired table ${retiredTable} was not dropped (drop it by hand)`, () =>
      pool.query(`DROP TABLE IF EXISTS ${retiredTable}`),
    );
    await cleanup(`the retired consumer's checkpoint row was not deleted`, () =>
      pool.query(`DELETE FROM ${s}.consumer_checkpoints WHERE name = $1`, [consumerName(retired)]),
    );
  }
  return { generation: next, position, retired };
}
