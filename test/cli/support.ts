import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough, Readable } from 'node:stream';
import { afterAll } from 'vitest';
import { runCli } from '../../src/cli/cli.js';
import { logoDesignCommands, playDemo } from '../../src/cli/demo.js';

export interface Outcome {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

function collect(stream: PassThrough): () => string {
  const chunks: Buffer[] = [];
  stream.on('data', (chunk: Buffer) => chunks.push(chunk));
  return () => Buffer.concat(chunks).toString('utf8');
}

/** Runs the command line in this process, with `stdin` as standard input. */
export async function cli(argv: readonly string[], stdin = ''): Promise<Outcome> {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  const out = collect(stdout);
  const err = collect(stderr);
  const code = await runCli(argv, { stdin: Readable.from([stdin]), stdout, stderr });
  return { code, stdout: out(), stderr: err() };
}

/** A temporary directory for this test file, removed afterwards. */
export function tempDir(): (name: string, content?: string) => string {
  const dir = mkdtempSync(join(tmpdir(), 'milestone-escrow-cli-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  return (name, content) => {
    const path = join(dir, name);
    if (content !== undefined) writeFileSync(path, content);
    return path;
  };
}

export const read = (path: string): string => readFileSync(path, 'utf8');

export const ndjson = (items: readonly unknown[]): string =>
  items.map((item) => `${JSON.stringify(item)}\n`).join('');

/** The demo's commands and events as NDJSON. */
export const demoCommands = ndjson(logoDesignCommands());
export const demoEvents = ndjson(playDemo().events);

/** The keys of the spec's JSON summary (§5, and §11's additions), in order. */
export const SUMMARY_KEYS = [
  'jobId',
  'title',
  'currency',
  'status',
  'version',
  'workMayBegin',
  'platformId',
  'policy',
  'totals',
  'milestones',
  'pendingProposal',
  'deadlines',
];
export const TOTALS_KEYS = ['contract', 'funded', 'held', 'released', 'refunded', 'fees'];
export const MILESTONE_KEYS = [
  'milestoneId',
  'title',
  'dueDate',
  'amount',
  'status',
  'held',
  'released',
  'review',
  'fees',
  'reviewDueAt',
  'dispute',
];

/** A one-milestone job's commands as a user writes them (run's input). */
export const AT = '2014-11-03T09:00:00Z';
export const award = {
  type: 'AwardJob',
  actor: 'c',
  at: AT,
  data: { jobId: 'j', title: 'Job', clientId: 'c', freelancerId: 'f', currency: 'USD' },
};
export const propose = {
  type: 'ProposeTerms',
  actor: 'c',
  at: AT,
  data: {
    proposalId: 'p1',
    milestones: [{ milestoneId: 'm1', title: 'Only', dueDate: '2014-11-10', amount: 7500 }],
  },
};
export const accept = { type: 'AcceptTerms', actor: 'f', at: AT, data: { proposalId: 'p1' } };
export const release = { type: 'ReleaseFunds', actor: 'c', at: AT, data: { milestoneId: 'm1' } };
