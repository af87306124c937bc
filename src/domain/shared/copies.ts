/*
 * Copies of frozen arrays, made at their final size. An array grown by `push` reserves half again
 * and 16 slots more, and a spread copy then pushed onto allocates twice: on a loaded state, where
 * a command copies a few small arrays for each event it folds, that slack was a third of what the
 * copies cost (bench/RESULTS.md, "Fifth session").
 */

/** A new array: `items` and then `item`. */
export function withOneMore<T>(items: readonly T[], item: T): T[] {
  const copy = copyWithRoom(items, 1);
  copy[items.length] = item;
  return copy;
}

/** A new array: `items` and then `first` and `second` (a trie leaf's id and value). */
export function withTwoMore<T>(items: readonly T[], first: T, second: T): T[] {
  const copy = copyWithRoom(items, 2);
  copy[items.length] = first;
  copy[items.length + 1] = second;
  return copy;
}

/** `items` copied into a new array with `room` slots more at its end, for the caller to fill. */
function copyWithRoom<T>(items: readonly T[], room: number): T[] {
  const n = items.length;
  const copy = new Array<T>(n + room);
  for (let i = 0; i < n; i++) copy[i] = items[i] as T;
  return copy;
}

/**
 * Appends `items` to `target`, one at a time: `push(...items)` passes each as an argument, and
 * the refunds of a milestone with 200,000 fundings overflowed the stack.
 */
export function appendAll<T>(target: T[], items: readonly T[]): void {
  for (const item of items) target.push(item);
}
