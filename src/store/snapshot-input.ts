import { fail } from '../domain/shared/errors.js';
import { describe } from '../domain/shared/parse.js';
import { readFields } from '../domain/shared/read-once.js';
import { FIELD_RULES, isInstant, isNameText } from '../domain/shared/schema.js';
import { readOptions } from '../shared/options.js';
import { checkStreamIdAt, MAX_STREAM_VERSION, storableJson } from './append-rules.js';
import type { Snapshot } from './snapshots.js';

/*
 * What every snapshot store checks of what it is given, before it keeps or looks for anything:
 * the same snapshots kept and refused, the same errors, in every store.
 */

const SNAPSHOT_FIELDS = [
  'streamId',
  'version',
  'snapshotVersion',
  'state',
  'idempotency',
  'takenAt',
] as const;

/**
 * A snapshot read once and checked as every snapshot store keeps it, else `INVALID_INPUT` naming
 * the field: an object; a stream id the event stores take; a version from 0 to 2^31 − 1; a
 * `snapshotVersion` of 1–200 characters of well-formed text without U+0000 (`isNameText`); a
 * `takenAt` that is an instant, read as the domain reads instants; idempotency records JSON can
 * write (returned as that JSON text). The in-memory store kept what PostgreSQL refused (a
 * version of NaN or -1, a NUL) or read back otherwise (a lone surrogate as U+FFFD, 5 as "5").
 * The state is `stateJson`'s to check.
 */
export function readSnapshot(snapshot: Snapshot): { fields: Snapshot; idempotency: string } {
  const given: unknown = snapshot;
  if (typeof given !== 'object' || given === null)
    fail(
      'INVALID_INPUT',
      `a snapshot is an object { streamId, version, state, … }, not ${describe(given)}`,
      { path: 'snapshot' },
    );
  const fields = readFields(snapshot, SNAPSHOT_FIELDS, 'snapshot');
  const bad = (key: string, rule: string, value: unknown): never =>
    fail('INVALID_INPUT', `snapshot.${key} must be ${rule}, not ${describe(value)}`, {
      path: `snapshot.${key}`,
    });
  checkStreamIdAt(fields.streamId, 'snapshot.streamId');
  const { version } = fields;
  if (!(Number.isSafeInteger(version) && version >= 0 && version <= MAX_STREAM_VERSION))
    bad('version', `an integer from 0 to ${String(MAX_STREAM_VERSION)}`, version);
  const { snapshotVersion: named, takenAt } = fields as Record<string, unknown>;
  if (typeof named !== 'string' || !isNameText(named))
    bad(
      'snapshotVersion',
      `well-formed text without U+0000 (${FIELD_RULES.snapshotVersion.message})`,
      named,
    );
  // An instant as the domain reads one: its length is bounded by its form.
  if (typeof takenAt !== 'string' || !isInstant(takenAt))
    bad('takenAt', `an instant (${FIELD_RULES.instant.message})`, takenAt);
  // Left out by a JavaScript caller: none (PostgreSQL's column was given null).
  // eslint-disable-next-line @typescript-eslint/no-unnecessary-condition
  return { fields, idempotency: storableJson(fields.idempotency ?? [], 'snapshot.idempotency') };
}

/**
 * A snapshot store's `load` options, read once: the `atOrBefore` given, or undefined for none.
 * Options that are not an object or cannot be read are `INVALID_INPUT`; a limit that is not a
 * number is `NaN`, which no snapshot is at or before (a Symbol threw a TypeError when compared).
 */
export function snapshotLimit(options: { readonly atOrBefore?: number }): number | undefined {
  const given: unknown = readOptions(options, ['atOrBefore'], 'atOrBefore, or none').atOrBefore;
  if (given === undefined || typeof given === 'number') return given;
  return Number.NaN;
}
