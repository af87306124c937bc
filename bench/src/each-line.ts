import { createReadStream } from 'node:fs';

/*
 * How the parse limit and the floor of a replay read an NDJSON file: in 64 KiB chunks, cut into
 * lines, each non-empty line handed to `onLine`. One reader for both, so that the floor differs
 * from the limit only in what it does with a line.
 */
export async function eachLine(file: string, onLine: (line: string) => void): Promise<void> {
  // The pieces of a line that spans chunks, joined once its end arrives (as the CLI does: a
  // 1.5 MB line must not be searched again with every chunk).
  let pending: string[] = [];
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
      if (line.length > 0) onLine(line);
      start = nl + 1;
      nl = text.indexOf('\n', start);
    }
    if (start < text.length) pending.push(text.slice(start));
  }
  if (pending.length > 0) onLine(pending.join(''));
}
