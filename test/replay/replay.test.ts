import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { fold, isDomainError, verifyHistory, type JobEvent } from '../../src/index.js';
import { replay } from '../../src/replay/fold.js';
import { readNdjson, readNdjsonLines } from '../../src/replay/ndjson.js';
import { histories } from '../app/histories.js';
import { awarded } from '../domain/opening.js';
import { logoDesign } from '../../src/testing/index.js';

async function* slowly<T>(items: Iterable<T>): AsyncGenerator<T> {
  for (const item of items) {
    await Promise.resolve();
    yield item;
  }
}

/** Splits text into chunks at the given cut points (bytes, so multi-byte characters get split too). */
function chunked(text: string, cuts: number[]): Uint8Array[] {
  const bytes = new TextEncoder().encode(text);
  const points = [...new Set(cuts.map((c) => c % (bytes.length + 1)))].sort((a, b) => a - b);
  const out: Uint8Array[] = [];
  let start = 0;
  for (const p of points) {
    out.push(bytes.slice(start, p));
    start = p;
  }
  out.push(bytes.slice(start));
  return out;
}

async function codeOf(
  promise: Promise<unknown>,
): Promise<{ code: string; details: Record<string, unknown> } | undefined> {
  try {
    await promise;
  } catch (error) {
    if (isDomainError(error)) return { code: error.code, details: error.details };
    throw error;
  }
  return undefined;
}

describe('streaming replay', () => {
  it('property: streaming replay = in-memory replay (trusted and verified)', async () => {
    await fc.assert(
      fc.asyncProperty(histories(30), async ({ events }) => {
        const expected = fold(events);
        const trusted = await replay(slowly(events));
        expect(trusted.state).toEqual(expected);
        expect(trusted.position).toBe(events.length);
        const verified = await replay(slowly(events), { verify: true });
        expect(verified.state).toEqual(verifyHistory(events));
        expect(verified.state).toEqual(expected);
      }),
      { numRuns: 80 },
    );
  });

  it('property: NDJSON cut into arbitrary chunks replays the same', async () => {
    await fc.assert(
      fc.asyncProperty(
        histories(15),
        fc.array(fc.nat(), { maxLength: 20 }),
        async ({ events }, cuts) => {
          const text = events.map((e) => JSON.stringify(e)).join('\n') + '\n';
          const { state } = await replay(readNdjson(chunked(text, cuts)), { verify: true });
          expect(state).toEqual(fold(events));
        },
      ),
      { numRuns: 60 },
    );
  });

  it('property: a replay from a mid-point state plus the rest = the whole replay', async () => {
    await fc.assert(
      fc.asyncProperty(histories(20), fc.nat(), async ({ events }, cut) => {
        const at = cut % (events.length + 1);
        const head = await replay(events.slice(0, at));
        const rest = await replay(events.slice(at), { from: head.state });
        expect(rest.state).toEqual(fold(events));
        expect(rest.position).toBe(events.length);
      }),
      { numRuns: 60 },
    );
  });

  it('time travel: the state as of a stream position is the fold of that prefix', async () => {
    await fc.assert(
      fc.asyncProperty(histories(20), fc.nat(), async ({ events }, n) => {
        const position = n % (events.length + 2);
        const result = await replay(slowly(events), { until: { position } });
        expect(result.state).toEqual(fold(events.slice(0, position)));
        expect(result.position).toBe(Math.min(position, events.length));
        // verified replays may stop inside a decision too
        const verified = await replay(slowly(events), { until: { position }, verify: true });
        expect(verified.state).toEqual(result.state);
      }),
      { numRuns: 60 },
    );
  });

  it('time travel: the state as of an instant is the longest prefix at or before it', async () => {
    await fc.assert(
      fc.asyncProperty(histories(20), fc.nat(), async ({ events }, n) => {
        const pick = events[n % events.length] as JobEvent;
        const instant = pick.data.at;
        const prefix: JobEvent[] = [];
        for (const e of events) {
          if (Date.parse(e.data.at) > Date.parse(instant)) break;
          prefix.push(e);
        }
        const result = await replay(slowly(events), { until: { at: instant }, verify: true });
        expect(result.state).toEqual(fold(prefix));
        expect(result.position).toBe(prefix.length);
      }),
      { numRuns: 60 },
    );
  });

  it('time travel closes the source when it stops early', async () => {
    let closed = false;
    async function* source(): AsyncGenerator {
      await Promise.resolve();
      try {
        yield awarded();
        yield { type: 'JobClosed', data: { by: 'client', at: '2014-11-04T09:00:00Z' } };
        throw new Error('read too far');
      } finally {
        closed = true;
      }
    }
    const result = await replay(source(), { until: { at: '2014-11-03T12:00:00+02:00' } });
    expect(result).toMatchObject({ position: 1, stoppedEarly: true });
    expect(closed).toBe(true);
  });

  it('a verified replay names the position and rule of a broken history', async () => {
    const events = [
      awarded(),
      {
        type: 'FundsReleased',
        data: { milestoneId: 'm1', amount: 100, at: '2014-11-03T09:00:00Z' },
      },
    ];
    expect(await codeOf(replay(slowly(events), { verify: true }))).toMatchObject({
      code: 'INVALID_HISTORY',
      details: { position: 2 },
    });
    expect(
      await codeOf(replay(slowly([events[0], { type: 'Nope', data: {} }]), { verify: true })),
    ).toMatchObject({ code: 'INVALID_INPUT', details: { position: 2 } });
    expect(await codeOf(replay(slowly([42])))).toMatchObject({
      code: 'INVALID_INPUT',
      details: { position: 1 },
    });
  });

  it('an until instant that is not an instant is INVALID_INPUT', async () => {
    expect(await codeOf(replay([], { until: { at: 'yesterday' } }))).toMatchObject({
      code: 'INVALID_INPUT',
    });
  });

  it('an until instant is an instant as the wire writes it, never read in the local time zone', async () => {
    // Date.parse took each of these: a zoneless time in the machine's zone (so the same replay
    // stopped elsewhere on another machine), a date alone, a day that does not exist, 24:00.
    for (const at of [
      '2014-11-03T09:00:00',
      '2014-11-03',
      'Nov 3 2014',
      '2014-02-30T00:00:00Z',
      '2014-11-03T24:00:00Z',
    ])
      expect(await codeOf(replay([awarded()], { until: { at } })), at).toMatchObject({
        code: 'INVALID_INPUT',
        details: { path: 'until.at' },
      });
  });

  it('an until instant compares to the millisecond, years 0000–0099 included', async () => {
    const early = { ...awarded(), data: { ...awarded().data, at: '0050-06-01T00:00:00.0009Z' } };
    const at = '0050-06-01T01:00:00.000+01:00';
    expect(await replay([early], { until: { at } })).toMatchObject({ position: 1 });
  });
});

