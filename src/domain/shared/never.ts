import { excerpt } from './parse.js';

/** Ends an exhaustive switch: a new union member breaks the build here until it is handled. */
export function assertNever(value: never, what: string): never {
  throw new Error(`Unhandled ${what}: ${jsonText(value)}`);
}

/** A value's JSON, cut when long; what JSON cannot write (a BigInt, a cycle) named by its type. */
function jsonText(value: unknown): string {
  try {
    // JSON.stringify gives undefined for a function or a symbol (its type says string).
    const text: unknown = JSON.stringify(value);
    return typeof text === 'string' ? excerpt(text) : typeof value;
  } catch {
    return typeof value;
  }
}
