/*
 * One racer of test/postgres/race.test.ts, run as its own Node process (`node --import tsx`),
 * with its own connections. It waits for `go` on stdin so that both racers start together, then:
 * 1. raw appends: `rounds` times, reads the version of a shared stream and appends one event with
 *    that expected version, re-reading after each CONCURRENCY_CONFLICT until it lands;
 * 2. commands: as the client of one job, funds then releases every milestone, through a command
 *    handler that re-reads and re-decides after a conflict.
 * It prints one JSON line with what it saw.
 */
import { createInterface } from 'node:readline';
import { decide, fold } from '../../src/domain/decider.js';
import type { JobCommandInput } from '../../src/domain/commands.js';
import type { JobEvent } from '../../src/domain/events.js';
import { isDomainError } from '../../src/domain/shared/errors.js';
import { createPostgresEventStore } from '../../src/postgres/index.js';

export interface RaceConfig {
  readonly url: string;
  readonly schema: string;
  readonly worker: string;
  readonly rawStream: string;
  readonly rounds: number;
  readonly jobStream: string;
  readonly client: string;
  readonly milestones: readonly string[];
}

export interface RaceReport {
  readonly worker: string;
  /** Raw appends: the stream position each of this racer's events landed at, and the conflicts on the way. */
  readonly raw: { readonly positions: number[]; readonly conflicts: number };
  /** Commands, in order: `ok` or the error code the racer finally got, and how often it decided. */
  readonly commands: { readonly command: string; readonly milestoneId: string; readonly outcome: string; readonly attempts: number }[];
}

const config = JSON.parse(process.env['RACE_CONFIG'] ?? '{}') as RaceConfig;
const store = createPostgresEventStore({ connectionString: config.url, schema: config.schema });

/** Load, decide, append with the expected version; after a conflict, again (at most 10 times). */
async function handle(command: JobCommandInput): Promise<{ outcome: string; attempts: number }> {
  for (let attempt = 1; ; attempt++) {
    const events: JobEvent[] = [];
    for await (const e of store.readStream(config.jobStream)) events.push({ type: e.type, data: e.data } as JobEvent);
    try {
      const decided = decide(command, fold(events));
      await store.appendToStream(config.jobStream, decided, { expectedVersion: events.length });
      return { outcome: 'ok', attempts: attempt };
    } catch (error) {
      if (!isDomainError(error)) throw error;
      if (error.code !== 'CONCURRENCY_CONFLICT' || attempt === 10) return { outcome: error.code, attempts: attempt };
    }
  }
}

async function race(): Promise<RaceReport> {
  const positions: number[] = [];
  let conflicts = 0;
  for (let round = 0; round < config.rounds; round++) {
    for (;;) {
      const version = await store.streamVersion(config.rawStream);
      try {
        const { nextExpectedVersion } = await store.appendToStream(
          config.rawStream,
          [{ type: 'Raced', data: { worker: config.worker, round } }],
          { expectedVersion: version },
        );
        positions.push(nextExpectedVersion);
        break;
      } catch (error) {
        if (!isDomainError(error) || error.code !== 'CONCURRENCY_CONFLICT') throw error;
        conflicts++;
      }
    }
  }

  const commands: RaceReport['commands'] = [];
  let at = Date.parse('2014-11-04T09:00:00Z');
  for (const milestoneId of config.milestones) {
    const fund = await handle({
      type: 'FundMilestone',
      actor: config.client,
      at: new Date((at += 1000)).toISOString(),
      data: { milestoneId, fundingId: `${config.worker}-${milestoneId}`, source: `card:${config.worker}` },
    });
    commands.push({ command: 'FundMilestone', milestoneId, ...fund });
    const release = await handle({ type: 'ReleaseFunds', actor: config.client, at: new Date((at += 1000)).toISOString(), data: { milestoneId } });
    commands.push({ command: 'ReleaseFunds', milestoneId, ...release });
  }
  return { worker: config.worker, raw: { positions, conflicts }, commands };
}

async function main(): Promise<void> {
  await store.streamVersion(config.rawStream); // connected
  process.stdout.write('ready\n');
  const lines = createInterface({ input: process.stdin });
  for await (const line of lines) if (line.trim() === 'go') break;
  lines.close();
  const report = await race();
  process.stdout.write(`${JSON.stringify(report)}\n`);
  await store.close();
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exitCode = 1;
});
