// Replays an NDJSON history with the library's streaming fold (verify: every rule checked) and
// prints the summary with the process's peak RSS. Usage: node replay-child.mjs FILE
import { createReadStream } from 'node:fs';
import { readNdjson, replay, summarize } from '../../dist/index.js';

const started = performance.now();
const { state, position } = await replay(readNdjson(createReadStream(process.argv[2])), {
  verify: true,
});
const ms = performance.now() - started;
process.stdout.write(
  JSON.stringify({
    position,
    summary: summarize(state),
    ms,
    maxRssKiB: process.resourceUsage().maxRSS,
  }) + '\n',
);
