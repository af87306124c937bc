import { once } from 'node:events';
import { fstat, type Stats } from 'node:fs';
import { promisify } from 'node:util';
import { open, stat, type FileHandle } from 'node:fs/promises';
import type { Readable, Writable } from 'node:stream';
import { finished } from 'node:stream/promises';
import type { JobEvent } from '../domain/events.js';
import type { JobState } from '../domain/state.js';
import { oneLine } from '../projections/format.js';
import { parseArgs, USAGE, UsageError, type Invocation } from './args.js';
import { playDemo } from './demo.js';
import { NoCommandsError, replayLines, runLines } from './jobs.js';
import { describeSystemError, FileError, LineError, LineReader } from './lines.js';
import { packageVersion } from './version.js';
import { excerpt, isInstance } from '../domain/shared/parse.js';
import { renderJob, renderJobWithTimeline, renderSummaryJson } from './render.js';

/*
 * The command line: arguments (args.ts) → lines in (lines.ts) → replay or run (jobs.ts) → text
 * out (render.ts). `runCli` takes its streams as arguments and returns the exit status, so tests
 * can run it in process; `main.ts` wires it to the real process.
 */

/** The streams the command line reads and writes. */
export interface CliIo {
  readonly stdin: Readable;
  readonly stdout: Writable;
  readonly stderr: Writable;
}

/** Exit statuses: done, bad input (`line N: CODE: message`), usage or file error. */
export const EXIT = { ok: 0, badInput: 1, usage: 2 } as const;

/** The longest path Linux opens (PATH_MAX): a path is named whole up to it, a typo being at its end. */
const PATH_MAX = 4096;

async function openFile(path: string, flags: 'r' | 'w', verb: string): Promise<FileHandle> {
  try {
    return await open(path, flags);
  } catch (error) {
    throw new FileError(`cannot ${verb} ${excerpt(path, PATH_MAX)}: ${describeSystemError(error)}`);
  }
}

/** Writes each decision's events as NDJSON lines, waiting when the stream asks to. */
class EventWriter {
  #failure: unknown = null;

  constructor(
    private readonly stream: Writable,
    private readonly name: string,
    private readonly owned: boolean,
  ) {
    stream.on('error', (error) => {
      this.#failure ??= error;
    });
  }

  #check(): void {
    if (this.#failure !== null)
      throw new FileError(`cannot write ${this.name}: ${describeSystemError(this.#failure)}`);
  }

  async write(events: readonly JobEvent[]): Promise<void> {
    this.#check();
    if (events.length === 0) return;
    const chunk = events.map((e) => `${JSON.stringify(e)}\n`).join('');
    if (!this.stream.write(chunk)) {
      try {
        await once(this.stream, 'drain');
      } catch (error) {
        this.#failure ??= error;
      }
    }
    this.#check();
  }

  /** Ends a file (it is complete once this resolves); leaves standard output open. */
  async close(): Promise<void> {
    if (this.owned) {
      this.stream.end();
      try {
        await finished(this.stream);
      } catch (error) {
        this.#failure ??= error;
      }
    }
    this.#check();
  }
}

async function openInput(
  file: string,
  io: CliIo,
  maxLineBytes: number | undefined,
): Promise<{ lines: LineReader; handle: FileHandle | null }> {
  if (file === '-') {
    // Node gives a directory on standard input as an empty stream: it read as an empty history.
    if ((await stdinStats(io))?.isDirectory() === true)
      throw new FileError(
        'cannot read standard input: illegal operation on a directory, read (EISDIR)',
      );
    return {
      lines: new LineReader(io.stdin, false, 'standard input', maxLineBytes),
      handle: null,
    };
  }
  const handle = await openFile(file, 'r', 'read');
  return { lines: new LineReader(handle.createReadStream(), true, file, maxLineBytes), handle };
}

/** What standard input is (a file, a directory, a pipe), when it has a descriptor. */
async function stdinStats(io: CliIo): Promise<Stats | null> {
  const fd = (io.stdin as { fd?: unknown }).fd;
  if (typeof fd !== 'number') return null;
  return promisify(fstat)(fd).catch(() => null);
}

/** The input's device and inode: a file's, or standard input's when it is a file (`< FILE`). */
async function inputIdentity(
  handle: FileHandle | null,
  io: CliIo,
): Promise<{ dev: number; ino: number } | null> {
  if (handle !== null) return handle.stat();
  const stats = await stdinStats(io);
  return stats?.isFile() === true ? stats : null;
}

