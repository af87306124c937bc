// Marks an array that `deepFreeze` froze all the way down: a non-enumerable symbol, invisible to
// JSON, spreads and deep equality. Checking it is one property read, where checking each item
// costs a call per item and a WeakSet of such arrays cost the garbage collector dearly.
const DEEP: unique symbol = Symbol('milestone-escrow deeply frozen');

/**
 * Deep-freezes plain JSON data in place and returns it; subtrees already frozen are taken as
 * deeply frozen and skipped.
 */
export function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === 'object' && !Object.isFrozen(value)) {
    // Only objects are walked into: an event's fields are mostly strings and numbers, and a call
    // per field, with the array of its keys, cost a quarter of freezing an event.
    if (Array.isArray(value)) {
      if (Object.isExtensible(value)) Object.defineProperty(value, DEEP, { value: true });
      Object.freeze(value);
      for (const item of value) if (typeof item === 'object' && item !== null) deepFreeze(item);
    } else {
      Object.freeze(value);
      const record = value as Record<string, unknown>;
      for (const key in record) {
        const field = record[key];
        // Own keys only, as `Object.keys` has them: an inherited one is someone else's.
        if (typeof field === 'object' && field !== null && Object.hasOwn(record, key))
          deepFreeze(field);
      }
    }
  }
  return value;
}

/**
 * True when a value holds no getter or setter, all the way down through its own keys: what was
 * read of it once reads the same again. A frozen object may still have accessors, whose value can
 * change from one read to the next. For a value already checked against the wire format (a finite
 * tree of records and lists).
 */
export function dataOnly(value: unknown): boolean {
  if (typeof value !== 'object' || value === null) return true;
  for (const key in value) {
    const field = Object.getOwnPropertyDescriptor(value, key);
    // An inherited key is not the value's (the in-place check was unsure of those already).
    if (field !== undefined && !('value' in field && dataOnly(field.value))) return false;
  }
  return true;
}

/** True when a list and every item in it are frozen. */
export function allFrozen(items: readonly object[]): boolean {
  // An own mark only: an array that merely inherits from a marked one is not marked.
  if (Object.prototype.hasOwnProperty.call(items, DEEP)) return true;
  if (!Object.isFrozen(items)) return false;
  for (const item of items) if (!Object.isFrozen(item)) return false;
  return true;
}
