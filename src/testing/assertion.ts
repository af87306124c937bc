import { thrownText } from '../domain/shared/parse.js';

/*
 * A framework-neutral assertion failure. vitest, jest and node:test all print an error's message;
 * vitest also reads `expected`/`actual` (and `showDiff`) to draw its own diff. The message itself
 * carries a line diff, so the failure reads well under any runner.
 */

/** The failure the testing toolkit throws: `expected`/`actual` for runners that draw a diff. */
export class EscrowAssertionError extends Error {
  override readonly name = 'AssertionError';
  /** The code Node's own `AssertionError` carries, so runners treat this one alike. */
  readonly code = 'ERR_ASSERTION';
  readonly expected: unknown;
  readonly actual: unknown;
  /** Tells vitest (and mocha-style reporters) to draw a diff of `expected` and `actual`. */
  readonly showDiff: boolean;

  constructor(
    message: string,
    options: { expected?: unknown; actual?: unknown; cause?: unknown } = {},
  ) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.expected = options.expected;
    this.actual = options.actual;
    this.showDiff = 'expected' in options && 'actual' in options;
  }
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/** Deep equality of plain JSON data (key order ignored, `undefined` properties count as absent). */
export function deepEqual(a: unknown, b: unknown): boolean {
  if (Object.is(a, b)) return true;
  if (Array.isArray(a))
    return Array.isArray(b) && a.length === b.length && a.every((x, i) => deepEqual(x, b[i]));
  if (isPlainObject(a) && isPlainObject(b)) {
    const ka = Object.keys(a).filter((k) => a[k] !== undefined);
    const kb = Object.keys(b).filter((k) => b[k] !== undefined);
    return (
      ka.length === kb.length &&
      ka.every((k) => Object.prototype.hasOwnProperty.call(b, k) && deepEqual(a[k], b[k]))
    );
  }
  return false;
}

/**
 * `actual` with its object keys in the order `like` has them (extra keys last), so that a line
 * diff of the two shows what differs, not how the keys were written.
 */
export function alignKeys(actual: unknown, like: unknown): unknown {
  if (Array.isArray(actual))
    return actual.map((x, i) => alignKeys(x, Array.isArray(like) ? like[i] : undefined));
  if (!isPlainObject(actual)) return actual;
  const order = isPlainObject(like)
    ? Object.keys(like).filter((k) => Object.prototype.hasOwnProperty.call(actual, k))
    : [];
  const rest = Object.keys(actual).filter((k) => !order.includes(k));
  const out: Record<string, unknown> = {};
  for (const k of [...order, ...rest])
    out[k] = alignKeys(actual[k], isPlainObject(like) ? like[k] : undefined);
  return out;
}

// A BigInt as `5n` (JSON.stringify threw a TypeError on one).
function bigints(_key: string, value: unknown): unknown {
  return typeof value === 'bigint' ? `${String(value)}n` : value;
}

// The same, and a value that holds itself as `[Circular]` (only when plain JSON fails: a value
// shared by two branches is no cycle, and is printed twice).
function noCycles(): (this: unknown, key: string, value: unknown) => unknown {
  const ancestors: unknown[] = [];
  return function (this: unknown, key, value) {
    if (typeof value !== 'object' || value === null) return bigints(key, value);
    while (ancestors.length > 0 && ancestors.at(-1) !== this) ancestors.pop();
    if (ancestors.includes(value)) return '[Circular]';
    ancestors.push(value);
    return value;
  };
}

// JSON.stringify's type says a string; a function, a Symbol or `undefined` give none.
function pretty(
  value: unknown,
  replacer: (this: unknown, key: string, v: unknown) => unknown,
): string | undefined {
  return JSON.stringify(value, replacer, 2);
}

/** A value as lines of pretty JSON; never throws (a getter that throws is said so). */
function toLines(value: unknown): string[] {
  let text: string | undefined;
  try {
    text = pretty(value, bigints);
  } catch {
    try {
      text = pretty(value, noCycles());
    } catch (error) {
      text = `(a value that cannot be shown: ${thrownText(error)})`;
    }
  }
  return (text ?? String(value)).split('\n');
}

type Row = { readonly mark: ' ' | '-' | '+'; readonly text: string };

