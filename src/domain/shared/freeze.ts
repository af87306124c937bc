/**
 * Deep-freezes plain JSON data in place and returns it. A frozen object's subtree is taken as
 * frozen already (the library only ever freezes whole trees), which keeps re-freezing a state
 * that shares most of its structure with an older one cheap.
 */
export function deepFreeze<T>(value: T): T {
  if (value === null || typeof value !== 'object' || Object.isFrozen(value)) return value;
  Object.freeze(value);
  if (Array.isArray(value)) {
    for (const item of value) deepFreeze(item);
  } else {
    for (const key in value) deepFreeze((value as Record<string, unknown>)[key]);
  }
  return value;
}
