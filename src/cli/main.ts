#!/usr/bin/env node
// Placeholder entry until the CLI lands (issue 2): prints usage.
process.stderr.write('usage: milestone-escrow demo | replay FILE | run FILE [--events OUT] [--json]\n');
process.exitCode = 2;
