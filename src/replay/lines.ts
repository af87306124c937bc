/*
 * Cutting a byte or text stream at `\n`, for the CLI's reader and `readNdjson`: the pieces
 * between newlines, decoded as UTF-8 that must be valid (a byte that is not UTF-8 is an error,
 * never a silent U+FFFD), and never longer than a limit (a file without newlines, such as
 * /dev/zero, would otherwise be held whole until the heap runs out).
 */

/** The longest line read by default: 64 MiB. */
export const DEFAULT_MAX_LINE_BYTES = 64 * 1024 * 1024;

/**
 * The highest limit a reader takes: V8's longest string, 2^29 − 24 UTF-16 units (just under
 * 512 MiB). Past it a line cannot be held: it threw a RangeError ("Invalid string length") from
 * text chunks, and was called "not UTF-8" from bytes.
 */
export const MAX_LINE_BYTES = 2 ** 29 - 24;

/** Why a line could not be read: `not-utf8` or `too-long`, with the message to show. */
export interface LineFailure {
  readonly kind: 'not-utf8' | 'too-long';
  readonly message: string;
}

const NEWLINE = 0x0a;

/** The message of a line longer than `max` bytes. */
export function tooLongMessage(max: number): string {
  return `line longer than ${String(max)} bytes (the limit: raise it if such lines are expected)`;
}

const NOT_UTF8: LineFailure = {
  kind: 'not-utf8',
  message: 'not UTF-8 (the line holds bytes that are not UTF-8 text; save the input as UTF-8)',
};

/**
 * Splits chunks into the segments between `\n` (a `\r` before it is left to the caller).
 * `push` returns the segments a chunk completes; once a segment is bad, `failure` says why and
 * it returns only the good segments before it (the bad one is the caller's next line). Memory is
 * bounded by the limit: an unfinished segment is held only while it is within it.
 */
export class LineSplitter {
  // Bytes fatal-decoded; the byte-order mark is kept (the caller drops it on line 1 only).
  readonly #decoder = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });
  // The unfinished segment: decoded text first, then bytes not yet decoded.
  #text: string[] = [];
  #textSize = 0;
  #bytes: Uint8Array[] = [];
  #byteSize = 0;
  #failure: LineFailure | null = null;

  constructor(private readonly maxLineBytes: number = DEFAULT_MAX_LINE_BYTES) {}

  /** Why the next segment could not be read, once one could not. */
  get failure(): LineFailure | null {
    return this.#failure;
  }