async function openEvents(out: string, input: FileHandle | null, io: CliIo): Promise<EventWriter> {
  if (out === '-') return new EventWriter(io.stdout, 'standard output', false);
  // Opening OUT for writing would empty FILE (or the file standard input reads) before it is read.
  const [a, b] = await Promise.all([inputIdentity(input, io), stat(out).catch(() => null)]);
  if (a !== null && b !== null && a.dev === b.dev && a.ino === b.ino) {
    const what = input === null ? 'the file standard input reads' : 'FILE itself';
    throw new UsageError(`--events ${out} is ${what}: it would be emptied before it is read`);
  }
  const handle = await openFile(out, 'w', 'write');
  return new EventWriter(handle.createWriteStream(), out, true);
}

async function execute(invocation: Invocation, io: CliIo): Promise<void> {
  const print = (state: JobState, json: boolean): void => {
    io.stdout.write(json ? renderSummaryJson(state) : renderJob(state));
  };
  switch (invocation.verb) {
    case 'help':
      io.stdout.write(USAGE);
      return;
    case 'version':
      io.stdout.write(`${packageVersion()}\n`);
      return;
    case 'demo': {
      const { state, events } = playDemo();
      // `demo --events job.ndjson` gives a reader of the guides the seed's history to work on.
      if (invocation.events !== null) {
        const writer = await openEvents(invocation.events, null, io);
        try {
          await writer.write(events);
        } finally {
          await writer.close();
        }
        if (invocation.events === '-') return;
      }
      io.stdout.write(
        invocation.json ? renderSummaryJson(state) : renderJobWithTimeline(state, events),
      );
      return;
    }
    case 'replay': {
      const { lines } = await openInput(invocation.file, io, invocation.maxLineBytes);
      print(await replayLines(lines), invocation.json);
      return;
    }
    case 'run': {
      const { lines, handle } = await openInput(invocation.file, io, invocation.maxLineBytes);
      const out = invocation.events;
      if (out === null) {
        print(await runLines(lines, () => undefined), invocation.json);
        return;
      }
      let writer: EventWriter;
      try {
        writer = await openEvents(out, handle, io);
      } catch (error) {
        lines.close();
        throw error;
      }
      let state: JobState;
      try {
        state = await runLines(lines, (events) => writer.write(events));
      } finally {
        // OUT keeps the events of every line applied before a bad one: a valid history.
        await writer.close();
      }
      if (out !== '-') print(state, invocation.json);
      return;
    }
    default: {
      const never: never = invocation;
      throw new Error(`unhandled invocation ${JSON.stringify(never)}`);
    }
  }
}

/**
 * Runs the command line with these arguments (after the program name) and streams, and returns
 * the exit status: 0 done, 1 bad input (one line on stderr: `line N: CODE: message`), 2 a usage
 * error (with the usage on stderr) or a file that cannot be read or written. Anything else thrown
 * is a bug.
 */
export async function runCli(argv: readonly string[], io: CliIo): Promise<number> {
  let invocation: Invocation | null = null;
  try {
    invocation = parseArgs(argv);
    await execute(invocation, io);
    return EXIT.ok;
  } catch (error) {
    // isInstance: `instanceof` throws on a revoked proxy, which is then main.ts's to report.
    if (isInstance(error, LineError)) {
      io.stderr.write(`line ${String(error.line)}: ${error.code}: ${oneLine(error.message)}\n`);
      return EXIT.badInput;
    }
    if (isInstance(error, NoCommandsError)) {
      const file = invocation?.verb === 'run' ? invocation.file : '-';
      const input = file === '-' ? 'standard input' : file;
      io.stderr.write(`milestone-escrow: ${oneLine(input)} ${oneLine(error.message)}\n`);
      return EXIT.badInput;
    }
    if (isInstance(error, UsageError)) {
      io.stderr.write(`milestone-escrow: ${oneLine(error.message)}\n${USAGE}`);
      return EXIT.usage;
    }
    if (isInstance(error, FileError)) {
      io.stderr.write(`milestone-escrow: ${oneLine(error.message)}\n`);
      return EXIT.usage;
    }
    throw error;
  }
}
