#!/usr/bin/env node
// The `milestone-escrow` bin: runCli wired to the real process (see docs/cli.md).
import { runCli } from './cli.js';

/** EX_SOFTWARE: the program broke, not the input (a bug to report). */
const INTERNAL_ERROR = 70;

// A reader that stops early (`milestone-escrow demo | head`) is no error of ours.
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code === 'EPIPE') process.exit(process.exitCode ?? 0);
  process.stderr.write(`milestone-escrow: cannot write standard output: ${error.message}\n`);
  process.exit(2);
});

try {
  process.exitCode = await runCli(process.argv.slice(2), { stdin: process.stdin, stdout: process.stdout, stderr: process.stderr });
} catch (error) {
  const detail = error instanceof Error ? (error.stack ?? error.message) : String(error);
  process.stderr.write(`milestone-escrow: internal error (please report it): ${detail}\n`);
  process.exitCode = INTERNAL_ERROR;
}
