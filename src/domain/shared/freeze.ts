/**
 * Deep-freezes plain JSON data in place and returns it; subtrees already frozen are taken as
 * deeply frozen and skipped.
 */
export function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    if (Array.isArray(value)) {
      for (const item of value) deepFreeze(item);
    } else {
      for (const key of Object.keys(value)) deepFreeze((value as Record<string, unknown>)[key]);
    }
  }
  return value;
}

/** True when every item of a list is frozen (the list itself included). */
export function allFrozen(items: readonly object[]): boolean {
  if (!Object.isFrozen(items)) return false;
  for (const item of items) if (!Object.isFrozen(item)) return false;
  return true;
}
