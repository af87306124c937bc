import { fail } from '../../domain/shared/errors.js';
import { describe, isArraySafe, thrownText } from '../../domain/shared/parse.js';
import { DEFAULT_PLATFORM_ID } from '../../domain/shared/roles.js';
import { between, isId, isInstant, isWellFormed } from '../../domain/shared/schema.js';
import type { Cast } from './cast.js';

/*
 * The cast a caller hands `escrowArbitraries`, checked once, since every command the writer draws
 * carries its ids, title, currency, sources and start. Unchecked, a value the wire refuses made
 * each "valid" move a silent rejection (a history whose commands none was accepted), a start that
 * is no instant a RangeError, and one without a zone a history that hung on the machine's zone.
 */

function check(ok: boolean, field: string, what: string, value: unknown): void {
  if (!ok)
    fail('INVALID_INPUT', `cast.${field} must be ${what}, not ${describe(value)}`, {
      path: `cast.${field}`,
    });
}

const isText = (value: unknown, max: number): boolean =>
  typeof value === 'string' && between(value, 1, max) && isWellFormed(value);

/** The cast, checked field by field (`INVALID_INPUT` at `cast.<field>`), its sources copied. */
export function checkCast(cast: Cast): Cast {
  const taken: string[] = [DEFAULT_PLATFORM_ID];
  for (const key of ['jobId', 'clientId', 'freelancerId', 'strangerId'] as const) {
    const id: unknown = cast[key];
    check(typeof id === 'string' && isId(id), key, 'an id (1–128 letters, digits or _.:@/-)', id);
    if (key === 'jobId') continue;
    // The platform acts as "platform" (the writer's awards name none): each party its own role.
    check(!taken.includes(id as string), key, `an id other than ${taken.join(', ')}`, id);
    taken.push(id as string);
  }
  check(isText(cast.title, 200), 'title', 'a title of 1–200 characters', cast.title);
  const currency: unknown = cast.currency;
  check(
    typeof currency === 'string' && /^[A-Z]{3}$/.test(currency),
    'currency',
    'three capital letters',
    currency,
  );
  let sources: unknown[] = [];
  try {
    if (isArraySafe(cast.sources)) sources = [...cast.sources];
  } catch (error) {
    fail('INVALID_INPUT', `cast.sources cannot be read: ${thrownText(error)}`, {
      path: 'cast.sources',
    });
  }
  check(sources.length > 0, 'sources', 'a list of at least one payment source', cast.sources);
  sources.forEach((source, i) => {
    check(
      isText(source, 200),
      `sources.${String(i)}`,
      'a payment source of 1–200 characters',
      source,
    );
  });
  const start: unknown = cast.start;
  check(
    typeof start === 'string' && isInstant(start),
    'start',
    'an instant such as 2014-11-03T09:00:00Z',
    start,
  );
  return { ...cast, sources: Object.freeze(sources as string[]) };
}
