import type { JobEvent } from '../../src/domain/events.js';
import { compareInstants } from '../../src/domain/shared/time.js';

/**
 * What `sameStored` answers, by its definition (what the checker did before comparing in place):
 * the stored data, with an equal instant (`at`, a deadline) written another way taken as the computed one and a
 * missing release fee read as 0, deeply equal to the computed data.
 */
export function sameStoredByDefinition(computed: JobEvent, stored: JobEvent): boolean {
  if (computed.type !== stored.type) return false;
  const data = computed.data as Record<string, unknown>;
  const given = stored.data as Record<string, unknown>;
  const normal: Record<string, unknown> = { ...given };
  for (const key of ['at', 'respondBy', 'dueAt'])
    if (typeof data[key] === 'string' && typeof given[key] === 'string')
      if (compareInstants(data[key], given[key]) === 0) normal[key] = data[key];
  if (computed.type === 'FundsReleased' && given['fee'] === undefined) normal['fee'] = 0;
  return deepEqual(data, normal);
}

/** Equality of JSON data: the same values, lists and keys (whatever an object's prototype). */
function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (Array.isArray(a))
    return Array.isArray(b) && a.length === b.length && a.every((x, i) => deepEqual(x, b[i]));
  if (a === null || b === null || typeof a !== 'object' || typeof b !== 'object') return false;
  if (Array.isArray(b)) return false;
  const ka = Object.keys(a);
  if (ka.length !== Object.keys(b).length) return false;
  return ka.every(
    (k) =>
      Object.prototype.hasOwnProperty.call(b, k) &&
      deepEqual((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]),
  );
}