describe('NDJSON reader', () => {
  it('numbers lines from 1, skips blank lines, accepts CRLF and a last line without newline', async () => {
    const lines = [];
    for await (const l of readNdjsonLines(['{"a":1}\r\n\n  \n{"b":', '2}\n[3]'])) lines.push(l);
    expect(lines).toEqual([
      { line: 1, value: { a: 1 } },
      { line: 4, value: { b: 2 } },
      { line: 5, value: [3] },
    ]);
  });

  it('a line that is not JSON is INVALID_INPUT naming the line', async () => {
    const read = async () => {
      for await (const _ of readNdjson(['{"a":1}\n', '{oops}\n'])) expect(_).toBeDefined();
    };
    expect(await codeOf(read())).toMatchObject({ code: 'INVALID_INPUT', details: { line: 2 } });
  });

  it('D11: readNdjson on bytes that are not UTF-8 is INVALID_INPUT line N: not UTF-8 (was a TypeError without a line)', async () => {
    const bytes = [
      Buffer.from('{"a":1}\n\n{"b":"'),
      Buffer.from([0xc3, 0x28]),
      Buffer.from('"}\n'),
    ];
    const read = async () => {
      for await (const _ of readNdjson(bytes)) expect(_).toBeDefined();
    };
    await expect(read()).rejects.toMatchObject({
      code: 'INVALID_INPUT',
      details: { line: 3 },
      message: expect.stringMatching(/^line 3: not UTF-8/) as unknown,
    });
  });

  it('D11: readNdjson decodes a character cut between byte chunks, and keeps a mid-stream BOM', async () => {
    const bytes = Buffer.from('"é😀"\n"\uFEFF"\n');
    for (let cut = 0; cut <= bytes.length; cut++) {
      const values = [];
      for await (const v of readNdjson([bytes.subarray(0, cut), bytes.subarray(cut)]))
        values.push(v);
      expect(values).toEqual(['é😀', '\uFEFF']);
    }
  });

  it('D1: readNdjson stops at a line longer than maxLineBytes (default 64 MiB) with INVALID_INPUT', async () => {
    let chunks = 0;
    const endless = (function* () {
      for (;;) {
        chunks += 1;
        yield new Uint8Array(1024).fill(0x20);
      }
    })();
    const read = async () => {
      for await (const _ of readNdjson(endless, { maxLineBytes: 10_000 })) expect(_).toBeDefined();
    };
    await expect(read()).rejects.toMatchObject({
      code: 'INVALID_INPUT',
      details: { line: 1 },
      message: expect.stringMatching(/^line 1: line longer than 10000 bytes/) as unknown,
    });
    expect(chunks).toBeLessThanOrEqual(11);
  });

  it('D1: maxLineBytes is at most the longest string (2^29 − 24): a higher limit could not be kept', async () => {
    // Taken before, a line past the longest string threw a RangeError (text) or read as "not UTF-8".
    for (const maxLineBytes of [2 ** 29 - 23, 2 ** 30, Number.MAX_SAFE_INTEGER]) {
      const read = async () => {
        for await (const _ of readNdjson(['1\n'], { maxLineBytes })) expect(_).toBe(1);
      };
      await expect(read()).rejects.toMatchObject({
        code: 'INVALID_INPUT',
        details: { path: 'maxLineBytes' },
        message: expect.stringMatching(/^maxLineBytes is at most 536870888 /) as unknown,
      });
    }
    const values = [];
    for await (const v of readNdjson(['1\n'], { maxLineBytes: 2 ** 29 - 24 })) values.push(v);
    expect(values).toEqual([1]);
  });
});

