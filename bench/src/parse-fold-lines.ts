/*
 * The floor of a checked replay in one thread: read an NDJSON file's lines, JSON.parse each and
 * fold it with the hand-written mutable loop (bench/src/baselines.ts), nothing else: no
 * validation, no rule checked, nothing frozen. Prints `{"events": n, "seconds": s}`.
 */
import { createReadStream } from 'node:fs';
import type { JobEvent } from 'milestone-escrow';
import { mutableFold, mutableInitial } from './baselines.js';

async function main(file: string): Promise<void> {
  const t0 = process.hrtime.bigint();
  let events = 0;
  let pending: string[] = [];
  const state = mutableInitial();
  const one: JobEvent[] = [];
  const fold = (line: string): void => {
    one[0] = JSON.parse(line) as JobEvent;
    mutableFold(one, state);
    events += 1;
  };
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
      if (line.length > 0) fold(line);
      start = nl + 1;
      nl = text.indexOf('\n', start);
    }
    if (start < text.length) pending.push(text.slice(start));
  }
  if (pending.length > 0) fold(pending.join(''));
  const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
  process.stdout.write(JSON.stringify({ events, seconds, version: state.version }) + '\n');
}

void main(process.argv[2] ?? '-');
