import { spawnSync } from 'node:child_process';
import { closeSync, openSync, writeFileSync } from 'node:fs';
import { Readable } from 'node:stream';
import { PassThrough } from 'node:stream';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { runCli } from '../../src/cli/cli.js';
import { LineReader } from '../../src/cli/lines.js';
import { parseArgs, UsageError } from '../../src/cli/args.js';
import { DEFAULT_MAX_LINE_BYTES } from '../../src/replay/lines.js';
import { demoCommands, demoEvents, read, tempDir } from './support.js';

/*
 * Issue 16's defects at the command line: input without newlines (D1), standard input that is
 * the events file (D2), bytes that are not UTF-8 (D11).
 */

const BIN = fileURLToPath(new URL('../../dist/cli.js', import.meta.url));
const file = tempDir();

async function cliBytes(
  argv: readonly string[],
  stdin: Readable,
): Promise<{ code: number; stdout: string; stderr: string }> {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  const out: Buffer[] = [];
  const err: Buffer[] = [];
  stdout.on('data', (c: Buffer) => out.push(c));
  stderr.on('data', (c: Buffer) => err.push(c));
  const code = await runCli(argv, { stdin, stdout, stderr });
  return {
    code,
    stdout: Buffer.concat(out).toString('utf8'),
    stderr: Buffer.concat(err).toString('utf8'),
  };
}

/** An endless stream of zero bytes (what /dev/zero gives), counting what was read of it. */
function zeros(): { stream: Readable; read: () => number } {
  let bytes = 0;
  const chunk = Buffer.alloc(64 * 1024);
  const stream = new Readable({
    read() {
      bytes += chunk.length;
      this.push(chunk);
    },
  });
  return { stream, read: () => bytes };
}

describe('D1: a line has a maximum length', () => {
  it('D1: input without a newline stops at the limit with line 1: INVALID_INPUT, having read no more than the limit and a chunk', async () => {
    const { stream, read: readBytes } = zeros();
    const result = await cliBytes(['replay', '-', '--max-line-bytes', '1M'], stream);
    expect(result).toEqual({
      code: 1,
      stdout: '',
      stderr:
        'line 1: INVALID_INPUT: line longer than 1048576 bytes (the limit: raise it if such lines are expected)\n',
    });
    expect(readBytes()).toBeLessThanOrEqual(1024 * 1024 + 3 * 64 * 1024);
  });

  it('D1: a long line after good ones is named by its number, in run as in replay', async () => {
    const long = `${demoCommands.split('\n')[0] ?? ''}\n\n${'x'.repeat(3000)}\n`;
    const result = await cliBytes(['run', '-', '--max-line-bytes=2K'], Readable.from([long]));
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/^line 3: INVALID_INPUT: line longer than 2048 bytes/);
  });

  it('D1: a line of exactly the limit is read; one byte more is not (bytes, not characters)', async () => {
    // "é" is two bytes: a line of 3 of them is 6 bytes, plus the JSON quotes 8.
    const line = Buffer.from('"ééé"\n');
    const at = (max: string) =>
      cliBytes(['replay', '-', '--max-line-bytes', max], Readable.from([line]));
    expect((await at('8')).stderr).toMatch(/^line 1: INVALID_INPUT: event: expected a JSON object/);
    expect((await at('7')).stderr).toMatch(/^line 1: INVALID_INPUT: line longer than 7 bytes/);
  });

  it('D1: the limit is 64 MiB by default; --max-line-bytes takes bytes, K or M, up to the longest string', () => {
    expect(DEFAULT_MAX_LINE_BYTES).toBe(64 * 1024 * 1024);
    expect(parseArgs(['replay', '-'])).not.toHaveProperty('maxLineBytes');
    expect(parseArgs(['replay', '-', '--max-line-bytes', '100'])).toMatchObject({
      maxLineBytes: 100,
    });
    expect(parseArgs(['run', '-', '--max-line-bytes=511M'])).toMatchObject({
      maxLineBytes: 511 * 1024 ** 2,
    });
    expect(parseArgs(['run', '-', `--max-line-bytes=${String(2 ** 29 - 24)}`])).toMatchObject({
      maxLineBytes: 2 ** 29 - 24,
    });
    // A longer line cannot be one string: such a limit was taken, and its line called "not UTF-8".
    for (const beyond of [String(2 ** 29 - 23), '512M', '3G', '8000000000000000'])
      expect(() => parseArgs(['run', '-', `--max-line-bytes=${beyond}`])).toThrow(
        /--max-line-bytes is at most 536870888 bytes/,
      );
    for (const bad of ['0', '-1', '1.5', 'lots', '', '64MB'])
      expect(() => parseArgs(['replay', '-', `--max-line-bytes=${bad}`])).toThrow(UsageError);
    expect(() => parseArgs(['demo', '--max-line-bytes=1K'])).toThrow(UsageError);
  });

  it('D1: the bin stops on /dev/zero at the default limit, exit 1, in bounded memory', () => {
    const result = spawnSync(
      process.execPath,
      ['--max-old-space-size=400', BIN, 'replay', '/dev/zero'],
      { encoding: 'utf8', timeout: 30_000 },
    );
    expect([result.status, result.stdout, result.stderr]).toEqual([
      1,
      '',
      'line 1: INVALID_INPUT: line longer than 67108864 bytes (the limit: raise it if such lines are expected)\n',
    ]);
  });
});

