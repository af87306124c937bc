import { TRANSACTION_ID } from './commit-outcome.js';
import { migrationSql } from './schema.js';

/*
 * Every SQL statement the PostgreSQL stores run, in one place: the statements are the design
 * (docs/postgres.md explains them), the store files only bind parameters and map rows. `s` is a
 * schema name already checked and quoted by `quoteSchema`.
 */

const COLUMNS =
  'global_position, stream_id, stream_position, event_id, type, data, metadata, schema_version, created_at';

/** The event store's statements in the quoted schema `s`. */
export function eventStoreSql(s: string) {
  // Over 80 lines: a table of statements, each with the comment that explains it.
  return {
    version: `SELECT coalesce(max(stream_position), 0)::integer AS version FROM ${s}.events WHERE stream_id = $1`,
    head: `SELECT value FROM ${s}.global_position`,
    // Waits for the transaction holding the counter row (a writing append) to end: how the
    // question about a lost COMMIT waits for it (append-outcome.ts).
    counterLock: `SELECT 1 FROM ${s}.global_position WHERE id FOR SHARE`,
    // A stream's positions are 1..version without gaps (every append writes version + 1...), so a
    // page is the position range (after, after + batchSize]: bounded work whatever plan the
    // planner picks (without statistics it sorts every row left in the stream for each page).
    readStream: `SELECT ${COLUMNS} FROM ${s}.events WHERE stream_id = $1 AND stream_position > $2 AND stream_position <= $3 ORDER BY stream_position`,
    readAll: `SELECT ${COLUMNS} FROM ${s}.events WHERE global_position > $1 ORDER BY global_position LIMIT $2`,
    // One statement, so one transaction: the version check, the global positions and the rows.
    // The UPDATE of the one-row counter holds its row lock until commit, which serialises the
    // appends' global-position assignment: an append takes its positions only after the previous
    // append is committed and visible, so readers following the global order never skip an event.
    // The stream positions follow the version read at the statement's start; a writer that
    // committed to the same stream meanwhile makes the INSERT hit the unique (stream_id,
    // stream_position) constraint, which is the conflict.
    append: `
WITH current_version AS (
  SELECT coalesce(max(stream_position), 0)::integer AS v FROM ${s}.events WHERE stream_id = $1
),
counter AS (
  UPDATE ${s}.global_position SET value = value + $2::integer
   WHERE id AND ($3::integer IS NULL OR $3::integer = (SELECT v FROM current_version))
  RETURNING value - $2::integer AS base
),
inserted AS (
  INSERT INTO ${s}.events (global_position, stream_id, stream_position, type, data, metadata, schema_version)
  SELECT counter.base + e.ord, $1, (SELECT v FROM current_version) + e.ord::integer,
         e.type, e.data::jsonb, e.metadata::jsonb, e.schema_version
    FROM counter
   CROSS JOIN unnest($4::text[], $5::text[], $6::text[], $7::integer[])
         WITH ORDINALITY AS e(type, data, metadata, schema_version, ord)
  RETURNING global_position, stream_position
)
SELECT (SELECT v FROM current_version) AS current_version,
       (SELECT max(global_position) FROM inserted) AS last_global_position,
       (SELECT max(stream_position) FROM inserted) AS last_stream_position,
       ${TRANSACTION_ID}`,
    // The appends one store received together (append-batch.ts), in one statement, so one
    // transaction and one commit. Every append's version is read once (`appends`), the appends whose
    // expected version matches are kept (`accepted`) with the number of events before each, the
    // counter is moved once by their total (its row lock, held until commit, is what orders batches
    // from different processes), and every accepted event is inserted at `base + before + i` and at
    // stream position `version + i`. A writer in another process that appended to one of these
    // streams meanwhile makes the INSERT hit the unique (stream_id, stream_position) key: the whole
    // statement rolls back and the caller retries its appends one by one.
    appendBatch: `
WITH appends AS (
  SELECT a.ord::integer AS ord, a.stream_id, a.expected, a.n,
         (SELECT coalesce(max(e.stream_position), 0)::integer FROM ${s}.events e
           WHERE e.stream_id = a.stream_id) AS v
    FROM unnest($1::text[], $2::integer[], $3::integer[]) WITH ORDINALITY AS a(stream_id, expected, n, ord)
),
accepted AS (
  SELECT ord, stream_id, v, n, (sum(n) OVER (ORDER BY ord) - n)::bigint AS before
    FROM appends WHERE expected IS NULL OR expected = v
),
counter AS (
  UPDATE ${s}.global_position SET value = value + (SELECT sum(n) FROM accepted)
   WHERE id AND EXISTS (SELECT 1 FROM accepted)
  RETURNING value - (SELECT sum(n) FROM accepted) AS base
),
inserted AS (
  INSERT INTO ${s}.events (global_position, stream_id, stream_position, type, data, metadata, schema_version)
  SELECT counter.base + accepted.before + e.i, accepted.stream_id, accepted.v + e.i,
         e.type, e.data::jsonb, e.metadata::jsonb, e.schema_version
    FROM counter
   CROSS JOIN unnest($4::integer[], $5::integer[], $6::text[], $7::text[], $8::text[], $9::integer[])
         AS e(app, i, type, data, metadata, schema_version)
    JOIN accepted ON accepted.ord = e.app
  RETURNING 1
)
SELECT a.ord, a.v AS current_version,
       CASE WHEN acc.ord IS NULL THEN NULL ELSE c.base + acc.before + a.n END AS last_global_position,
       CASE WHEN acc.ord IS NULL THEN NULL ELSE a.v + a.n END AS last_stream_position,
       (SELECT count(*) FROM inserted) AS written,
       ${TRANSACTION_ID}
  FROM appends a
  LEFT JOIN accepted acc ON acc.ord = a.ord
  LEFT JOIN counter c ON true
 ORDER BY a.ord`,
  };
}

/**
 * The migration as one query string without parameters: it runs as one implicit transaction,
 * under a transaction-scoped advisory lock, so concurrent migrations wait for each other.
 */
export function lockedMigrationSql(schema: string): string {
  return `SELECT pg_advisory_xact_lock(hashtext('milestone-escrow:migrate:' || ${literal(schema)}));\n${migrationSql(schema)}`;
}

/** The snapshot store's statements in the quoted schema `s`. */
export function snapshotStoreSql(s: string) {
  return {
    save: `
INSERT INTO ${s}.snapshots (stream_id, version, snapshot_version, state, idempotency, taken_at)
VALUES ($1, $2, $3, $4::json, $5::jsonb, $6)
ON CONFLICT (stream_id, version) DO UPDATE
  SET snapshot_version = EXCLUDED.snapshot_version, state = EXCLUDED.state,
      idempotency = EXCLUDED.idempotency, taken_at = EXCLUDED.taken_at, created_at = now()`,
    // A second statement, so that it sees the row just saved: all but the newest `keep` go.
    prune: `
DELETE FROM ${s}.snapshots
 WHERE stream_id = $1
   AND version < (SELECT min(version) FROM (
         SELECT version FROM ${s}.snapshots WHERE stream_id = $1 ORDER BY version DESC LIMIT $2) newest)`,
    load: `
SELECT stream_id, version, snapshot_version, state::text AS state, idempotency, taken_at FROM ${s}.snapshots
 WHERE stream_id = $1 AND version <= $2 ORDER BY version DESC LIMIT 1`,
  };
}

function literal(text: string): string {
  return `'${text.replaceAll("'", "''")}'`;
}
