/** A mutable deep copy of plain JSON data (the state is nothing else). */
export function thaw<T>(value: T): T {
  if (Array.isArray(value)) return value.map(thaw) as T;
  if (value !== null && typeof value === 'object') {
    const copy: Record<string, unknown> = {};
    for (const key of Object.keys(value)) copy[key] = thaw((value as Record<string, unknown>)[key]);
    return copy as T;
  }
  return value;
}
