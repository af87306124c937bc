/*
 * npm run bench:profile -- WORKLOAD   profiles the library's side of one workload and prints its
 * top frames (self and inclusive time); the full .cpuprofile is kept in .bench-tmp/profiles/ for
 * Chrome DevTools or speedscope. WORKLOAD is one of:
 *   fold.realistic  fold.long  fold.sized-N (N = 10, 100, 1000, 10000 milestones)
 *   validation.realistic  validation.long  replay  handle.small  handle.long (no cache)  handle.long-cached
 */
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';
import path from 'node:path';
import type { JobEvent } from 'milestone-escrow';
import { loadLongPrefix, loadRealistic, loadSized, longFile, TMP } from './data.js';
import { summarize, type CpuProfile } from './profile-summary.js';
import { checkedReplay, freezeEvents, libraryFold } from './workloads/fold.js';
import { CLI, runProcess } from './workloads/replay.js';
import { profileHandle } from './workloads/handle.js';

const workload = process.argv[2] ?? '';
const seconds = Number(process.argv[3] ?? 8);
const out = path.join(TMP, 'profiles');

/** Profiles `run` for `seconds` (or until it returns false). */
async function profileInProcess(run: () => unknown): Promise<void> {
  await run(); // warm-up
  const session = new Session();
  session.connect();
  await session.post('Profiler.enable');
  await session.post('Profiler.setSamplingInterval', { interval: 200 });
  await session.post('Profiler.start');
  const until = performance.now() + seconds * 1000;
  let rounds = 0;
  while (performance.now() < until) {
    if ((await run()) === false) break;
    rounds += 1;
  }
  const { profile } = await session.post('Profiler.stop');
  session.disconnect();
  mkdirSync(out, { recursive: true });
  const file = path.join(out, `${workload}.cpuprofile`);
  writeFileSync(file, JSON.stringify(profile));
  process.stdout.write(
    `${workload}: ${String(rounds)} runs in ${String(seconds)} s; profile in ${path.relative(process.cwd(), file)}\n${summarize(profile as CpuProfile)}\n`,
  );
}

async function main(): Promise<void> {
  switch (workload) {
    case 'fold.realistic':
      return profileInProcess(libraryFold(freezeEvents(await loadRealistic(10_000))).run);
    case 'fold.long':
      return profileInProcess(
        libraryFold([freezeEvents(await loadLongPrefix(200_000, 1_000_000))]).run,
      );
    case 'fold.sized-10':
    case 'fold.sized-100':
    case 'fold.sized-1000':
    case 'fold.sized-10000':
      return profileInProcess(
        libraryFold([
          freezeEvents(await loadSized(Number(workload.slice('fold.sized-'.length)), 20_000)),
        ]).run,
      );
    case 'validation.realistic':
      return profileInProcess(checkedReplay(freezeEvents(await loadRealistic(10_000))).run);
    case 'validation.long':
      return profileInProcess(
        checkedReplay([freezeEvents(await loadLongPrefix(200_000, 1_000_000))] as JobEvent[][]).run,
      );
    case 'handle.small':
    case 'handle.long':
    case 'handle.long-cached':
      return profileInProcess(
        await profileHandle(workload.slice('handle.'.length) as 'small' | 'long' | 'long-cached'),
      );
    case 'replay': {
      const file = await longFile(1_000_000);
      const dir = path.join(out, 'replay');
      mkdirSync(dir, { recursive: true });
      for (const f of readdirSync(dir))
        if (f.endsWith('.cpuprofile')) writeFileSync(path.join(dir, f), '');
      const run = await runProcess([
        '--cpu-prof',
        '--cpu-prof-dir',
        dir,
        '--cpu-prof-interval',
        '500',
        CLI,
        'replay',
        file,
      ]);
      const profiles = readdirSync(dir).filter((f) => f.endsWith('.cpuprofile'));
      const main = profiles
        .map((f) => path.join(dir, f))
        .find(
          (f) => readFileSync(f, 'utf8').length > 0 && readFileSync(f, 'utf8').includes('cli.js'),
        );
      if (main === undefined) throw new Error('no profile of the CLI was written');
      process.stdout.write(
        `replay: ${run.seconds.toFixed(2)} s; profile in ${path.relative(process.cwd(), main)}\n${summarize(JSON.parse(readFileSync(main, 'utf8')) as CpuProfile)}\n`,
      );
      return;
    }
    default:
      process.stderr.write(
        'usage: npm run bench:profile -- fold.realistic|fold.long|fold.sized-N|validation.realistic|validation.long|replay|handle.small|handle.long|handle.long-cached [seconds]\n',
      );
      process.exitCode = 2;
  }
}

void main();
