import { spawnSync } from 'node:child_process';
import { accessSync, constants, existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { USAGE } from '../../src/cli/args.js';
import { demoCommands, demoEvents, read, SUMMARY_KEYS, tempDir } from './support.js';

/*
 * The built bin, as a user runs it: `npm test` builds dist/ before the tests run.
 */

const BIN = fileURLToPath(new URL('../../dist/cli.js', import.meta.url));
const file = tempDir();

function bin(
  args: readonly string[],
  input?: string,
): { status: number | null; stdout: string; stderr: string } {
  const result = spawnSync(process.execPath, [BIN, ...args], {
    input: input ?? '',
    encoding: 'utf8',
    timeout: 20_000,
  });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

beforeAll(() => {
  if (!existsSync(BIN))
    throw new Error(`${BIN} is missing: run \`npm run build\` first (npm test does)`);
});

describe('the milestone-escrow bin (dist/cli.js)', () => {
  it('is an executable ESM script with a node shebang', () => {
    expect(readFileSync(BIN, 'utf8').startsWith('#!/usr/bin/env node\n')).toBe(true);
    expect(() => accessSync(BIN, constants.X_OK)).not.toThrow();
    const pkg = JSON.parse(
      readFileSync(new URL('../../package.json', import.meta.url), 'utf8'),
    ) as { bin: Record<string, string> };
    expect(pkg.bin['milestone-escrow']).toBe('./dist/cli.js');
  });

  it('plays the demo: the seed table, $400.00 and the timeline, exit 0', () => {
    const { status, stdout, stderr } = bin(['demo']);
    expect([status, stderr]).toEqual([0, '']);
    expect(stdout).toMatch(/^Milestone 2: 6 concepts +10 Nov 2014 +\$75\.00 +released$/m);
    expect(stdout).toMatch(
      /^Final: Delivery of final print-ready files +24 Nov 2014 +\$100\.00 +released$/m,
    );
    expect(stdout).toMatch(/^Total: +\$400\.00$/m);
    expect(stdout).toContain('client funded "Start fee deposit" $75.00 from card:visa-4242');
  });

  it('prints the spec summary with --json', () => {
    const { status, stdout } = bin(['demo', '--json']);
    expect(status).toBe(0);
    expect(Object.keys(JSON.parse(stdout) as object)).toEqual(SUMMARY_KEYS);
  });

  it('runs commands from stdin, writes --events, and replays them', () => {
    const out = file('events.ndjson');
    const ran = bin(['run', '-', '--events', out, '--json'], demoCommands);
    expect([ran.status, ran.stderr]).toEqual([0, '']);
    expect(read(out)).toBe(demoEvents);
    const replayed = bin(['replay', out, '--json']);
    expect(replayed).toEqual({ status: 0, stdout: ran.stdout, stderr: '' });
  });

  it('exits 1 with one line on stderr at the first bad line', () => {
    expect(
      bin(['replay', '-'], `${demoEvents.split('\n')[0] ?? ''}\n\n{"type":"Nope","data":{}}\n`),
    ).toEqual({
      status: 1,
      stdout: '',
      stderr: expect.stringMatching(
        /^line 3: INVALID_INPUT: event type: unknown event type "Nope"; the event types are JobAwarded, [^\n]+\n$/,
      ) as string,
    });
  });

  it('--version prints the version of the package it belongs to', () => {
    const { version } = JSON.parse(
      readFileSync(new URL('../../package.json', import.meta.url), 'utf8'),
    ) as { version: string };
    expect(bin(['--version'])).toEqual({ status: 0, stdout: `${version}\n`, stderr: '' });
  });

  it('exits 2 for a usage error and for a file it cannot read', () => {
    expect(bin(['replay'])).toEqual({
      status: 2,
      stdout: '',
      stderr: `milestone-escrow: replay needs a FILE (- for standard input)\n${USAGE}`,
    });
    const missing = file('missing.ndjson');
    expect(bin(['replay', missing])).toEqual({
      status: 2,
      stdout: '',
      stderr: `milestone-escrow: cannot read ${missing}: no such file or directory (ENOENT)\n`,
    });
  });

  it('stops quietly when its reader goes away (run --events - | head -n 1)', () => {
    // Enough events to fill the pipe, so that writing meets EPIPE once head has exited.
    const award = demoCommands.split('\n').slice(0, 4).join('\n');
    const submit = JSON.stringify({
      type: 'SubmitWork',
      actor: 'felix',
      at: '2014-11-04T09:00:00Z',
      data: { milestoneId: 'm2', note: 'x'.repeat(100) },
    });
    const input = file('many.ndjson', `${award}\n${`${submit}\n`.repeat(5000)}`);
    const result = spawnSync(
      'bash',
      [
        '-c',
        `"${process.execPath}" "${BIN}" run "${input}" --events - | head -n 1; echo "exit \${PIPESTATUS[0]}"`,
      ],
      {
        encoding: 'utf8',
        timeout: 20_000,
      },
    );
    expect(result.stdout).toBe(`${demoEvents.split('\n')[0] ?? ''}\nexit 0\n`);
    expect(result.stderr).toBe('');
  });
});
