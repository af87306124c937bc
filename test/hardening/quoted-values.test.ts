import { describe, expect, it } from 'vitest';
import {
  createCommandHandler,
  createInMemoryEventStore,
  createUpcasters,
  isDomainError,
  parseCommand,
  parseEvent,
  replay,
  upcasterChain,
} from '../../src/index.js';
import { formatMoney } from '../../src/projections/index.js';
import { stateFromJson, serializeState } from '../../src/store/index.js';
import { parseArgs } from '../../src/cli/args.js';
import {
  describe as describeValue,
  excerpt,
  QUOTED_CHARACTERS,
} from '../../src/domain/shared/parse.js';
import { cli, ndjson } from '../cli/support.js';
import { logoDesign } from '../../src/testing/fixtures.js';

/*
 * Error messages quote the caller's bad values: a 1 MB string given as an id, an option, a type
 * or an argument made a 1 MB message (and a log line of that size). A quoted value is cut after
 * QUOTED_CHARACTERS, with its length, at every entry point; the error codes stay.
 */

const MB = 1_000_000;
const huge = (prefix = ''): string => prefix + 'x'.repeat(MB);
const AT = '2014-11-03T09:00:00Z';

/** The message and details of what `run` throws, or a failure when it does not throw. */
async function rejection(run: () => unknown): Promise<{ code: string; text: string }> {
  try {
    await run();
  } catch (error) {
    if (!isDomainError(error)) throw error;
    return { code: error.code, text: error.message + JSON.stringify(error.details) };
  }
  throw new Error('expected a rejection');
}

/** The message names the value's start and its length, and is short. */
function expectCut(text: string): void {
  expect(text.length).toBeLessThan(1000);
  expect(text).toContain('x'.repeat(20));
  expect(text).toMatch(/… \(\d{7} characters\)/);
}

