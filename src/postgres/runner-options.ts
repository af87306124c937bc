import { objectOption, optionalFunctionOption, optionsObject } from '../shared/options.js';

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
  const pool = objectOption(options.pool, 'pool', 'a pg.Pool', ['connect', 'query']);
  for (const name of ['decode', 'accepts', 'onError'] as const)
    optionalFunctionOption(options[name], name);
  return { store, pool };
}
