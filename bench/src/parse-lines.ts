/*
 * The limit of a streaming replay: read an NDJSON file in chunks, split it into lines and
 * JSON.parse each line, nothing else. Prints `{"events": n, "seconds": s}`.
 */
import { createReadStream } from 'node:fs';

async function main(file: string): Promise<void> {
  const t0 = process.hrtime.bigint();
  let events = 0;
  let rest = '';
  let sink: unknown;
  for await (const chunk of createReadStream(file, { encoding: 'utf8', highWaterMark: 1 << 16 })) {
    const text = rest + (chunk as string);
    let start = 0;
    let nl = text.indexOf('\n', start);
    while (nl !== -1) {
      if (nl > start) {
        sink = JSON.parse(text.slice(start, nl));
        events += 1;
      }
      start = nl + 1;
      nl = text.indexOf('\n', start);
    }
    rest = text.slice(start);
  }
  if (rest.length > 0) {
    sink = JSON.parse(rest);
    events += 1;
  }
  const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
  process.stdout.write(JSON.stringify({ events, seconds, last: typeof sink }) + '\n');
}

void main(process.argv[2] ?? '-');
