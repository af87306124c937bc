/*
 * Writes test/domain/v1-goldens.ndjson: part one's answer for a fixed corpus of v1 histories, made
 * once by the library as it was before part two (spec §7–§11) landed, so that a test can hold
 * today's library to it (test/domain/v1-summary.test.ts: "v1 histories fold to the same v1 summary
 * fields as before").
 *
 * It runs against a checkout of that library's sources, not this one's:
 *
 *   mkdir -p /tmp/v1 && git archive 9e92e78 src package.json | tar -x -C /tmp/v1 && ln -s "$PWD/node_modules" /tmp/v1/
 *   npx tsx scripts/v1-goldens.ts /tmp/v1 > test/domain/v1-goldens.ndjson
 *
 * (9e92e78 is main's last commit before part two's first.) Each line is one history: the seed
 * that wrote it, its events (written by that library's own script writer, valid commands of the
 * client and the freelancer only) and that library's `summarize` of their fold.
 */
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

/** How many histories, and the most steps of one. */
const COUNT = 40;
const MAX_STEPS = 36;

interface OldLibrary {
  fold(events: readonly unknown[]): unknown;
  summarize(state: unknown): unknown;
}
interface OldWriter {
  nextValid(seed: number): unknown;
  readonly events: readonly unknown[];
}
interface OldScript {
  ScriptWriter: new () => OldWriter;
}

/** mulberry32: the same step seeds on every run. */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const dir = process.argv[2];
if (dir === undefined) throw new Error('usage: tsx scripts/v1-goldens.ts DIR_OF_THE_OLD_SOURCES');
const load = (file: string): Promise<unknown> =>
  import(pathToFileURL(join(resolve(dir), file)).href);
const library = (await load('src/index.ts')) as OldLibrary;
const { ScriptWriter } = (await load('src/testing/script.ts')) as OldScript;

for (let seed = 1; seed <= COUNT; seed++) {
  const rnd = random(seed);
  const writer = new ScriptWriter();
  const steps = 4 + Math.floor(rnd() * (MAX_STEPS - 4));
  for (let step = 0; step < steps; step++)
    if (writer.nextValid(Math.floor(rnd() * 0x7fffffff)) === undefined) break;
  const events = writer.events;
  const summary = library.summarize(library.fold(events));
  process.stdout.write(`${JSON.stringify({ seed, events, summary })}\n`);
}
