/*
 * One racer of test/postgres/race.test.ts, run as its own Node process (`node --import tsx`),
 * with its own connections. It waits for `go` on stdin so that both racers start together, then:
 * 1. raw appends: `rounds` times, reads the version of a shared stream and appends one event with
 *    that expected version, re-reading after each CONCURRENCY_CONFLICT until it lands;
 * 2. commands: as the client of one job, funds then releases every milestone, through the
 *    command handler (PostgreSQL events and snapshots), which re-reads and re-decides after a
 *    conflict; then says `done` and waits for `close`;
 * 3. closes the job with an idempotency key both racers share: one closes it, the other gets the
 *    first result back.
 * It prints one JSON line with what it saw.
 */
import { createInterface } from 'node:readline';
import type { JobCommandInput } from '../../src/domain/commands.js';
import { isDomainError } from '../../src/domain/shared/errors.js';
import { createCommandHandler } from '../../src/handler/command-handler.js';
import { createPostgresEventStore, createPostgresSnapshotStore } from '../../src/postgres/index.js';

export interface RaceConfig {
  readonly url: string;
  readonly schema: string;
  readonly worker: string;
  readonly rawStream: string;
  readonly rounds: number;
  readonly jobId: string;
  readonly client: string;
  readonly milestones: readonly string[];
}

export interface RaceReport {
  readonly worker: string;
  /** Raw appends: the stream position each of this racer's events landed at, and the conflicts on the way. */
  readonly raw: { readonly positions: number[]; readonly conflicts: number };
  /** Commands, in order: `ok` or the error code the racer finally got, and how often it decided. */
  readonly commands: {
    readonly command: string;
    readonly milestoneId: string;
    readonly outcome: string;
    readonly attempts: number;
  }[];
  /** The shared-key CloseJob: `ok` or a code, and whether the handler returned the first result. */
  readonly close: {
    readonly outcome: string;
    readonly replayed: boolean;
    readonly version: number;
  };
}

const config = JSON.parse(process.env['RACE_CONFIG'] ?? '{}') as RaceConfig;
const store = createPostgresEventStore({ connectionString: config.url, schema: config.schema });
const snapshots = createPostgresSnapshotStore({
  connectionString: config.url,
  schema: config.schema,
});
const handler = createCommandHandler({
  store,
  snapshots,
  snapshotEvery: 5,
  maxRetries: 10,
  retryDelayMs: (attempt) => Math.random() * 2 * attempt,
});

const lines: string[] = [];
const waiting: Array<() => void> = [];
createInterface({ input: process.stdin }).on('line', (line) => {
  lines.push(line.trim());
  waiting.splice(0).forEach((wake) => wake());
});
async function waitFor(word: string): Promise<void> {
  while (!lines.includes(word)) await new Promise<void>((resolve) => waiting.push(resolve));
}

async function handle(command: JobCommandInput): Promise<{ outcome: string; attempts: number }> {
  try {
    const result = await handler.handle(config.jobId, command);
    return { outcome: 'ok', attempts: result.attempts };
  } catch (error) {
    if (!isDomainError(error)) throw error;
    return { outcome: error.code, attempts: 0 };
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
  // One instant for every racing command: a command re-decided after another worker's event must
  // not be earlier than it (spec §7: time does not run backwards).
  const at = '2014-11-04T09:00:00Z';
  for (const milestoneId of config.milestones) {
    const fund = await handle({
      type: 'FundMilestone',
      actor: config.client,
      at,
      data: {
        milestoneId,
        fundingId: `${config.worker}-${milestoneId}`,
        source: `card:${config.worker}`,
      },
    });
    commands.push({ command: 'FundMilestone', milestoneId, ...fund });
    const release = await handle({
      type: 'ReleaseFunds',
      actor: config.client,
      at,
      data: { milestoneId },
    });
    commands.push({ command: 'ReleaseFunds', milestoneId, ...release });
  }
  process.stdout.write('done\n');
  await waitFor('close');
  let close: RaceReport['close'];
  try {
    const result = await handler.handle(
      config.jobId,
      {
        type: 'CloseJob',
        actor: config.client,
        at: '2014-12-01T09:00:00Z',
        data: { reason: 'all paid' },
      },
      { idempotencyKey: 'close-once' },
    );
    close = { outcome: 'ok', replayed: result.replayed, version: result.version };
  } catch (error) {
    if (!isDomainError(error)) throw error;
    close = { outcome: error.code, replayed: false, version: 0 };
  }
  return { worker: config.worker, raw: { positions, conflicts }, commands, close };
}

async function main(): Promise<void> {
  await store.streamVersion(config.rawStream); // connected
  process.stdout.write('ready\n');
  await waitFor('go');
  const report = await race();
  process.stdout.write(`${JSON.stringify(report)}\n`);
  await Promise.all([store.close(), snapshots.close()]);
  process.stdin.destroy();
}

main().catch((error: unknown) => {
  process.stderr.write(
    `${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
  );
  process.exitCode = 1;
});
