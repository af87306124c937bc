#!/usr/bin/env node
// The `milestone-escrow` bin: runCli wired to the real process (see docs/cli.md).
import { setFlagsFromString } from 'node:v8';
import { runCli } from './cli.js';
import { isInstance, thrownText } from '../domain/shared/parse.js';

// A replay keeps only the job's state, but the proposals it passes through (a 10,000-milestone
// proposal is a 1.5 MB line) outlive the young generation and pile up as garbage: V8 let the old
// generation grow to about four times the live state before collecting it. Growing it by 30 %
// at a time keeps the peak near the state (1,000,000 events: 190 instead of 245 MiB) for about
// 8 % more time (bench/RESULTS.md). Only this process is tuned, never a program using the library.
setFlagsFromString('--heap-growing-percent=30');

/** EX_SOFTWARE: the program broke, not the input (a bug to report). */
const INTERNAL_ERROR = 70;

// A reader that stops early (`milestone-escrow demo | head`) is no error of ours.
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code === 'EPIPE') process.exit(process.exitCode ?? 0);
  process.stderr.write(`milestone-escrow: cannot write standard output: ${error.message}\n`);
  process.exit(2);
});

try {
  process.exitCode = await runCli(process.argv.slice(2), {
    stdin: process.stdin,
    stdout: process.stdout,
    stderr: process.stderr,
  });
} catch (error) {
  // Never a second throw here: `String()` of an object without a prototype, or whose toString
  // throws, throws, and `instanceof` of a revoked proxy does.
  const detail = isInstance(error, Error) ? (error.stack ?? error.message) : thrownText(error);
  process.stderr.write(`milestone-escrow: internal error (please report it): ${detail}\n`);
  process.exitCode = INTERNAL_ERROR;
}
