/*
 * Copies of frozen arrays, made at their final size. An array grown by `push` reserves half again
 * and 16 slots more, and a spread copy then pushed onto allocates twice: on a loaded state, where
 * a command copies a few small arrays for each event it folds, that slack was a third of what the
 * copies cost (bench/RESULTS.md, "Fifth session").
 */

/** A new array: `items` and then `item`. */
export function withOneMore<T>(items: readonly T[], item: T): T[] {
  const n = items.length;
  const copy = new Array<T>(n + 1);
  for (let i = 0; i < n; i++) copy[i] = items[i] as T;
  copy[n] = item;
  return copy;
}
