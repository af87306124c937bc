/*
 * The bench's data sets, generated once (deterministically) and cached in `.bench-tmp/`.
 *   - realistic: N jobs, one JSON array of events per line.
 *   - long: one job's events, one event per line (NDJSON, the CLI's input format).
 */
import {
  createReadStream,
  createWriteStream,
  existsSync,
  mkdirSync,
  readdirSync,
  renameSync,
} from 'node:fs';
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import path from 'node:path';
import type { JobEvent } from 'milestone-escrow';
import {
  GENERATOR_VERSION,
  jobsOfLength,
  longJob,
  realisticJobs,
  sizedJobParams,
} from './generate.js';
import { LONG_JOB, type WalkParams } from './walk-params.js';

export const TMP = path.resolve(process.cwd(), '.bench-tmp');
const SEED_REALISTIC = 20_241_103;
const SEED_LONG = 20_141_124;

function log(message: string): void {
  process.stderr.write(`[data] ${message}\n`);
}

async function writeLines(file: string, lines: Iterable<string>): Promise<void> {
  mkdirSync(path.dirname(file), { recursive: true });
  const partial = `${file}.partial`;
  const out = createWriteStream(partial);
  let chunk = '';
  for (const line of lines) {
    chunk += line + '\n';
    if (chunk.length > 1 << 20) {
      if (!out.write(chunk)) await once(out, 'drain');
      chunk = '';
    }
  }
  out.end(chunk);
  await once(out, 'finish');
  renameSync(partial, file);
}

async function* readLines(file: string): AsyncGenerator<string> {
  const rl = createInterface({
    input: createReadStream(file, { highWaterMark: 1 << 20 }),
    crlfDelay: Infinity,
  });
  for await (const line of rl) if (line.length > 0) yield line;
}

function realisticName(count: number): string {
  return path.join(
    TMP,
    `realistic-g${String(GENERATOR_VERSION)}-s${String(SEED_REALISTIC)}-${String(count)}.ndjson`,
  );
}

/**
 * The realistic jobs file (generating it first if needed): at least `count` jobs. The walk is
 * sequential, so the first `count` jobs of a larger file are the same jobs.
 */
export async function realisticFile(count: number): Promise<string> {
  const prefix = path.basename(realisticName(0)).replace(/0\.ndjson$/, '');
  const cached = existsSync(TMP)
    ? readdirSync(TMP)
        .filter((f) => f.startsWith(prefix) && f.endsWith('.ndjson'))
        .map((f) => Number(f.slice(prefix.length, -'.ndjson'.length)))
        .filter((k) => Number.isSafeInteger(k) && k >= count)
        .sort((a, b) => a - b)
    : [];
  if (cached[0] !== undefined) return realisticName(cached[0]);
  const file = realisticName(count);
  if (!existsSync(file)) {
    log(
      `generating ${String(count)} realistic jobs by deciding commands (cached in ${path.relative(process.cwd(), file)})…`,
    );
    const t = performance.now();
    let events = 0;
    await writeLines(
      file,
      (function* () {
        for (const job of realisticJobs(count, SEED_REALISTIC)) {
          events += job.length;
          yield JSON.stringify(job);
        }
      })(),
    );
    log(`  ${String(events)} events in ${((performance.now() - t) / 1000).toFixed(1)} s`);
  }
  return file;
}

/** `count` realistic jobs, each an array of events. */
export async function loadRealistic(count: number): Promise<JobEvent[][]> {
  const file = await realisticFile(count);
  const jobs: JobEvent[][] = [];
  for await (const line of readLines(file)) {
    jobs.push(JSON.parse(line) as JobEvent[]);
    if (jobs.length === count) break;
  }
  return jobs;
}

async function jobFile(
  name: string,
  events: number,
  params: WalkParams,
  what: string,
): Promise<string> {
  const file = path.join(
    TMP,
    `${name}-g${String(GENERATOR_VERSION)}-s${String(SEED_LONG)}-${String(events)}.ndjson`,
  );
  if (!existsSync(file)) {
    log(
      `generating ${what} (${String(events)} events) by deciding commands (cached in ${path.relative(process.cwd(), file)})…`,
    );
    const t = performance.now();
    const lines: string[] = [];
    // Held in memory as strings (a few hundred MB at most), written at the end.
    const result = longJob(events, SEED_LONG, (e) => lines.push(JSON.stringify(e)), params);
    await writeLines(file, lines);
    log(
      `  ${String(result.count)} events in ${((performance.now() - t) / 1000).toFixed(1)} s (${String(result.rejected)} commands rejected on the way)`,
    );
  }
  return file;
}

/** The long job's NDJSON file (generating it first if needed): at least `events` events. */
export function longFile(events: number): Promise<string> {
  return jobFile('long', events, LONG_JOB, 'the long job of 10,000 milestones');
}

/** A job of exactly `milestones` milestones and at least `events` events. */
export async function loadSized(milestones: number, events: number): Promise<JobEvent[]> {
  const file = await jobFile(
    `sized-${String(milestones)}`,
    events,
    sizedJobParams(milestones),
    `a job of ${String(milestones)} milestones`,
  );
  const out: JobEvent[] = [];
  for await (const line of readLines(file)) out.push(JSON.parse(line) as JobEvent);
  return out;
}

/** The first `events` events of the long job (whole decisions), as NDJSON text: one string, cheap to hold. */
export async function loadLongPrefixText(events: number, fileEvents: number): Promise<string> {
  return (await loadLongPrefix(events, fileEvents)).map((e) => JSON.stringify(e)).join('\n');
}

/** Parses NDJSON text back into events. */
export function parseNdjson(text: string): JobEvent[] {
  return text.split('\n').map((line) => JSON.parse(line) as JobEvent);
}

/**
 * The first `events` events of the long job (plus the rest of the last decision, so the prefix
 * is a whole, legal history: a decision's events share their `at`).
 */
export async function loadLongPrefix(events: number, fileEvents: number): Promise<JobEvent[]> {
  const file = await longFile(fileEvents);
  const out: JobEvent[] = [];
  let lastAt = '';
  for await (const line of readLines(file)) {
    const event = JSON.parse(line) as JobEvent;
    if (out.length >= events && event.data.at !== lastAt) break;
    out.push(event);
    lastAt = event.data.at;
  }
  return out;
}

/** `count` jobs of exactly `length` events, each with a milestone left to fund: one JSON array per string. */
export async function loadJobsOfLength(length: number, count: number): Promise<string[]> {
  const file = path.join(
    TMP,
    `length-${String(length)}-g${String(GENERATOR_VERSION)}-s${String(SEED_REALISTIC)}-${String(count)}.ndjson`,
  );
  if (!existsSync(file)) {
    log(
      `generating ${String(count)} jobs of ${String(length)} events (cached in ${path.relative(process.cwd(), file)})…`,
    );
    await writeLines(
      file,
      (function* () {
        for (const job of jobsOfLength(length, count, SEED_REALISTIC + length))
          yield JSON.stringify(job);
      })(),
    );
  }
  const jobs: string[] = [];
  for await (const line of readLines(file)) jobs.push(line);
  return jobs;
}
