import { DomainError, fail } from '../domain/shared/errors.js';
import { DEFAULT_MAX_LINE_BYTES, LineSplitter, MAX_LINE_BYTES } from './lines.js';
import { countOption, iterableOption, readOptions } from '../shared/options.js';
import { describe, isInstance } from '../domain/shared/parse.js';

/*
 * NDJSON in, values out, one line at a time: the reader holds one chunk and one partial line,
 * never the file. Works on anything that yields text or bytes (a Node read stream, a web
 * ReadableStream, process.stdin).
 */

/**
 * One parsed NDJSON line and its 1-based line number in the source.
 * @category Replay
 */
export interface NdjsonLine {
  readonly line: number;
  readonly value: unknown;
}

/**
 * Options of {@link readNdjsonLines} and {@link readNdjson}.
 * @category Replay
 */
export interface NdjsonOptions {
  /**
   * The longest line read, in bytes (UTF-16 units for text chunks); default 64 MiB, at most
   * 2^29 − 24 (the longest string JavaScript holds). A longer line is `INVALID_INPUT`, so a
   * stream without newlines cannot fill the memory.
   */
  readonly maxLineBytes?: number;
}

/**
 * Splits a byte or text stream into lines and parses each non-blank one as JSON, yielding it
 * with its line number. A line that is not JSON, not UTF-8 (`line N: not UTF-8 …`) or longer than
 * `maxLineBytes` throws `INVALID_INPUT` with `details.line`.
 * @category Replay
 */
export async function* readNdjsonLines(
  source: AsyncIterable<string | Uint8Array> | Iterable<string | Uint8Array>,
  options: NdjsonOptions = {},
): AsyncGenerator<NdjsonLine> {
  const { maxLineBytes } = readOptions(options, ['maxLineBytes'], 'maxLineBytes, or none');
  // A limit of NaN or a string compared false with every length: no limit at all.
  const limit = countOption(maxLineBytes ?? DEFAULT_MAX_LINE_BYTES, 'maxLineBytes');
  if (limit > MAX_LINE_BYTES)
    fail(
      'INVALID_INPUT',
      `maxLineBytes is at most ${String(MAX_LINE_BYTES)} (the longest string JavaScript holds), not ${String(limit)}`,
      { path: 'maxLineBytes' },
    );
  const splitter = new LineSplitter(limit);
  let line = 0;
  const parse = (text: string): NdjsonLine | undefined => {
    line += 1;
    const trimmed = text.endsWith('\r') ? text.slice(0, -1) : text;
    if (trimmed.trim() === '') return undefined;
    try {
      return { line, value: JSON.parse(trimmed) as unknown };
    } catch (error) {
      throw new DomainError(
        'INVALID_INPUT',
        `line ${String(line)}: not JSON (${(error as Error).message})`,
        { line },
      );
    }
  };
  const failed = (): DomainError | null => {
    const failure = splitter.failure;
    if (failure === null) return null;
    const at = line + 1;
    return new DomainError('INVALID_INPUT', `line ${String(at)}: ${failure.message}`, {
      line: at,
    });
  };
  for await (const chunk of iterableOption(
    source,
    'source',
    'source must be chunks of text or bytes',
  )) {
    for (const segment of splitter.push(textOrBytes(chunk))) {
      const parsed = parse(segment);
      if (parsed !== undefined) yield parsed;
    }
    const error = failed();
    if (error !== null) throw error;
  }
  const last = splitter.end();
  const error = failed();
  if (error !== null) throw error;
  if (last !== null) {
    const parsed = parse(last);
    if (parsed !== undefined) yield parsed;
  }
}

/** A chunk of the source: text or bytes (a Buffer is bytes); anything else is `INVALID_INPUT`. */
function textOrBytes(chunk: unknown): string | Uint8Array {
  if (typeof chunk === 'string' || isInstance(chunk, Uint8Array)) return chunk;
  // An array or a Uint16Array was read as bytes, a number was a TypeError.
  const given = ArrayBuffer.isView(chunk) ? 'a typed array of other than bytes' : describe(chunk);
  return fail('INVALID_INPUT', `source must yield strings or bytes (Uint8Array), not ${given}`, {
    path: 'source',
  });
}

/**
 * Like {@link readNdjsonLines}, yielding the parsed values only.
 * @category Replay
 */
export async function* readNdjson(
  source: AsyncIterable<string | Uint8Array> | Iterable<string | Uint8Array>,
  options: NdjsonOptions = {},
): AsyncGenerator {
  for await (const { value } of readNdjsonLines(source, options)) yield value;
}
