/**
 * Deep-freezes a fresh tree of plain JSON data in place and returns it. (No `isFrozen` check per
 * object: the callers freeze trees they have just built, and the check costs as much as the freeze.)
 */
export function deepFreeze<T>(value: T): T {
  if (value === null || typeof value !== 'object') return value;
  Object.freeze(value);
  if (Array.isArray(value)) {
    for (const item of value) deepFreeze(item);
  } else {
    for (const key in value) deepFreeze((value as Record<string, unknown>)[key]);
  }
  return value;
}
