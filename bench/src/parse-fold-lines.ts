/*
 * The floor of a checked replay in one thread: read an NDJSON file's lines as the parse limit
 * does, JSON.parse each and fold it with the hand-written mutable loop (bench/src/baselines.ts),
 * nothing else: no validation, no rule checked, nothing frozen. Prints `{"events": n, "seconds": s}`.
 */
import type { JobEvent } from 'milestone-escrow';
import { mutableFold } from './baselines.js';
import { mutableInitial } from './mutable-state.js';
import { eachLine } from './each-line.js';

async function main(file: string): Promise<void> {
  const t0 = process.hrtime.bigint();
  let events = 0;
  const state = mutableInitial();
  const one: JobEvent[] = [];
  await eachLine(file, (line) => {
    one[0] = JSON.parse(line) as JobEvent;
    mutableFold(one, state);
    events += 1;
  });
  const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
  process.stdout.write(JSON.stringify({ events, seconds, version: state.version }) + '\n');
}

void main(process.argv[2] ?? '-');