describe('replay from a state', () => {
  it("hands out a frozen state of its own even with no events, never the caller's plain object", async () => {
    const { events } = fc.sample(histories(10), { numRuns: 1, seed: 7 })[0]!;
    const plain = JSON.parse(JSON.stringify(fold(events))) as ReturnType<typeof fold>;
    const result = await replay((async function* () {})(), { from: plain });
    expect(result.state).not.toBe(plain);
    expect(Object.isFrozen(result.state)).toBe(true);
    expect(Object.isFrozen(plain)).toBe(false);
    expect(result.state).toEqual(fold(events));
  });
});

describe('time travel from a state', () => {
  // The logo job's first 10 events folded, then the rest replayed onto them.
  const events = logoDesign.events;
  const from = fold(events.slice(0, 10));

  it('an until before the state it starts from is INVALID_INPUT, not that later state', async () => {
    // It answered the state at position 10 (stoppedEarly: true) for "the state after 4 events".
    expect(await codeOf(replay(events.slice(10), { from, until: { position: 4 } }))).toMatchObject({
      code: 'INVALID_INPUT',
      details: { path: 'until.position' },
    });
    const before = (events[3] as JobEvent).data.at;
    expect(from.job.lastAt).not.toBe(before);
    expect(await codeOf(replay(events.slice(10), { from, until: { at: before } }))).toMatchObject({
      code: 'INVALID_INPUT',
      details: { path: 'until.at' },
    });
  });

  it('an until at or after the state it starts from goes on from it', async () => {
    expect(await replay(events.slice(10), { from, until: { position: 10 } })).toMatchObject({
      position: 10,
      stoppedEarly: true,
    });
    const result = await replay(events.slice(10), { from, until: { position: 12 } });
    expect(result.state).toEqual(fold(events.slice(0, 12)));
    const at = from.job.lastAt as string;
    expect(
      (await replay(events.slice(10), { from, until: { at } })).position,
    ).toBeGreaterThanOrEqual(10);
  });
});
