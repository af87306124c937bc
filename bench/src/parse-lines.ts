/*
 * The limit of a streaming replay: read an NDJSON file in chunks, split it into lines and
 * JSON.parse each line, nothing else. Prints `{"events": n, "seconds": s}`.
 */
import { eachLine } from './each-line.js';

async function main(file: string): Promise<void> {
  const t0 = process.hrtime.bigint();
  let events = 0;
  let sink: unknown;
  await eachLine(file, (line) => {
    sink = JSON.parse(line);
    events += 1;
  });
  const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
  process.stdout.write(JSON.stringify({ events, seconds, last: typeof sink }) + '\n');
}

void main(process.argv[2] ?? '-');
