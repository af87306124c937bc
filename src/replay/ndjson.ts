import { DomainError } from '../domain/shared/errors.js';

/*
 * NDJSON in, values out, one line at a time: the reader holds one chunk and one partial line,
 * never the file. Works on anything that yields text or bytes (a Node read stream, a web
 * ReadableStream, process.stdin).
 */

/** One parsed NDJSON line and its 1-based line number in the source. */
export interface NdjsonLine {
  readonly line: number;
  readonly value: unknown;
}

/**
 * Splits a byte or text stream into lines and parses each non-blank one as JSON, yielding it
 * with its line number. A line that is not JSON throws `INVALID_INPUT` with `details.line`.
 */
export async function* readNdjsonLines(
  source: AsyncIterable<string | Uint8Array> | Iterable<string | Uint8Array>,
): AsyncGenerator<NdjsonLine> {
  const decoder = new TextDecoder('utf-8', { fatal: true });
  let pending = '';
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
  for await (const chunk of source) {
    pending += typeof chunk === 'string' ? chunk : decoder.decode(chunk, { stream: true });
    let start = 0;
    let nl = pending.indexOf('\n', start);
    while (nl !== -1) {
      const parsed = parse(pending.slice(start, nl));
      if (parsed !== undefined) yield parsed;
      start = nl + 1;
      nl = pending.indexOf('\n', start);
    }
    pending = pending.slice(start);
  }
  pending += decoder.decode();
  if (pending !== '') {
    const parsed = parse(pending);
    if (parsed !== undefined) yield parsed;
  }
}

/** Like {@link readNdjsonLines}, yielding the parsed values only. */
export async function* readNdjson(
  source: AsyncIterable<string | Uint8Array> | Iterable<string | Uint8Array>,
): AsyncGenerator {
  for await (const { value } of readNdjsonLines(source)) yield value;
}
