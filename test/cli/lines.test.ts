import fc from 'fast-check';
import { createInterface } from 'node:readline';
import { PassThrough, Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { LineReader } from '../../src/cli/lines.js';

/** The numbered non-blank lines readline gives for the same chunks (the reference). */
async function byReadline(chunks: string[]): Promise<{ lines: [number, string][]; count: number }> {
  const lines: [number, string][] = [];
  let count = 0;
  for await (const raw of createInterface({
    input: Readable.from(chunks.map((c) => Buffer.from(c))),
    crlfDelay: Infinity,
  })) {
    count += 1;
    const text = count === 1 && raw.startsWith('\uFEFF') ? raw.slice(1) : raw;
    if (text.trim() !== '') lines.push([count, text]);
  }
  return { lines, count };
}

async function byLineReader(
  chunks: string[],
): Promise<{ lines: [number, string][]; count: number }> {
  const reader = new LineReader(Readable.from(chunks.map((c) => Buffer.from(c))), true, 'test');
  const lines: [number, string][] = [];
  for await (const line of reader) lines.push([line.number, line.text]);
  return { lines, count: reader.lineCount };
}

/** The same through `batches()`, checking that no batch is empty and none spans two chunks. */
async function byBatches(chunks: string[]): Promise<{ lines: [number, string][]; count: number }> {
  const reader = new LineReader(Readable.from(chunks.map((c) => Buffer.from(c))), true, 'test');
  const lines: [number, string][] = [];
  let batches = 0;
  for await (const batch of reader.batches()) {
    expect(batch.length).toBeGreaterThan(0);
    batches += 1;
    for (const line of batch) lines.push([line.number, line.text]);
  }
  // One batch per chunk at most, plus the input's last line (no newline after it).
  expect(batches).toBeLessThanOrEqual(chunks.length + 1);
  return { lines, count: reader.lineCount };
}

describe('LineReader', () => {
  it('property: numbers and cuts lines as readline does, however the input is chunked', async () => {
    const piece = fc.constantFrom(
      '{"a":1}',
      ' ',
      '',
      '\n',
      '\r\n',
      '\r',
      '\uFEFF',
      'é',
      '😀',
      '[1,2]',
      '\t',
    );
    await fc.assert(
      fc.asyncProperty(
        fc.array(piece, { maxLength: 30 }),
        fc.array(fc.nat(), { maxLength: 6 }),
        async (pieces, cuts) => {
          const text = pieces.join('');
          const at = [...new Set(cuts.map((c) => c % (text.length + 1)))].sort((a, b) => a - b);
          const chunks: string[] = [];
          let from = 0;
          for (const c of at) {
            chunks.push(text.slice(from, c));
            from = c;
          }
          chunks.push(text.slice(from));
          const expected = await byReadline(chunks.filter((c) => c !== ''));
          const actual = await byLineReader(chunks.filter((c) => c !== ''));
          expect(actual.lines).toEqual(expected.lines);
          const batched = await byBatches(chunks.filter((c) => c !== ''));
          expect(batched).toEqual(actual);
        },
      ),
      { numRuns: 500 },
    );
  });

  it('drops a byte-order mark, skips blank lines and counts them', async () => {
    const { lines, count } = await byLineReader(['\uFEFF{"a":1}\r\n\n  \n{"b"', ':2}\r{"c":3}']);
    expect(lines).toEqual([
      [1, '{"a":1}'],
      [4, '{"b":2}'],
      [5, '{"c":3}'],
    ]);
    expect(count).toBe(5);
  });

  it('batches: the lines of a chunk come as one batch, numbered as one at a time', async () => {
    const reader = new LineReader(
      Readable.from([Buffer.from('{"a":1}\n\n{"b":2}\r\n{"c"'), Buffer.from(':3}\n{"d":4}')]),
      true,
      'test',
    );
    const batches: [number, string][][] = [];
    for await (const batch of reader.batches())
      batches.push(batch.map((line) => [line.number, line.text]));
    expect(batches).toEqual([
      [
        [1, '{"a":1}'],
        [3, '{"b":2}'],
      ],
      [[4, '{"c":3}']],
      [[5, '{"d":4}']],
    ]);
    expect(reader.lineCount).toBe(5);
  });

  it('leaves an input it does not own open when the reader stops early (standard input)', async () => {
    const input = new PassThrough();
    input.end('{"a":1}\n{"b":2}\n');
    for await (const line of new LineReader(input, false, 'standard input')) {
      expect(line.number).toBe(1);
      break;
    }
    expect(input.destroyed).toBe(false);
    const owned = new PassThrough();
    owned.end('{"a":1}\n{"b":2}\n');
    for await (const line of new LineReader(owned, true, 'file')) {
      expect(line.number).toBe(1);
      break;
    }
    expect(owned.destroyed).toBe(true);
  });
});