describe('D2: standard input that is the events file is not emptied', () => {
  it('D2: run - --events F < F is a usage error and leaves F as it was (the bin)', () => {
    const path = file('same.ndjson', demoCommands);
    const fd = openSync(path, 'r');
    try {
      const result = spawnSync(process.execPath, [BIN, 'run', '-', '--events', path], {
        stdio: [fd, 'pipe', 'pipe'],
        encoding: 'utf8',
        timeout: 20_000,
      });
      expect(result.status).toBe(2);
      expect(result.stderr).toMatch(
        `milestone-escrow: --events ${path} is the file standard input reads: it would be emptied before it is read\n`,
      );
    } finally {
      closeSync(fd);
    }
    expect(read(path)).toBe(demoCommands);
  });

  it('D2: standard input from another file, or from a pipe, still writes the events', () => {
    const input = file('input.ndjson', demoCommands);
    const out = file('out.ndjson');
    writeFileSync(out, 'old');
    const fd = openSync(input, 'r');
    try {
      const result = spawnSync(process.execPath, [BIN, 'run', '-', '--events', out], {
        stdio: [fd, 'pipe', 'pipe'],
        encoding: 'utf8',
        timeout: 20_000,
      });
      expect([result.status, result.stderr]).toEqual([0, '']);
    } finally {
      closeSync(fd);
    }
    expect(read(out)).toBe(demoEvents);
    const piped = spawnSync(process.execPath, [BIN, 'run', '-', '--events', out], {
      input: demoCommands,
      encoding: 'utf8',
      timeout: 20_000,
    });
    expect([piped.status, piped.stderr]).toEqual([0, '']);
    expect(read(out)).toBe(demoEvents);
  });
});

describe('D11: input that is not UTF-8', () => {
  const first = (ndjson: string) => Buffer.from(`${ndjson.split('\n').slice(0, 2).join('\n')}\n`);
  const good = first(demoEvents);
  const bad = Buffer.from('{"type":"JobClosed","data":{"note":"Logo \xff design"}}\n', 'latin1');

  it('D11: replay and run stop at the line that is not UTF-8 with line N: INVALID_INPUT: not UTF-8', async () => {
    for (const [verb, lines] of [
      ['replay', good],
      ['run', first(demoCommands)],
    ] as const) {
      const result = await cliBytes([verb, '-'], Readable.from([Buffer.concat([lines, bad])]));
      expect(result.code).toBe(1);
      expect(result.stderr).toMatch(/^line 3: INVALID_INPUT: not UTF-8/);
      expect(result.stdout).toBe('');
    }
  });

  it('D11: the bin says not UTF-8 too (it rewrote the bytes to U+FFFD and exited 0)', () => {
    const path = file('latin1.ndjson');
    writeFileSync(path, Buffer.concat([good, bad]));
    const result = spawnSync(process.execPath, [BIN, 'replay', path], { encoding: 'utf8' });
    expect([result.status, result.stdout]).toEqual([1, '']);
    expect(result.stderr).toMatch(/^line 3: INVALID_INPUT: not UTF-8/);
  });

  it('D11: a character cut between chunks is still one character; a truncated one at the end is not UTF-8', async () => {
    const bytes = Buffer.from('"é😀"\n"x');
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 0, max: bytes.length }), async (cut) => {
        const reader = new LineReader(
          Readable.from([bytes.subarray(0, cut), bytes.subarray(cut)]),
          true,
          'test',
        );
        const lines: string[] = [];
        for await (const line of reader) lines.push(line.text);
        expect(lines).toEqual(['"é😀"', '"x']);
      }),
    );
    const truncated = Buffer.from('"😀"').subarray(0, 3);
    const result = await cliBytes(['replay', '-'], Readable.from([truncated]));
    expect(result.stderr).toMatch(/^line 1: INVALID_INPUT: not UTF-8/);
  });

  it('D11: a byte-order mark and NUL bytes are text, not encoding errors', async () => {
    const bom = await cliBytes(
      ['replay', '-'],
      Readable.from([Buffer.from(`\uFEFF${demoEvents}`)]),
    );
    expect([bom.code, bom.stderr]).toEqual([0, '']);
    const nul = await cliBytes(['replay', '-'], Readable.from([Buffer.from('\0\n')]));
    expect(nul.stderr).toMatch(/^line 1: INVALID_INPUT: malformed JSON/);
  });
});

describe('standard input that is a directory', () => {
  // Node gives a directory on standard input as an empty stream: it replayed as "No job", exit 0.
  it('replay - < DIR and run - < DIR cannot read standard input: exit 2, as replay DIR does (the bin)', () => {
    const dir = fileURLToPath(new URL('.', import.meta.url));
    const fd = openSync(dir, 'r');
    try {
      for (const verb of ['replay', 'run']) {
        const result = spawnSync(process.execPath, [BIN, verb, '-'], {
          stdio: [fd, 'pipe', 'pipe'],
          encoding: 'utf8',
          timeout: 20_000,
        });
        expect([result.status, result.stdout, result.stderr]).toEqual([
          2,
          '',
          'milestone-escrow: cannot read standard input: illegal operation on a directory, read (EISDIR)\n',
        ]);
      }
    } finally {
      closeSync(fd);
    }
  });
});

describe('--max-line-bytes says what is wrong', () => {
  it('a number past the limit is "at most", however many digits; a missing value is "needs"', () => {
    // 16 digits or more was "takes a positive number" (it is one), and no value said "(got )".
    for (const beyond of ['9999999999999999', '99999999999999999', `1${'0'.repeat(400)}`])
      expect(() => parseArgs(['run', '-', `--max-line-bytes=${beyond}`])).toThrow(
        /--max-line-bytes is at most 536870888 bytes/,
      );
    for (const argv of [
      ['replay', '-', '--max-line-bytes'],
      ['replay', '-', '--max-line-bytes='],
    ])
      expect(() => parseArgs(argv)).toThrow(
        '--max-line-bytes needs a number of bytes, such as 1048576 or 64M',
      );
  });
});
