import { createInterface } from 'node:readline';
import type { Readable } from 'node:stream';

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

/** A system error in a few words: `no such file or directory (ENOENT)`. */
export function describeSystemError(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const code = (error as NodeJS.ErrnoException).code;
  if (code === undefined) return error.message;
  // Node writes `ENOENT: no such file or directory, open 'x'`: the name is said elsewhere.
  const text = error.message.replace(`${code}: `, '').replace(/, \w+ '.*'$/s, '');
  return `${text} (${code})`;
}

/**
 * The non-blank lines of a stream, numbered as the file's lines from 1 (blank lines are skipped
 * but counted; `\n` and `\r\n` both end a line; a byte-order mark before line 1 is dropped).
 * After the iteration, `lineCount` is the number of lines the stream had.
 */
export class LineReader implements AsyncIterable<Line> {
  #count = 0;

  constructor(
    private readonly input: Readable,
    /** Whether to destroy the input once done (a file: yes; standard input: no). */
    private readonly owned: boolean,
    /** How errors name the input: the file's name, or `standard input`. */
    private readonly name: string,
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
    let failure: unknown = null;
    const rl = createInterface({ input: this.input, crlfDelay: Infinity });
    const onError = (error: unknown): void => {
      failure = error;
      rl.close();
    };
    // Kept on afterwards: a late error on the input must not crash the process.
    this.input.on('error', onError);
    try {
      for await (const raw of rl) {
        this.#count += 1;
        const text = this.#count === 1 && raw.startsWith('\uFEFF') ? raw.slice(1) : raw;
        if (text.trim() === '') continue;
        yield { number: this.#count, text };
      }
    } catch (error) {
      failure ??= error;
    } finally {
      rl.close();
      if (this.owned) this.input.destroy();
    }
    if (failure !== null) throw new FileError(`cannot read ${this.name}: ${describeSystemError(failure)}`);
  }
}
