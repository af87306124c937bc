import { fail } from '../../domain/shared/errors.js';
import { describe, isArraySafe } from '../../domain/shared/parse.js';
import { DEFAULT_PLATFORM_ID } from '../../domain/shared/roles.js';
import * as v from 'valibot';
import {
  CurrencySchema,
  IdSchema,
  InstantSchema,
  SourceSchema,
  TitleSchema,
} from '../../domain/shared/schema.js';
import type { Cast } from './cast.js';

/*
 * The cast a caller hands `escrowArbitraries`, checked once, since every command the writer draws
 * carries its ids, title, currency, sources and start. Unchecked, a value the wire refuses made
 * each "valid" move a silent rejection (a history whose commands none was accepted), a start that
 * is no instant a RangeError, and one without a zone a history that hung on the machine's zone.
 */

/**
 * The cast, checked field by field against the wire's own schemas (`INVALID_INPUT` at
 * `cast.<field>`), its sources copied.
 */
export function checkCast(cast: Cast): Cast {
  const check = (field: string, ok: boolean, value: unknown = cast[field as keyof Cast]): void => {
    if (!ok)
      fail('INVALID_INPUT', `cast.${field} is not one the wire accepts: ${describe(value)}`, {
        path: `cast.${field}`,
      });
  };
  // The platform acts as "platform" (the writer's awards name none): each party its own role.
  const taken = [DEFAULT_PLATFORM_ID];
  for (const key of ['jobId', 'clientId', 'freelancerId', 'strangerId'] as const) {
    const id: unknown = cast[key];
    check(key, v.is(IdSchema, id) && !taken.includes(id));
    if (key !== 'jobId') taken.push(id as string);
  }
  check('title', v.is(TitleSchema, cast.title));
  check('currency', v.is(CurrencySchema, cast.currency));
  let sources: unknown[] = [];
  try {
    if (isArraySafe(cast.sources)) sources = [...cast.sources];
  } catch {
    // A list that cannot be read (a proxy that throws): no sources.
  }
  check('sources', sources.length > 0);
  sources.forEach((source, i) => {
    check(`sources.${String(i)}`, v.is(SourceSchema, source), source);
  });
  check('start', v.is(InstantSchema, cast.start));
  return { ...cast, sources: sources as string[] };
}
