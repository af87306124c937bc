import { quoteSchema } from './schema.js';
import { objectOption } from '../shared/options.js';

/*
 * The tables of the live side (consumers, read models, notifications, timers), in the same schema
 * as the events but never joined with them: the loops read events through the store's `readAll`
 * only, so the store may change how it keeps its global order without breaking them.
 */

/**
 * The SQL that creates the live side's tables in `schema` if they are missing (idempotent).
 *
 * - `consumer_checkpoints`: one row per named consumer, the global position it has handled up to.
 * - `read_model_generations`: for each PostgreSQL read model, the table that serves it now.
 * - `notification_deliveries`: one row per outbox notification, with its delivery state.
 * - `timer_deadlines`: every running deadline of every job, replaced per job as its events come.
 */
export function liveMigrationSql(schema: string): string {
  const s = quoteSchema(schema);
  return `
CREATE SCHEMA IF NOT EXISTS ${s};

CREATE TABLE IF NOT EXISTS ${s}.consumer_checkpoints (
  name       text        NOT NULL PRIMARY KEY,
  position   bigint      NOT NULL DEFAULT 0,
  updated_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE IF NOT EXISTS ${s}.read_model_generations (
  name       text    NOT NULL PRIMARY KEY,
  generation integer NOT NULL
);

CREATE TABLE IF NOT EXISTS ${s}.notification_deliveries (
  id              text        NOT NULL PRIMARY KEY,
  job_id          text        NOT NULL,
  notification    jsonb       NOT NULL,
  status          text        NOT NULL DEFAULT 'pending'
                  CHECK (status IN ('pending', 'sent', 'dead')),
  attempts        integer     NOT NULL DEFAULT 0,
  next_attempt_at bigint      NOT NULL DEFAULT 0,
  last_error      text,
  sent_at         bigint,
  created_at      timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX IF NOT EXISTS notification_deliveries_due
  ON ${s}.notification_deliveries (next_attempt_at) WHERE status = 'pending';

CREATE TABLE IF NOT EXISTS ${s}.timer_deadlines (
  stream_id    text    NOT NULL,
  job_id       text    NOT NULL,
  deadline_key text    NOT NULL,
  due_at_ms    bigint  NOT NULL,
  deadline     jsonb   NOT NULL,
  actor        text    NOT NULL,
  version      integer NOT NULL,
  PRIMARY KEY (stream_id, deadline_key)
);
CREATE INDEX IF NOT EXISTS timer_deadlines_due ON ${s}.timer_deadlines (due_at_ms);
`;
}

/** Runs {@link liveMigrationSql} under a transaction-scoped advisory lock (concurrent starts wait). */
export async function migrateLive(
  pool: { query(text: string): Promise<unknown> },
  schema: string,
): Promise<void> {
  objectOption(pool, 'pool', 'a pg.Pool', ['query']);
  quoteSchema(schema); // checked before it is written into the lock's name (a Symbol threw there)
  const name = `milestone-escrow:migrate-live:${schema}`.replaceAll("'", "''");
  await pool.query(
    `SELECT pg_advisory_xact_lock(hashtext('${name}'));\n${liveMigrationSql(schema)}`,
  );
}
