/*
 * One copy of a text that recurs. A job's fundings name their source again and again (a client
 * funds from the same card or account), and every event parsed from JSON brings its own copy of
 * the string: on a job of 200,000 fundings those copies were 7 MB of the state, an eighth of it
 * (bench/RESULTS.md, "Eighth session"). The texts met last are remembered, and an equal text is
 * handed back as the copy already kept. Strings are values: which copy a state holds is invisible
 * to every reader, deep equality and JSON included.
 */

// A handful: a client has few sources, and a miss costs a comparison with each.
const KEPT = 8;
const kept: string[] = [];
let next = 0;

/** `text`, or an equal string met before (the same value, one copy in memory). */
export function sharedText(text: string): string {
  for (let i = 0; i < kept.length; i++) {
    const k = kept[i] as string;
    if (k === text) return k;
  }
  if (kept.length < KEPT) kept.push(text);
  else kept[next] = text;
  next = (next + 1) % KEPT;
  return text;
}
