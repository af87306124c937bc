// Lists known to be frozen all the way down, because `deepFreeze` froze them: checking that is a
// lookup, where checking each item costs a call per item on every fold.
const deeplyFrozen = new WeakSet<object>();

/**
 * Deep-freezes plain JSON data in place and returns it; subtrees already frozen are taken as
 * deeply frozen and skipped.
 */
export function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    if (Array.isArray(value)) {
      for (const item of value) deepFreeze(item);
      deeplyFrozen.add(value);
    } else {
      for (const key of Object.keys(value)) deepFreeze((value as Record<string, unknown>)[key]);
    }
  }
  return value;
}

/**
 * True when a list and every item in it are frozen. A list frozen elsewhere is checked item by
 * item once, then remembered: frozen things stay frozen, so the answer cannot change.
 */
export function allFrozen(items: readonly object[]): boolean {
  if (deeplyFrozen.has(items)) return true;
  if (!Object.isFrozen(items)) return false;
  for (const item of items) if (!Object.isFrozen(item)) return false;
  deeplyFrozen.add(items);
  return true;
}
