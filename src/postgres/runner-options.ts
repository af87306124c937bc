import pg from 'pg';
import { fail } from '../domain/shared/errors.js';
import { isInstance } from '../domain/shared/parse.js';
import {
  objectOption,
  optionalFunctionOption,
  optionsObject,
  readOptions,
  sizeOption,
  textOption,
} from '../shared/options.js';

/**
 * What every runner over the PostgreSQL consumers takes (the summary table, the notification
 * dispatcher, the timer runner), checked where it is created: the options object, its event
 * store and pool, and the optional `decode`, `accepts` and `onError`. A bad one is
 * `INVALID_INPUT` naming it; `required` names what the options must hold.
 */
export function runnerOptions<S, P>(
  options: {
    readonly store: S;
    readonly pool: P;
    readonly decode?: unknown;
    readonly accepts?: unknown;
    readonly onError?: unknown;
  },
  required: string,
): { readonly store: S; readonly pool: P } {
  optionsObject(options, required);
  const store = objectOption(options.store, 'store', 'an event store', ['readAll', 'readStream']);
  const pool = poolOption(options.pool);
  for (const name of ['decode', 'accepts', 'onError'] as const)
    optionalFunctionOption(options[name], name);
  return { store, pool };
}

/**
 * The `pool` of a runner or a consumer: a pg.Pool, else `INVALID_INPUT` at `pool`. A pg.Client
 * has a `connect` and a `query` too, and failed at the first step instead (its `connect()`
 * connects itself and returns no connection of its own; once connected, it rejects).
 */
export const poolOption = <P>(value: P): P =>
  isInstance(value, pg.Client)
    ? fail(
        'INVALID_INPUT',
        'pool must be a pg.Pool, not a pg.Client: a runner holds its own connection (its lock, its batches) while other queries run',
        { path: 'pool' },
      )
    : objectOption(value, 'pool', 'a pg.Pool', ['connect', 'query']);

/**
 * A query's `{ limit }` (left out or `null`: `fallback`), read once: a whole number ≥ 0, else
 * `INVALID_INPUT` at `limit` (PostgreSQL's own error, or a TypeError for `null`, before).
 */
export function limitOf(
  query: { readonly limit?: number } | null | undefined,
  fallback: number,
): number {
  return sizeOption(readOptions(query ?? {}, ['limit'], 'limit').limit ?? fallback, 'limit');
}

// Well-formed text without U+0000: PostgreSQL refuses the NUL and reads a lone surrogate as U+FFFD.
const TEXT = /^(?:[^\0\ud800-\udfff]|[\ud800-\udbff][\udc00-\udfff])*$/;

/**
 * A text a query looks up (a job id, a notification id, a status), or an app's function returned
 * (`actorOf`), else `INVALID_INPUT` at `path`.
 */
export const textArgument = (value: unknown, path: string): string =>
  textOption(value, path, TEXT, 'well-formed text without U+0000');
