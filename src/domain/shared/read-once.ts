import { fail } from './errors.js';
import { excerpt, thrownText } from './parse.js';

/*
 * The one way the library reads an object an app hands it whole (a factory's options, a nested
 * option such as `replay`'s `until`): each known field read once, inside a `try`, into a plain
 * copy that is then checked and used. A getter that answers one thing when checked and another
 * when used is never read twice, and a getter or a proxy that throws while read is `INVALID_INPUT`
 * naming the field, not its own error escaping the factory.
 */

/**
 * The fields `keys` of `value`, each read once into a plain object (inherited fields included, as
 * `value.key` reads them; one that is `undefined` left out). `where` is the path of `value` itself
 * ('' for a factory's options), so that a field that cannot be read is named `where.key` in the
 * message and `details.path`.
 */
export function readFields<T, K extends keyof T & string>(
  value: T,
  keys: readonly K[],
  where: string,
): Readonly<Pick<T, K>> {
  const copy = {} as Pick<T, K>;
  for (const key of keys) {
    try {
      const field = value[key];
      // Left out when undefined, as an optional field is (`exactOptionalPropertyTypes`).
      if (field !== undefined) copy[key] = field;
    } catch (error) {
      const path = where === '' ? key : `${where}.${key}`;
      fail('INVALID_INPUT', `${path} cannot be read: ${excerpt(thrownText(error))}`, { path });
    }
  }
  return copy;
}
