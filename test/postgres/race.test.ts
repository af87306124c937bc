import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decide, fold } from '../../src/domain/decider.js';
import type { JobCommandInput } from '../../src/domain/commands.js';
import type { JobEvent } from '../../src/domain/events.js';
import { verifyHistory } from '../../src/domain/history.js';
import { invariantViolations } from '../../src/domain/invariants.js';
import { summarize } from '../../src/projections/summary.js';
import { SEED_CAST } from '../../src/testing/seed.js';
import type { PostgresEventStore } from '../../src/postgres/index.js';
import type { RecordedEvent } from '../../src/store/port.js';
import { DATABASE_URL, openTestDatabase, skipPostgres, type TestDatabase } from './database.js';
import type { RaceConfig, RaceReport } from './race-worker.js';

/*
 * Two Node processes, each with its own connections to the same database, race on the same
 * streams: raw appends with expected versions, then the same commands on the same job (fund and
 * release every milestone). No lost update, no double release; each loser gets
 * CONCURRENCY_CONFLICT or, after re-deciding, its retry's correct result.
 */

const workerPath = fileURLToPath(new URL('./race-worker.ts', import.meta.url));
const MILESTONES = Array.from({ length: 12 }, (_, i) => `m${String(i + 1)}`);
const ROUNDS = 40;

interface Racer {
  readonly ready: Promise<void>;
  readonly done: Promise<void>;
  go(): void;
  close(): void;
  readonly report: Promise<RaceReport>;
}