// The largest longest-common-subsequence table a diff builds (4 bytes a cell): past it, the
// changed middle is shown as removed, then added.
const MAX_CELLS = 1 << 22;
// The most lines a diff prints: a decision of 150,000 events is millions of lines of JSON.
const MAX_ROWS = 400;

/**
 * A line diff of two values as pretty JSON: `-` lines are only in `expected`, `+` lines only in
 * `actual`, and up to `context` unchanged lines are kept around each change.
 */
export function lineDiff(expected: unknown, actual: unknown, context = 3): string {
  const a = toLines(expected);
  let aligned = actual;
  try {
    aligned = alignKeys(actual, expected);
  } catch {
    // `expected` cannot be read (a getter that throws, a revoked proxy): `actual` as it is.
  }
  const b = toLines(aligned);
  // Only the middle between the lines both start and end with is diffed: one wrong event in a
  // long list costs a small table, not lines² cells (a RangeError at 150,000 events).
  let head = 0;
  while (head < a.length && head < b.length && a[head] === b[head]) head++;
  let endA = a.length;
  let endB = b.length;
  while (endA > head && endB > head && a[endA - 1] === b[endB - 1]) {
    endA--;
    endB--;
  }
  const rows: Row[] = [];
  for (let i = 0; i < head; i++) rows.push({ mark: ' ', text: a[i] ?? '' });
  diffMiddle(a.slice(head, endA), b.slice(head, endB), rows);
  for (let i = endA; i < a.length; i++) rows.push({ mark: ' ', text: a[i] ?? '' });
  return render(rows, context);
}

/** Appends the rows of a diff of `a` and `b` that share neither their first nor last line. */
function diffMiddle(a: readonly string[], b: readonly string[], rows: Row[]): void {
  if ((a.length + 1) * (b.length + 1) > MAX_CELLS) {
    for (const text of a) rows.push({ mark: '-', text });
    for (const text of b) rows.push({ mark: '+', text });
    return;
  }
  // Longest common subsequence table, from the end, flat: lcs(i, j) at i * width + j.
  const width = b.length + 1;
  const table = new Uint32Array((a.length + 1) * width);
  const lcs = (i: number, j: number): number => table[i * width + j] ?? 0;
  for (let i = a.length - 1; i >= 0; i--) {
    for (let j = b.length - 1; j >= 0; j--) {
      table[i * width + j] =
        a[i] === b[j] ? lcs(i + 1, j + 1) + 1 : Math.max(lcs(i + 1, j), lcs(i, j + 1));
    }
  }
  let i = 0;
  let j = 0;
  while (i < a.length || j < b.length) {
    if (i < a.length && j < b.length && a[i] === b[j]) {
      rows.push({ mark: ' ', text: a[i] ?? '' });
      i++;
      j++;
    } else if (i < a.length && (j === b.length || lcs(i + 1, j) >= lcs(i, j + 1))) {
      rows.push({ mark: '-', text: a[i] ?? '' });
      i++;
    } else {
      rows.push({ mark: '+', text: b[j] ?? '' });
      j++;
    }
  }
}

/** The rows as text: changes with `context` unchanged lines around them, at most `MAX_ROWS`. */
function render(rows: readonly Row[], context: number): string {
  // The distance from each row to the nearest change after it, then before it.
  const near = new Array<number>(rows.length).fill(Number.POSITIVE_INFINITY);
  let last = Number.POSITIVE_INFINITY;
  for (let k = rows.length - 1; k >= 0; k--) {
    if (rows[k]?.mark !== ' ') last = k;
    near[k] = last - k;
  }
  last = Number.NEGATIVE_INFINITY;
  const out: string[] = [];
  let skipped = false;
  for (let k = 0; k < rows.length; k++) {
    const row = rows[k] as Row;
    if (row.mark !== ' ') last = k;
    if (Math.min(near[k] ?? 0, k - last) > context) {
      if (!skipped) out.push('  …');
      skipped = true;
      continue;
    }
    if (out.length === MAX_ROWS) {
      out.push(`  … (${String(rows.length - k)} more lines)`);
      break;
    }
    out.push(`${row.mark} ${row.text}`);
    skipped = false;
  }
  return out.join('\n');
}
