import fc from 'fast-check';
import { PassThrough, Readable } from 'node:stream';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from '../../src/cli/cli.js';
import { logoDesignCommands, playDemo } from '../../src/cli/demo.js';
import { ERROR_CODES } from '../../src/index.js';
import { fuzz, report } from './hostile.js';

/*
 * Fuzzing the command line on byte streams (issue 16): lines of the demo's commands and events,
 * cut and spliced with bytes that are not UTF-8, NUL, byte-order marks, carriage returns, no
 * final newline, long lines, and the byte chunks cut anywhere (also inside a character). The
 * oracle: exit 0 with nothing on stderr, or exit 1 with exactly one line `line N: CODE: …` where
 * CODE is a known code; never a throw (the bin's exit 70), never a hang.
 */

const commandLines = logoDesignCommands().map((c) => JSON.stringify(c));
const eventLines = playDemo().events.map((e) => JSON.stringify(e));

const piece = (lines: readonly string[]): fc.Arbitrary<Uint8Array> =>
  fc.oneof(
    { weight: 8, arbitrary: fc.constantFrom(...lines).map((l) => Buffer.from(`${l}\n`)) },
    {
      weight: 1,
      arbitrary: fc
        .constantFrom('\n', '\r\n', '\r', '\uFEFF', '\u0000', ' ', '{', '"é', '😀')
        .map((t) => Buffer.from(t)),
    },
    { weight: 1, arbitrary: fc.uint8Array({ minLength: 1, maxLength: 6 }) },
    {
      weight: 1,
      arbitrary: fc.constantFrom(0xff, 0xc3, 0xe2, 0xf0, 0x80, 0xed).map((b) => Uint8Array.of(b)),
    },
    {
      weight: 1,
      arbitrary: fc
        .constantFrom(...lines)
        .map((l) => Buffer.from(l).subarray(0, Math.floor(l.length / 2))),
    },
  );

const input = (lines: readonly string[]) =>
  fc.record({
    pieces: fc.array(piece(lines), { maxLength: 30 }),
    cuts: fc.array(fc.nat(), { maxLength: 8 }),
    maxLine: fc.option(fc.integer({ min: 1, max: 4000 }), { nil: undefined }),
  });

/** The bytes, cut into chunks at the given places (inside characters too). */
function chunks(pieces: readonly Uint8Array[], cuts: readonly number[]): Buffer[] {
  const all = Buffer.concat(pieces);
  const at = [...new Set(cuts.map((c) => c % (all.length + 1)))].sort((a, b) => a - b);
  const out: Buffer[] = [];
  let from = 0;
  for (const c of at) {
    if (c > from) out.push(all.subarray(from, c));
    from = c;
  }
  if (from < all.length) out.push(all.subarray(from));
  return out;
}

const LINE = new RegExp(`^line [1-9][0-9]*: (${ERROR_CODES.join('|')}): [^\\n]+\\n$`);
// `run` on an input without a command says so without a line number (docs/cli.md).
const NOTHING_TO_RUN = /^milestone-escrow: standard input has no commands: [^\n]+\n$/;

async function run(argv: string[], bytes: Buffer[]): Promise<{ code: number; stderr: string }> {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  const err: Buffer[] = [];
  stdout.resume();
  stderr.on('data', (c: Buffer) => err.push(c));
  const code = await runCli(argv, { stdin: Readable.from(bytes), stdout, stderr });
  return { code, stderr: Buffer.concat(err).toString('utf8') };
}

afterAll(() => {
  report('cli');
});

describe('fuzz: the command line on hostile bytes', () => {
  for (const [verb, lines] of [
    ['replay', eventLines],
    ['run', commandLines],
  ] as const) {
    it(`${verb} -: exit 0, or exit 1 with one line N: CODE: message`, async () => {
      await fuzz(
        `cli ${verb}`,
        input(lines),
        async ({ pieces, cuts, maxLine }) => {
          const argv = [
            verb,
            '-',
            ...(maxLine === undefined ? [] : [`--max-line-bytes=${String(maxLine)}`]),
          ];
          const { code, stderr } = await run(argv, chunks(pieces, cuts));
          if (code === 0) expect(stderr).toBe('');
          else {
            expect(code).toBe(1);
            if (!NOTHING_TO_RUN.test(stderr)) expect(stderr).toMatch(LINE);
          }
        },
        0.5,
      );
    });
  }
});
