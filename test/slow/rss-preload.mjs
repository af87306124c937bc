// Preloaded with `node --import` into a process under measurement: at exit, writes the process's
// peak resident set size (KiB, from the kernel via process.resourceUsage) to $RSS_REPORT.
import { writeFileSync } from 'node:fs';

const report = process.env.RSS_REPORT;
process.on('exit', () => {
  if (report) writeFileSync(report, String(process.resourceUsage().maxRSS));
});
