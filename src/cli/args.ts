/*
 * The command line's arguments: pure parsing, no I/O. `parseArgs` either returns what to do or
 * throws a `UsageError` (exit status 2, with the usage on stderr).
 */

import { excerpt } from '../domain/shared/parse.js';
import { MAX_LINE_BYTES } from '../replay/lines.js';

/** What the command line asks for. */
export type Invocation =
  | { readonly verb: 'help' }
  | { readonly verb: 'version' }
  | { readonly verb: 'demo'; readonly json: boolean; readonly events: string | null }
  | {
      readonly verb: 'replay';
      readonly file: string;
      readonly json: boolean;
      /** `--max-line-bytes`: the longest line read (absent: the default, 64 MiB). */
      readonly maxLineBytes?: number;
    }
  | {
      readonly verb: 'run';
      readonly file: string;
      readonly json: boolean;
      readonly events: string | null;
      /** `--max-line-bytes`: the longest line read (absent: the default, 64 MiB). */
      readonly maxLineBytes?: number;
    };

/** A command line that cannot be run as written. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}

export const USAGE = `usage: milestone-escrow demo [--json] [--events OUT]
       milestone-escrow replay FILE [--json] [--max-line-bytes N]
       milestone-escrow run FILE [--json] [--events OUT] [--max-line-bytes N]

  demo          play the seed's logo-design job end to end and print it
  replay FILE   check an NDJSON event history against every rule and print the job
  run FILE      decide NDJSON commands one by one from an empty job and print the job
                (FILE - reads standard input)

  --json        print the job as the JSON summary instead of the table
  --events OUT  run, demo: write the events as NDJSON to OUT (- writes them to standard
                output instead of the job)
  --max-line-bytes N
                replay, run: the longest line read, in bytes (K or M: KiB or MiB;
                default 64M, at most 511M); a longer line is bad input
  -h, --help    print this help
  --version     print the package's version

exit status: 0 done; 1 bad input (one line on stderr: line N: CODE: message);
             2 usage error, or a file that cannot be read or written
`;

const VERBS = ['demo', 'replay', 'run', 'help'] as const;
type Verb = (typeof VERBS)[number];

const SIZE = /^([1-9][0-9]*)([KMG]?)$/;
const UNIT = { '': 1, K: 1024, M: 1024 ** 2, G: 1024 ** 3 } as const;

/** A size such as `1048576`, `512K` or `64M`, in bytes. */
function parseSize(text: string | undefined): number {
  if (text === undefined || text === '')
    throw new UsageError('--max-line-bytes needs a number of bytes, such as 1048576 or 64M');
  const m = SIZE.exec(text);
  // Any number of digits: a long one is past the limit (below), not "not a positive number".
  const bytes = m === null ? NaN : Number(m[1]) * UNIT[(m[2] ?? '') as keyof typeof UNIT];
  if (Number.isNaN(bytes))
    throw new UsageError(
      `--max-line-bytes takes a positive number of bytes, such as 1048576 or 64M (got ${excerpt(text)})`,
    );
  // A longer line could not be held as one string: it was called "not UTF-8" when read.
  if (bytes > MAX_LINE_BYTES)
    throw new UsageError(
      `--max-line-bytes is at most ${String(MAX_LINE_BYTES)} bytes, about 511M: the longest line JavaScript holds (got ${excerpt(text)})`,
    );
  return bytes;
}

function isVerb(word: string): word is Verb {
  return (VERBS as readonly string[]).includes(word);
}

/** Parses the arguments after the program name (`process.argv.slice(2)`). */
export function parseArgs(argv: readonly string[]): Invocation {
  let json = false;
  let help = false;
  let version = false;
  let events: string | null = null;
  let maxLine: number | null = null;
  const operands: string[] = [];
  let optionsEnded = false;

  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] ?? '';
    if (optionsEnded || arg === '-' || !arg.startsWith('-')) {
      operands.push(arg);
    } else if (arg === '--') {
      optionsEnded = true;
    } else if (arg === '--json') {
      json = true;
    } else if (arg === '-h' || arg === '--help') {
      help = true;
    } else if (arg === '--version') {
      version = true;
    } else if (arg === '--events' || arg.startsWith('--events=')) {
      if (events !== null) throw new UsageError('--events is given twice');
      const value = arg === '--events' ? argv[++i] : arg.slice('--events='.length);
      if (value === undefined || value === '')
        throw new UsageError('--events needs a file (OUT, or - for standard output)');
      events = value;
    } else if (arg === '--max-line-bytes' || arg.startsWith('--max-line-bytes=')) {
      if (maxLine !== null) throw new UsageError('--max-line-bytes is given twice');
      const value = arg === '--max-line-bytes' ? argv[++i] : arg.slice('--max-line-bytes='.length);
      maxLine = parseSize(value);
    } else {
      throw new UsageError(`unknown option ${excerpt(arg)}`);
    }
  }

  if (help) return { verb: 'help' };
  if (version) return { verb: 'version' };
  const [verb, ...files] = operands;
  if (verb === undefined) throw new UsageError('a command is missing (demo, replay or run)');
  if (!isVerb(verb)) throw new UsageError(`unknown command ${excerpt(verb)}`);
  if (verb === 'help') return { verb: 'help' };
  if (events !== null && verb === 'replay')
    throw new UsageError(`--events belongs to run and demo, not ${verb}`);
  if (events === '-' && json)
    throw new UsageError(
      '--events - writes the events to standard output: it cannot be combined with --json',
    );
  if (maxLine !== null && verb === 'demo')
    throw new UsageError('--max-line-bytes belongs to replay and run, not demo');
  const limit = maxLine === null ? {} : { maxLineBytes: maxLine };
  if (verb === 'demo') {
    if (files.length > 0)
      throw new UsageError(`demo takes no FILE (got ${excerpt(files.join(' '))})`);
    return { verb, json, events };
  }
  const [file, ...extra] = files;
  if (file === undefined) throw new UsageError(`${verb} needs a FILE (- for standard input)`);
  if (extra.length > 0)
    throw new UsageError(`${verb} takes one FILE (got ${excerpt(files.join(' '))})`);
  if (verb === 'replay') return { verb, file, json, ...limit };
  return { verb, file, json, events, ...limit };
}
