/*
 * The limit of a streaming replay: read an NDJSON file in chunks, split it into lines and
 * JSON.parse each line, nothing else. Prints `{"events": n, "seconds": s}`.
 */
import { createReadStream } from 'node:fs';

async function main(file: string): Promise<void> {
  const t0 = process.hrtime.bigint();
  let events = 0;
  // The pieces of a line that spans chunks, joined once its end arrives (as the CLI does: a
  // 1.5 MB line must not be searched again with every chunk).
  let pending: string[] = [];
  let sink: unknown;
  for await (const chunk of createReadStream(file, { encoding: 'utf8', highWaterMark: 1 << 16 })) {
    const text = chunk as string;
    let start = 0;
    let nl = text.indexOf('\n', start);
    while (nl !== -1) {
      let line = text.slice(start, nl);
      if (pending.length > 0) {
        pending.push(line);
        line = pending.join('');
        pending = [];
      }
      if (line.length > 0) {
        sink = JSON.parse(line);
        events += 1;
      }
      start = nl + 1;
      nl = text.indexOf('\n', start);
    }
    if (start < text.length) pending.push(text.slice(start));
  }
  if (pending.length > 0) {
    sink = JSON.parse(pending.join(''));
    events += 1;
  }
  const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
  process.stdout.write(JSON.stringify({ events, seconds, last: typeof sink }) + '\n');
}

void main(process.argv[2] ?? '-');
