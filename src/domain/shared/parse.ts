import * as v from 'valibot';
import { fail } from './errors.js';

/**
 * Runs a schema over untrusted input; on failure throws `INVALID_INPUT` naming the path of the
 * first problem (`data.milestones.0.amount`), so a person can find and fix it.
 */
export function parseWith<S extends v.GenericSchema>(schema: S, input: unknown, what: string): v.InferOutput<S> {
  const result = v.safeParse(schema, input, { abortEarly: true });
  if (result.success) return result.output;
  const issue = result.issues[0];
  const path = v.getDotPath(issue) ?? '';
  const where = path === '' ? what : `${what} ${path}`;
  fail('INVALID_INPUT', `${where}: ${issue.message}`, { path });
}
