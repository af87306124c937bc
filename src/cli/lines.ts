import type { Readable } from 'node:stream';
import type { ErrorCode } from '../domain/shared/errors.js';
import { asError } from '../domain/shared/parse.js';
import { DEFAULT_MAX_LINE_BYTES, LineSplitter } from '../replay/lines.js';

/*
 * NDJSON input, one line at a time: never the whole file in memory.
 */

/** One non-blank line of the input, with its 1-based number in the file. */
export interface Line {
  readonly number: number;
  readonly text: string;
}

/** A file (FILE, OUT, standard input or output) that could not be read or written: exit status 2. */
export class FileError extends Error {
  override readonly name = 'FileError';
}

/** The first bad line of the input: printed as `line N: CODE: message`, exit status 1. */
export class LineError extends Error {
  override readonly name = 'LineError';
  constructor(
    readonly line: number,
    readonly code: ErrorCode,
    message: string,
  ) {
    super(message);
  }
}

/** A system error in a few words: `no such file or directory (ENOENT)`. */
export function describeSystemError(thrown: unknown): string {
  // A stream's error may be anything (a revoked proxy, an object String() cannot print).
  const error = asError(thrown);
  const code = (error as NodeJS.ErrnoException).code;
  if (code === undefined) return error.message;
  // Node writes `ENOENT: no such file or directory, open 'x'`: the name is said elsewhere.
  const text = error.message.replace(`${code}: `, '').replace(/, \w+ '.*'$/s, '');
  return `${text} (${code})`;
}

/**
 * The non-blank lines of a stream, numbered as the file's lines from 1 (blank lines are skipped
 * but counted; `\n`, `\r\n` and a lone `\r` end a line, as for readline; a byte-order mark before
 * line 1 is dropped).
 * After the iteration, `lineCount` is the number of lines the stream had. A line that is not
 * UTF-8, or longer than `maxLineBytes`, stops the reading with a `LineError` (`INVALID_INPUT`).
 */
export class LineReader implements AsyncIterable<Line> {
  #count = 0;

  constructor(
    private readonly input: Readable,
    /** Whether to destroy the input once done (a file: yes; standard input: no). */
    private readonly owned: boolean,
    /** How errors name the input: the file's name, or `standard input`. */
    private readonly name: string,
    /** The longest line accepted, in bytes (default 64 MiB): what bounds the reader's memory. */
    private readonly maxLineBytes: number = DEFAULT_MAX_LINE_BYTES,
  ) {}

  /** How many lines were read so far. */
  get lineCount(): number {
    return this.#count;
  }

  /** Releases a file that will not be read after all. */
  close(): void {
    if (this.owned) this.input.destroy();
  }

  async *[Symbol.asyncIterator](): AsyncIterator<Line> {
    for await (const batch of this.batches()) for (const line of batch) yield line;
  }

  /**
   * The same lines, a chunk's worth at a time (never an empty batch): a replay then waits once per
   * chunk of the input rather than once per line, which cost a sixth of a long replay's time.
   * Errors come as from the iteration above, after every good line before them.
   */
  async *batches(): AsyncGenerator<readonly Line[], void, undefined> {
    let failure: unknown = null;
    // Kept on afterwards: a late error on the input must not crash the process.
    this.input.on('error', (error: unknown) => {
      failure ??= error;
    });
    // Lines are cut at `\n` (by the splitter, on bytes, which also checks UTF-8 and the length);
    // `\r\n` and a lone `\r` end a line too, as they do for readline.
    const splitter = new LineSplitter(this.maxLineBytes);
    try {
      // Not destroyed when the reader stops early (a bad line): standard input is not ours.
      for await (const chunk of this.input.iterator({ destroyOnReturn: false })) {
        const batch: Line[] = [];
        for (const segment of splitter.push(chunk as string | Uint8Array)) {
          if (segment.indexOf('\r') === -1) {
            const line = this.#line(segment);
            if (line !== undefined) batch.push(line);
          } else this.#split(segment, false, batch);
        }
        if (batch.length > 0) yield batch;
        if (splitter.failure !== null) break;
      }
      const last = splitter.end();
      if (last !== null) {
        const batch: Line[] = [];
        this.#split(last, true, batch);
        if (batch.length > 0) yield batch;
      }
    } catch (error) {
      failure ??= error;
    } finally {
      if (this.owned) this.input.destroy();
    }
    if (failure !== null)
      throw new FileError(`cannot read ${this.name}: ${describeSystemError(failure)}`);
    if (splitter.failure !== null)
      throw new LineError(this.#count + 1, 'INVALID_INPUT', splitter.failure.message);
  }

  /**
   * Adds the lines of a segment with a `\r` in it, or of the input's end (`last`): `\r\n` ends one
   * line; any other `\r` ends one too; at the input's end, a final `\r` ends the last line and
   * starts none.
   */
  #split(segment: string, last: boolean, lines: Line[]): void {
    const body = !last && segment.endsWith('\r') ? segment.slice(0, -1) : segment;
    const parts = body.split('\r');
    if (last && body.endsWith('\r')) parts.pop();
    for (const part of parts) {
      const line = this.#line(part);
      if (line !== undefined) lines.push(line);
    }
  }

  /** Counts a line; the line, unless it is blank. */
  #line(raw: string): Line | undefined {
    this.#count += 1;
    const text = this.#count === 1 && raw.startsWith('\uFEFF') ? raw.slice(1) : raw;
    return text.trim() === '' ? undefined : { number: this.#count, text };
  }
}