  /** The segments this chunk completes (none once a segment failed). */
  push(chunk: string | Uint8Array): string[] {
    if (this.#failure !== null) return [];
    return typeof chunk === 'string' ? this.#pushText(chunk) : this.#pushBytes(chunk);
  }

  /** The last segment (the input's end without a newline), if any; `null` if none or it failed. */
  end(): string | null {
    if (this.#failure !== null) return null;
    if (!this.#flushBytes()) return null;
    const last = this.#text.join('');
    this.#text = [];
    this.#textSize = 0;
    return last === '' ? null : last;
  }

  #fail(failure: LineFailure): string[] {
    this.#failure = failure;
    this.#text = [];
    this.#bytes = [];
    return [];
  }

  /** Moves undecoded bytes to the text (a text chunk follows them); false if they are not UTF-8. */
  #flushBytes(): boolean {
    if (this.#bytes.length === 0) return true;
    const text = this.#decode(concat(this.#bytes, this.#byteSize));
    this.#bytes = [];
    this.#byteSize = 0;
    if (text === null) {
      this.#fail(NOT_UTF8);
      return false;
    }
    this.#text.push(text);
    this.#textSize += text.length;
    return true;
  }

  #decode(bytes: Uint8Array): string | null {
    try {
      return this.#decoder.decode(bytes);
    } catch {
      return null;
    }
  }

  #pushText(chunk: string): string[] {
    if (!this.#flushBytes()) return [];
    const parts = chunk.split('\n');
    const rest = parts.pop() ?? '';
    const out: string[] = [];
    for (const part of parts) {
      const segment = this.#text.length === 0 ? part : this.#take(part);
      // Text input counts UTF-16 units against the limit: at most the line's UTF-8 bytes.
      if (segment.length > this.maxLineBytes) return this.#done(out, tooLong(this.maxLineBytes));
      out.push(segment);
    }
    this.#text.push(rest);
    this.#textSize += rest.length;
    if (this.#textSize > this.maxLineBytes) return this.#done(out, tooLong(this.maxLineBytes));
    return out;
  }

  #pushBytes(chunk: Uint8Array): string[] {
    const last = chunk.lastIndexOf(NEWLINE);
    if (last === -1) {
      this.#hold(chunk);
      return this.#byteSize + this.#textSize > this.maxLineBytes
        ? this.#fail(tooLong(this.maxLineBytes))
        : [];
    }
    // Every complete segment at once: one decode per chunk, as a streaming decoder would do.
    const head = chunk.subarray(0, last);
    const block =
      this.#bytes.length === 0 ? head : concat([...this.#bytes, head], this.#byteSize + last);
    const carried = this.#byteSize + this.#textSize;
    this.#bytes = [];
    this.#byteSize = 0;
    const text = this.#decode(block);
    const out =
      text === null ? this.#goodPrefix(block, carried) : this.#segments(text, block, carried);
    if (this.#failure !== null) return out;
    this.#hold(chunk.subarray(last + 1));
    if (this.#byteSize > this.maxLineBytes) return this.#done(out, tooLong(this.maxLineBytes));
    return out;
  }

  #hold(bytes: Uint8Array): void {
    if (bytes.length === 0) return;
    this.#bytes.push(bytes);
    this.#byteSize += bytes.length;
  }

  /** The unfinished text joined with the first piece of a decoded block. */
  #take(part: string): string {
    this.#text.push(part);
    const segment = this.#text.join('');
    this.#text = [];
    this.#textSize = 0;
    return segment;
  }

  /** The segments of a decoded block of whole lines, each checked against the limit. */
  #segments(text: string, block: Uint8Array, carried: number): string[] {
    const parts = text.split('\n');
    if (this.#text.length > 0) parts[0] = this.#take(parts[0] ?? '');
    // A line longer than the limit needs a block longer than it: only then are lines measured.
    if (block.length + carried <= this.maxLineBytes) return parts;
    let start = 0;
    for (let i = 0; i < parts.length; i++) {
      const nl = block.indexOf(NEWLINE, start);
      const end = nl === -1 ? block.length : nl;
      if (end - start + (i === 0 ? carried : 0) > this.maxLineBytes)
        return this.#done(parts.slice(0, i), tooLong(this.maxLineBytes));
      start = end + 1;
    }
    return parts;
  }

  /** A block that is not all UTF-8: its good segments, then the failure (the error path only). */
  #goodPrefix(block: Uint8Array, carried: number): string[] {
    const good: string[] = [];
    let start = 0;
    while (start <= block.length) {
      const nl = block.indexOf(NEWLINE, start);
      const end = nl === -1 ? block.length : nl;
      const text = this.#decode(block.subarray(start, end));
      if (text === null) break;
      if (end - start + (good.length === 0 ? carried : 0) > this.maxLineBytes)
        return this.#done(good, tooLong(this.maxLineBytes));
      good.push(good.length === 0 && this.#text.length > 0 ? this.#take(text) : text);
      start = end + 1;
    }
    return this.#done(good, NOT_UTF8);
  }

  #done(good: string[], failure: LineFailure): string[] {
    this.#fail(failure);
    return good;
  }
}

function tooLong(max: number): LineFailure {
  return { kind: 'too-long', message: tooLongMessage(max) };
}

function concat(parts: readonly Uint8Array[], size: number): Uint8Array {
  if (parts.length === 1 && parts[0] !== undefined) return parts[0];
  const out = new Uint8Array(size);
  let at = 0;
  for (const part of parts) {
    out.set(part, at);
    at += part.length;
  }
  return out;
}
