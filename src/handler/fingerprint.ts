import { DomainError } from '../domain/shared/errors.js';
import { isInstance, thrownText } from '../domain/shared/parse.js';

/*
 * What an idempotency key is compared by: the canonical JSON of plain data (keys sorted). Only
 * values JSON keeps as they are qualify, so that two different values never hash alike: a `Date`
 * or a `Map` (both `{}` in JSON), `NaN` (`null`), an `undefined` array item (`null`), a BigInt,
 * a cycle or a getter is `INVALID_INPUT`, never a collision or a TypeError.
 */

/** How deep a fingerprint may nest (a command is four levels; an HTTP body a few more). */
export const MAX_FINGERPRINT_DEPTH = 64;

function reject(path: string, why: string): never {
  throw new DomainError(
    'INVALID_INPUT',
    `an idempotency fingerprint is plain JSON data: ${path} ${why}`,
    { path },
  );
}

function isPlainObject(value: object): boolean {
  const proto = Object.getPrototypeOf(value) as unknown;
  return proto === Object.prototype || proto === null;
}

class Canonical {
  readonly #open = new Set<object>();
  readonly #out: string[] = [];

  text(value: unknown, path: string): string {
    this.#value(value, path, 0);
    return this.#out.join('');
  }

  #value(value: unknown, path: string, depth: number): void {
    switch (typeof value) {
      case 'string':
      case 'boolean':
        this.#out.push(JSON.stringify(value));
        return;
      case 'number':
        if (!Number.isFinite(value)) reject(path, `is ${String(value)} (JSON has no such number)`);
        this.#out.push(JSON.stringify(value));
        return;
      case 'object':
        if (value === null) this.#out.push('null');
        else this.#object(value, path, depth);
        return;
      default:
        reject(path, `is a ${typeof value}`);
    }
  }

  #object(value: object, path: string, depth: number): void {
    if (depth >= MAX_FINGERPRINT_DEPTH)
      reject(path, `nests deeper than ${String(MAX_FINGERPRINT_DEPTH)} levels`);
    if (this.#open.has(value)) reject(path, 'refers back to itself (a cycle)');
    this.#open.add(value);
    if (Array.isArray(value)) this.#array(value, path, depth);
    else if (isPlainObject(value)) this.#record(value as Record<string, unknown>, path, depth);
    else reject(path, `is ${Object.prototype.toString.call(value)}, not a plain object or array`);
    this.#open.delete(value);
  }

  #array(value: readonly unknown[], path: string, depth: number): void {
    this.#out.push('[');
    for (let i = 0; i < value.length; i++) {
      if (i > 0) this.#out.push(',');
      const item = dataProperty(value, String(i), `${path}.${String(i)}`);
      if (item === undefined) reject(`${path}.${String(i)}`, 'is undefined (JSON writes null)');
      this.#value(item, `${path}.${String(i)}`, depth + 1);
    }
    this.#out.push(']');
  }

  #record(value: Record<string, unknown>, path: string, depth: number): void {
    this.#out.push('{');
    let first = true;
    for (const key of Object.keys(value).sort()) {
      const item = dataProperty(value, key, `${path}.${key}`);
      // A key whose value is undefined is absent, as in JSON: `{ a: undefined }` is `{}`.
      if (item === undefined) continue;
      if (!first) this.#out.push(',');
      first = false;
      this.#out.push(JSON.stringify(key), ':');
      this.#value(item, `${path}.${key}`, depth + 1);
    }
    this.#out.push('}');
  }
}

/** An own data property's value; a getter or setter is not data (reading it could run code). */
function dataProperty(value: object, key: string, path: string): unknown {
  const descriptor = Object.getOwnPropertyDescriptor(value, key);
  if (descriptor === undefined) return undefined;
  if (!('value' in descriptor)) reject(path, 'is a getter or setter, not a value');
  return descriptor.value as unknown;
}

/**
 * The canonical JSON text of plain data (keys sorted, `undefined` object values left out); throws
 * `INVALID_INPUT` for anything JSON would not keep as it is.
 */
export function canonicalJson(value: unknown, path = 'idempotencyFingerprint'): string {
  try {
    return new Canonical().text(value, path);
  } catch (error) {
    if (isInstance(error, DomainError)) throw error;
    // A proxy's trap, or the like: whatever it threw, the value is not plain data.
    return reject(path, `cannot be read (${thrownText(error)})`);
  }
}
