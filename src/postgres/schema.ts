import { textOption } from '../shared/options.js';

/*
 * The table layout of the PostgreSQL event store (layout version 1). `migrationSql(schema)` is the
 * whole migration, idempotent, for apps that run their migrations themselves; the store's
 * `migrate()` runs the same text under an advisory lock so that processes starting together do not
 * race on the DDL.
 */

/** The PostgreSQL schema the store uses unless told otherwise. */
export const DEFAULT_SCHEMA = 'milestone_escrow';

const SCHEMA_NAME = /^[a-z_][a-z0-9_]{0,62}$/;

/**
 * Checks a schema name (lower-case letters, digits and `_`, as PostgreSQL folds an unquoted
 * identifier) and quotes it as an identifier: `INVALID_INPUT` at `schema` otherwise.
 */
export function quoteSchema(schema: string): string {
  const name = textOption(
    schema,
    'schema',
    SCHEMA_NAME,
    'a PostgreSQL schema name of 1–63 lower-case letters, digits and _, not starting with a digit',
  );
  return `"${name}"`;
}

/**
 * The SQL that creates the store's tables in `schema` if they are missing.
 *
 * - `events`: one row per event. `global_position` is gapless and assigned from the one-row
 *   `global_position` counter inside the append's transaction, so appends commit in global order
 *   (see docs/postgres.md); `(stream_id, stream_position)` is unique, which is what enforces the
 *   expected version when two writers race.
 * - `global_position`: the counter (one row).
 * - `snapshots`: the newest snapshots of each stream, keyed by (stream, version). The state is
 *   `json`, not `jsonb`: kept as written, key order included, since the state's records are
 *   read back in their insertion order.
 */
export function migrationSql(schema: string = DEFAULT_SCHEMA): string {
  const s = quoteSchema(schema);
  return `
CREATE SCHEMA IF NOT EXISTS ${s};

CREATE TABLE IF NOT EXISTS ${s}.events (
  global_position bigint      NOT NULL,
  stream_id       text        NOT NULL,
  stream_position integer     NOT NULL,
  event_id        uuid        NOT NULL DEFAULT gen_random_uuid(),
  type            text        NOT NULL,
  data            jsonb       NOT NULL,
  metadata        jsonb       NOT NULL DEFAULT '{}'::jsonb,
  schema_version  integer     NOT NULL DEFAULT 1,
  created_at      timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT events_pkey PRIMARY KEY (global_position),
  CONSTRAINT events_stream_position_key UNIQUE (stream_id, stream_position),
  CONSTRAINT events_event_id_key UNIQUE (event_id),
  CONSTRAINT events_positions_check CHECK (global_position >= 1 AND stream_position >= 1),
  CONSTRAINT events_schema_version_check CHECK (schema_version >= 1)
);

CREATE TABLE IF NOT EXISTS ${s}.global_position (
  id    boolean NOT NULL DEFAULT true,
  value bigint  NOT NULL,
  CONSTRAINT global_position_pkey PRIMARY KEY (id),
  CONSTRAINT global_position_one_row CHECK (id)
);
INSERT INTO ${s}.global_position (id, value)
  SELECT true, coalesce((SELECT max(global_position) FROM ${s}.events), 0)
  ON CONFLICT (id) DO NOTHING;

CREATE TABLE IF NOT EXISTS ${s}.snapshots (
  stream_id        text        NOT NULL,
  version          integer     NOT NULL,
  snapshot_version text        NOT NULL,
  state            json        NOT NULL,
  idempotency      jsonb       NOT NULL DEFAULT '[]'::jsonb,
  taken_at         text        NOT NULL,
  created_at       timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT snapshots_pkey PRIMARY KEY (stream_id, version),
  CONSTRAINT snapshots_version_check CHECK (version >= 0)
);
`;
}