function startRacer(config: RaceConfig): Racer {
  const child = spawn(process.execPath, ['--import', 'tsx', workerPath], {
    env: { ...process.env, RACE_CONFIG: JSON.stringify(config) },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const lines = createInterface({ input: child.stdout });
  let onReady: () => void = () => {};
  let onDone: () => void = () => {};
  const ready = new Promise<void>((resolve) => (onReady = resolve));
  const done = new Promise<void>((resolve) => (onDone = resolve));
  let last = '';
  lines.on('line', (line) => {
    if (line === 'ready') onReady();
    else if (line === 'done') onDone();
    else last = line;
  });
  const report = new Promise<RaceReport>((resolve, reject) => {
    child.on('close', (code) => {
      if (code === 0 && last !== '') resolve(JSON.parse(last) as RaceReport);
      else reject(new Error(`racer ${config.worker} exited ${String(code)}: ${stderr}`));
    });
  });
  const orExit = (p: Promise<void>) => Promise.race([p, report.then(() => undefined)]);
  return {
    ready: orExit(ready),
    done: orExit(done),
    go: () => child.stdin.write('go\n'),
    close: () => child.stdin.end('close\n'),
    report,
  };
}

async function readJob(store: PostgresEventStore, streamId: string): Promise<JobEvent[]> {
  const events: JobEvent[] = [];
  for await (const e of store.readStream(streamId))
    events.push({ type: e.type, data: e.data } as JobEvent);
  return events;
}

describe.skipIf(skipPostgres)('PostgreSQL: two processes racing on the same job', () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await openTestDatabase('race');
  });
  afterAll(async () => {
    await (db as TestDatabase | undefined)?.drop(); // unset when the set-up failed
  });

  it('no lost update, no double release; every loser conflicts or gets its retry’s correct result', async () => {
    const store = db.store();
    const jobId = 'race';
    const jobStream = `job-${jobId}`;
    // The job, with terms of twelve $100 milestones, accepted.
    const setup: JobCommandInput[] = [
      {
        type: 'AwardJob',
        actor: SEED_CAST.client,
        at: '2014-11-03T09:00:00Z',
        data: {
          jobId: 'race',
          title: 'Race',
          clientId: SEED_CAST.client,
          freelancerId: SEED_CAST.freelancer,
          currency: 'USD',
        },
      },
      {
        type: 'ProposeTerms',
        actor: SEED_CAST.client,
        at: '2014-11-03T10:00:00Z',
        data: {
          proposalId: 'p1',
          milestones: MILESTONES.map((milestoneId) => ({
            milestoneId,
            title: `Milestone ${milestoneId}`,
            dueDate: '2014-11-30',
            amount: 10000,
          })),
        },
      },
      {
        type: 'AcceptTerms',
        actor: SEED_CAST.freelancer,
        at: '2014-11-03T11:00:00Z',
        data: { proposalId: 'p1' },
      },
    ];
    for (const command of setup) {
      const history = await readJob(store, jobStream);
      await store.appendToStream(jobStream, decide(command, fold(history)), {
        expectedVersion: history.length,
      });
    }
    const before = (await readJob(store, jobStream)).length;

    const racers = ['A', 'B'].map((worker) =>
      startRacer({
        url: DATABASE_URL,
        schema: db.schema,
        worker,
        rawStream: 'raw-race',
        rounds: ROUNDS,
        jobId,
        client: SEED_CAST.client,
        milestones: MILESTONES,
      }),
    );
    await Promise.all(racers.map((r) => r.ready));
    for (const r of racers) r.go();
    await Promise.all(racers.map((r) => r.done));
    for (const r of racers) r.close();
    const reports = await Promise.all(racers.map((r) => r.report));

    // 1. Raw appends: every append a racer was told landed is there, with its content.
    const raw: RecordedEvent[] = [];
    for await (const e of store.readStream('raw-race')) raw.push(e);
    expect(raw).toHaveLength(2 * ROUNDS);
    for (const report of reports) {
      expect(report.raw.positions).toHaveLength(ROUNDS);
      report.raw.positions.forEach((position, round) =>
        expect(raw[position - 1]?.data).toEqual({ worker: report.worker, round }),
      );
    }

    // 2. Commands: the job's history is legal, and each milestone was funded once and released once.
    const history = await readJob(store, jobStream);
    const state = verifyHistory(history);
    expect(invariantViolations(state)).toEqual([]);
    const raced = history.slice(before);
    for (const m of MILESTONES) {
      const funded = raced.filter((e) => e.type === 'MilestoneFunded' && e.data.milestoneId === m);
      const released = raced.filter((e) => e.type === 'FundsReleased' && e.data.milestoneId === m);
      expect(funded, `${m} funded once`).toHaveLength(1);
      expect(released, `${m} released once`).toHaveLength(1);
      // Exactly one racer was told its command succeeded, and it is the one whose event is there.
      for (const command of ['FundMilestone', 'ReleaseFunds']) {
        const outcomes = reports.map(
          (r) => r.commands.find((c) => c.command === command && c.milestoneId === m)?.outcome,
        );
        expect(
          outcomes.filter((o) => o === 'ok'),
          `${command} ${m}: ${String(outcomes)}`,
        ).toHaveLength(1);
        for (const o of outcomes)
          expect(['ok', 'NOTHING_TO_FUND', 'ALREADY_RELEASED', 'CONCURRENCY_CONFLICT']).toContain(
            o,
          );
      }
      const winner = reports.find((r) =>
        r.commands.some(
          (c) => c.command === 'FundMilestone' && c.milestoneId === m && c.outcome === 'ok',
        ),
      );
      expect(funded[0]?.type === 'MilestoneFunded' && funded[0].data.fundingId).toBe(
        `${winner?.worker ?? '?'}-${m}`,
      );
    }
    const summary = summarize(state);
    expect(summary.totals).toEqual({
      contract: 120000,
      funded: 120000,
      held: 0,
      released: 120000,
      refunded: 0,
      fees: 0,
    });

    // 3. The same CloseJob under one idempotency key from both: closed once, both told so.
    expect(raced.filter((e) => e.type === 'JobClosed')).toHaveLength(1);
    expect(history.at(-1)?.type).toBe('JobClosed');
    expect(summary.status).toBe('closed');
    expect(reports.map((r) => r.close.outcome)).toEqual(['ok', 'ok']);
    expect(reports.map((r) => r.close.replayed).sort()).toEqual([false, true]);
    expect(reports.map((r) => r.close.version)).toEqual([history.length, history.length]);

    const conflicts = reports.reduce(
      (n, r) => n + r.raw.conflicts + r.commands.reduce((k, c) => k + c.attempts - 1, 0),
      0,
    );
    console.info(`race: ${String(conflicts)} conflicts re-decided across both processes`);
  });
});
