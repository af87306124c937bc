/*
 * Preloaded (`node --import`) into the processes the replay workload spawns: at exit, writes the
 * process's peak resident set size (`process.resourceUsage().maxRSS`, in KiB) to stderr.
 */
import { writeSync } from 'node:fs';

process.on('exit', () => {
  writeSync(2, `\n@@bench maxRSS ${String(process.resourceUsage().maxRSS)}\n`);
});
