import { fail } from '../domain/shared/errors.js';
import { describe } from '../domain/shared/parse.js';

/**
 * The beginnings of the library's own consumers' names: the timer runner's `timers:deadlines`,
 * the notification dispatcher's `notifications:outbox`, a summary table's
 * `read-model:<table>:g<n>`. An app's consumer of one of these names shared their checkpoint row
 * and lock: it moved their checkpoint (deadlines and notifications skipped) or waited on their
 * lock. The whole prefixes are reserved, so that a later runner of the library has room too.
 */
export const RESERVED_CONSUMER_PREFIXES: readonly string[] = [
  'timers:',
  'notifications:',
  'read-model:',
];

/** Refuses an app consumer's name in the library's namespace: `INVALID_INPUT` at `name`. */
export function refuseReservedName(name: string): void {
  if (!RESERVED_CONSUMER_PREFIXES.some((prefix) => name.startsWith(prefix))) return;
  const prefixes = RESERVED_CONSUMER_PREFIXES.map((prefix) => `"${prefix}"`).join(', ');
  fail(
    'INVALID_INPUT',
    `name ${describe(name)} is reserved: names beginning with ${prefixes} are the library's own consumers' (the timer runner's, the notification dispatcher's, a summary table's), whose checkpoint it would share; choose another name`,
    { path: 'name' },
  );
}
