import * as v from 'valibot';
import { isArraySafe } from './parse.js';

/**
 * Refuses an array where the wire has an object: valibot's object and record schemas take one and
 * read only the keys they know (`"data": []` was a `CloseJob` without a reason, `"metadata": []`
 * empty metadata, `"policy": []` the default policy). The fast path (fast-parse.ts) knows this
 * check by its identity: its objects take no array anyway.
 */
export const NOT_AN_ARRAY = v.custom<unknown>(
  (input) => !isArraySafe(input),
  'expected an object, got an array',
);

/** `schema`, an array refused first ({@link NOT_AN_ARRAY}). */
export function objectOnly<const S extends v.GenericSchema>(schema: S) {
  return v.pipe(NOT_AN_ARRAY as v.CustomSchema<v.InferInput<S>, string>, schema);
}