describe('quoted values are cut in messages', () => {
  it('excerpt and describe keep a short text whole and cut a long one, never inside a surrogate pair', () => {
    expect(excerpt('short')).toBe('short');
    expect(describeValue('short')).toBe('"short"');
    const long = 'a'.repeat(QUOTED_CHARACTERS + 1);
    expect(excerpt(long)).toBe(
      `${'a'.repeat(QUOTED_CHARACTERS)}… (${String(QUOTED_CHARACTERS + 1)} characters)`,
    );
    expect(describeValue(long)).toBe(
      `"${'a'.repeat(QUOTED_CHARACTERS)}"… (${String(QUOTED_CHARACTERS + 1)} characters)`,
    );
    // An emoji across the cut: dropped whole, not halved into a lone surrogate.
    const emoji = `${'a'.repeat(QUOTED_CHARACTERS - 1)}😀tail`;
    expect(excerpt(emoji)).toBe(
      `${'a'.repeat(QUOTED_CHARACTERS - 1)}… (${String(emoji.length)} characters)`,
    );
    expect(excerpt('a'.repeat(5000), 4096)).toMatch(/^a{4096}… \(5000 characters\)$/);
  });

  it('a command: an unknown type, an unknown field, a string where a number belongs', async () => {
    const type = await rejection(() => parseCommand({ type: huge() }));
    expect(type.code).toBe('INVALID_INPUT');
    expectCut(type.text);
    expect(type.text).toContain('the command types are AwardJob');
    const field = await rejection(() =>
      parseCommand({
        type: 'SubmitWork',
        actor: 'felix',
        at: AT,
        data: { milestoneId: 'm1', [huge()]: 1 },
      }),
    );
    expect(field.code).toBe('INVALID_INPUT');
    expectCut(field.text);
    expect(field.text).toContain('unknown field `data.xxx');
    const amount = await rejection(() =>
      parseCommand({
        type: 'FundMilestone',
        actor: 'clara',
        at: AT,
        data: { milestoneId: 'm1', fundingId: 'f1', amount: huge(), source: 'card' },
      }),
    );
    expectCut(amount.text);
    expect(amount.text).toContain('data.amount: expected number, got "xxx');
  });

  it('an event: an unknown type', async () => {
    const type = await rejection(() => parseEvent({ type: huge(), data: {} }));
    expect(type.code).toBe('INVALID_INPUT');
    expectCut(type.text);
  });

  it('the command handler: an option, a job id an AwardJob was sent to, handle options', async () => {
    const store = createInMemoryEventStore();
    expectCut(
      (await rejection(() => createCommandHandler({ store, cacheSize: huge() as never }))).text,
    );
    expectCut((await rejection(() => createCommandHandler(huge() as never))).text);
    const jobs = createCommandHandler({ store });
    const award = logoDesign.commands[0];
    const sent = await rejection(() => jobs.handle(huge(), award as never));
    expect(sent.code).toBe('INVALID_INPUT');
    expectCut(sent.text);
    expect(sent.text).toContain('AwardJob names job logo-2014');
    expectCut(
      (await rejection(() => jobs.handle('logo-2014', award as never, huge() as never))).text,
    );
  });

  it('a store: a read bound, an expected version', async () => {
    const store = createInMemoryEventStore();
    const read = await rejection(async () => {
      const events = [];
      for await (const e of store.readStream('s', { after: huge() as never })) events.push(e);
    });
    expect(read.code).toBe('INVALID_INPUT');
    expectCut(read.text);
    const append = await rejection(() =>
      store.appendToStream('s', [{ type: 't', data: {} }], {
        expectedVersion: { v: huge() } as never,
      }),
    );
    expectCut(append.text);
    expectCut((await rejection(() => createInMemoryEventStore(huge() as never))).text);
  });

  it('upcasters, replay, formatting and snapshots', async () => {
    expectCut((await rejection(() => upcasterChain(huge() as never, 1, (x) => x))).text);
    const upcasters = createUpcasters();
    const newer = await rejection(() =>
      upcasters.upcast({ type: huge(), data: {}, metadata: { schemaVersion: 2 } }),
    );
    expectCut(newer.text);
    expect(newer.text).toContain('was written by a newer app');
    const version = await rejection(() =>
      upcasters.upcast({ type: 'JobClosed', data: {}, metadata: { schemaVersion: huge() } }),
    );
    expectCut(version.text);
    expectCut((await rejection(() => replay([], { until: { at: huge() } }))).text);
    expectCut((await rejection(() => replay([], { until: huge() as never }))).text);
    expectCut((await rejection(() => formatMoney(1, huge()))).text);
    const shape = JSON.parse(serializeState(logoDesign.state)) as Record<string, unknown>;
    expectCut((await rejection(() => stateFromJson({ ...shape, shape: huge() }))).text);
  });

  it('the command line: an unknown option or command, a bad size, a bad line', async () => {
    const usage = (argv: string[]): string => {
      try {
        parseArgs(argv);
      } catch (error) {
        return (error as Error).message;
      }
      throw new Error('expected a usage error');
    };
    expectCut(usage([`--${huge()}`]));
    expectCut(usage([huge()]));
    expectCut(usage(['replay', '--max-line-bytes', huge(), 'f']));
    expectCut(usage(['replay', 'a', huge()]));
    const run = await cli(
      ['run', '-'],
      ndjson([{ type: huge(), actor: 'clara', at: AT, data: {} }]),
    );
    expect(run.code).toBe(1);
    expect(
      run.stderr.startsWith('line 1: INVALID_INPUT: command type: unknown command type "xxx'),
    ).toBe(true);
    expectCut(run.stderr);
  });
});

it('a BigInt is named with its n ("expected number, got 5" read as a number)', async () => {
  const fund = (amount: unknown) =>
    rejection(() =>
      parseCommand({
        type: 'FundMilestone',
        actor: 'clara',
        at: AT,
        data: { milestoneId: 'm1', fundingId: 'f1', amount, source: 'card' },
      }),
    );
  expect((await fund(5n)).text).toContain('data.amount: expected number, got 5n');
  const huge = await fund(10n ** 1000n);
  expect(huge.text).toMatch(/got 1000+… \(1002 characters\)/);
});

it('a value JSON cannot write is still named in an upcaster message, not a TypeError', async () => {
  const upcasters = createUpcasters();
  const bigint = await rejection(() =>
    upcasters.upcast({ type: 'JobClosed', data: {}, metadata: { schemaVersion: 2n } }),
  );
  expect(bigint).toEqual({
    code: 'INVALID_INPUT',
    text: expect.stringContaining(
      'metadata.schemaVersion must be a positive integer, not bigint',
    ) as string,
  });
});
