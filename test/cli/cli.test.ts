import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { USAGE } from '../../src/cli/args.js';
import { JOB_COMMAND_TYPES } from '../../src/domain/commands.js';
import { JOB_EVENT_TYPES } from '../../src/domain/events.js';
import { logoDesignCommands } from '../../src/cli/demo.js';
import { runLines } from '../../src/cli/jobs.js';
import type { Line } from '../../src/cli/lines.js';
import { renderJob, renderSummaryJson } from '../../src/cli/render.js';
import {
  decide,
  fold,
  summarize,
  verifyHistory,
  type JobCommandInput,
  type JobEvent,
} from '../../src/index.js';
import {
  cli,
  demoCommands,
  demoEvents,
  MILESTONE_KEYS,
  ndjson,
  read,
  SUMMARY_KEYS,
  tempDir,
  TOTALS_KEYS,
} from './support.js';

const file = tempDir();
const EVENT_TYPES = JOB_EVENT_TYPES.join(', ');
const COMMAND_TYPES = JOB_COMMAND_TYPES.join(', ');
const AT = '2014-11-03T09:00:00Z';
const award = {
  type: 'AwardJob',
  actor: 'c',
  at: AT,
  data: { jobId: 'j', title: 'Job', clientId: 'c', freelancerId: 'f', currency: 'USD' },
};
const propose = {
  type: 'ProposeTerms',
  actor: 'c',
  at: AT,
  data: {
    proposalId: 'p1',
    milestones: [{ milestoneId: 'm1', title: 'Only', dueDate: '2014-11-10', amount: 7500 }],
  },
};
const accept = { type: 'AcceptTerms', actor: 'f', at: AT, data: { proposalId: 'p1' } };
const release = { type: 'ReleaseFunds', actor: 'c', at: AT, data: { milestoneId: 'm1' } };

describe('demo', () => {
  it("prints the seed's logo-design table with status, the $400.00 total and a timeline", async () => {
    const { code, stdout, stderr } = await cli(['demo']);
    expect(code).toBe(0);
    expect(stderr).toBe('');
    expect(stdout).toMatch(/^Milestone 1: Start fee deposit +3 Nov 2014 +\$75\.00 +released$/m);
    expect(stdout).toMatch(/^Milestone 2: 6 concepts +10 Nov 2014 +\$75\.00 +released$/m);
    expect(stdout).toMatch(
      /^Milestone 3: 1st Revision of chosen concept +15 Nov 2014 +\$75\.00 +released$/m,
    );
    expect(stdout).toMatch(
      /^Milestone 4: 2nd Revision of chosen concept +20 Nov 2014 +\$75\.00 +released$/m,
    );
    expect(stdout).toMatch(
      /^Final: Delivery of final print-ready files +24 Nov 2014 +\$100\.00 +released$/m,
    );
    expect(stdout).toMatch(/^Total: +\$400\.00$/m);
    expect(stdout).toContain(
      '\nTimeline\n2014-11-03T08:30:00Z  client clara awarded "Logo design" (logo-2014, USD) to freelancer felix\n',
    );
    expect(stdout).toContain(
      '2014-11-03T09:00:00Z  client funded "Start fee deposit" $75.00 from card:visa-4242',
    );
  });

  it('prints the JSON summary with --json, shaped exactly as spec §5', async () => {
    const { code, stdout } = await cli(['demo', '--json']);
    expect(code).toBe(0);
    const summary = JSON.parse(stdout) as Record<string, unknown> & {
      totals: object;
      milestones: object[];
    };
    expect(Object.keys(summary)).toEqual(SUMMARY_KEYS);
    expect(Object.keys(summary.totals)).toEqual(TOTALS_KEYS);
    for (const m of summary.milestones) expect(Object.keys(m)).toEqual(MILESTONE_KEYS);
    expect(summary).toMatchObject({
      jobId: 'logo-2014',
      currency: 'USD',
      status: 'closed',
      version: 26,
      workMayBegin: true,
      totals: { contract: 40000, funded: 45000, held: 0, released: 40000, refunded: 5000 },
      pendingProposal: null,
    });
    expect(summary.milestones[0]).toEqual({
      milestoneId: 'm1',
      title: 'Start fee deposit',
      dueDate: '2014-11-03',
      amount: 7500,
      status: 'released',
      held: 0,
      released: 7500,
      review: 'none',
      fees: 0,
      reviewDueAt: null,
      dispute: null,
    });
  });

  it('is the same job as running its commands file', () => {
    expect(
      read(new URL('../../examples/logo-design.commands.ndjson', import.meta.url).pathname),
    ).toBe(
      logoDesignCommands()
        .map((c) => `${JSON.stringify({ type: c.type, actor: c.actor, at: c.at, data: c.data })}\n`)
        .join(''),
    );
  });
});

describe('replay', () => {
  it('checks a good history and prints the job', async () => {
    const { code, stdout, stderr } = await cli(['replay', file('good.ndjson', demoEvents)]);
    expect([code, stderr]).toEqual([0, '']);
    expect(stdout).toMatch(/^Logo design \(logo-2014, USD\): closed, 26 events$/m);
    expect(stdout).toMatch(/^Total: +\$400\.00$/m);
    expect(stdout).toContain(
      'Escrow: funded $450.00 · held $0.00 · released $400.00 · refunded $50.00',
    );
  });

  it('prints the same summary as the demo with --json, from standard input', async () => {
    const replayed = await cli(['replay', '-', '--json'], demoEvents);
    expect(replayed.code).toBe(0);
    expect(replayed.stdout).toBe((await cli(['demo', '--json'])).stdout);
  });

  it('skips blank lines but counts them, and reads CRLF and a byte-order mark', async () => {
    const lines = demoEvents.trimEnd().split('\n');
    const text = `\uFEFF${lines[0] ?? ''}\r\n\r\n   \r\n${lines.slice(1).join('\r\n')}\r\n\r\n`;
    expect((await cli(['replay', '-', '--json'], text)).stdout).toBe(
      (await cli(['demo', '--json'])).stdout,
    );
    const bad = `${lines[0] ?? ''}\n\n\n{"type":"Nope","data":{}}\n`;
    expect(await cli(['replay', '-'], bad)).toEqual({
      code: 1,
      stdout: '',
      stderr: `line 4: INVALID_INPUT: event type: unknown event type "Nope"; the event types are ${EVENT_TYPES}\n`,
    });
  });

  it('stops at malformed JSON: INVALID_INPUT on its line, nothing printed', async () => {
    const { code, stdout, stderr } = await cli(
      ['replay', '-'],
      `${demoEvents.split('\n')[0] ?? ''}\n{"type":\n`,
    );
    expect([code, stdout]).toEqual([1, '']);
    expect(stderr).toMatch(/^line 2: INVALID_INPUT: malformed JSON: [^\n]+\n$/);
  });

  it('stops at an event that does not fit the schema', async () => {
    const extra = { ...(JSON.parse(demoEvents.split('\n')[0] ?? '') as object), extra: 1 };
    expect(await cli(['replay', '-'], ndjson([extra]))).toEqual({
      code: 1,
      stdout: '',
      stderr: 'line 1: INVALID_INPUT: event: unknown field `extra`\n',
    });
  });

  it('stops at the first event that breaks a rule', async () => {
    const events = demoEvents.split('\n');
    // The client accepting its own proposal (event 4 said by the freelancer).
    const own = events[3]?.replace('"by":"freelancer"', '"by":"client"') ?? '';
    const text = [...events.slice(0, 3), own, ...events.slice(4)].join('\n');
    expect(await cli(['replay', '-'], text)).toEqual({
      code: 1,
      stdout: '',
      stderr:
        'line 4: INVALID_HISTORY: event 4 (TermsAccepted) breaks R2: FORBIDDEN: Nobody accepts their own proposal.\n',
    });
  });

  it('fails on the line after the last one when a history ends owing a refund', async () => {
    // The demo's event 19 declines p3; its refund (event 20) is cut off.
    const text = `${demoEvents.split('\n').slice(0, 19).join('\n')}\n\n`;
    const { code, stderr } = await cli(['replay', '-'], text);
    expect(code).toBe(1);
    expect(stderr).toMatch(
      /^line 21: INVALID_HISTORY: after event 19 breaks R8: the history ends before the owed refund FundsRefunded .* \(C4\)\n$/,
    );
  });

  it('prints an empty history as no job', async () => {
    expect(await cli(['replay', '-'], '\n\n')).toEqual({
      code: 0,
      stdout: 'No job: the history has no JobAwarded event.\n',
      stderr: '',
    });
  });
});

/** A job of `count` milestones, each funded (from 11 card sources in turn), the first `released` released. */
function longJobCommands(count: number, released: number): unknown[] {
  const milestones = Array.from({ length: count }, (_, i) => ({
    milestoneId: `m${String(i + 1)}`,
    title: `Part ${String(i + 1)}`,
    dueDate: '2014-11-10',
    amount: 100 + (i % 50),
  }));
  return [
    award,
    { ...propose, data: { proposalId: 'p1', milestones } },
    accept,
    ...milestones.map((m, i) => ({
      type: 'FundMilestone',
      actor: 'c',
      at: AT,
      data: {
        milestoneId: m.milestoneId,
        fundingId: `f${String(i)}`,
        source: `card:${String(i % 11)}`,
      },
    })),
    ...milestones
      .slice(0, released)
      .map((m) => ({ ...release, data: { milestoneId: m.milestoneId } })),
  ];
}

const parseLines = (text: string): unknown[] =>
  text
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l) as unknown);

describe('replay of a job past 32 milestones', () => {
  it("prints what the frozen state reads (the CLI prints the checker's state unfrozen)", async () => {
    // Tables past 32 ids are Maps in the checker's working copy and tries once frozen.
    const events = ndjson(
      longJobCommands(40, 20).reduce<JobEvent[]>((all, c) => {
        for (const e of decide(c as JobCommandInput, fold(all))) all.push(e);
        return all;
      }, []),
    );
    const state = verifyHistory(parseLines(events));
    expect(await cli(['replay', '-'], events)).toEqual({
      code: 0,
      stdout: renderJob(state),
      stderr: '',
    });
    expect((await cli(['replay', '-', '--json'], events)).stdout).toBe(renderSummaryJson(state));
  });
});

describe('run of a long command file', () => {
  // 3,000 milestones funded and released: 6,003 commands, every id table far past 32 ids.
  const commands = ndjson(longJobCommands(3000, 3000));

  it('prints what replay of its events prints, and what the frozen state reads', async () => {
    const out = file('long.events.ndjson');
    const ran = await cli(['run', '-', '--events', out], commands);
    expect(ran).toMatchObject({ code: 0, stderr: '' });
    const state = verifyHistory(parseLines(read(out)));
    expect(ran.stdout).toBe(renderJob(state));
    expect((await cli(['replay', out])).stdout).toBe(ran.stdout);
    const json = await cli(['run', '-', '--json'], commands);
    expect(json.stdout).toBe(renderSummaryJson(state));
    expect((await cli(['replay', out, '--json'])).stdout).toBe(json.stdout);
  });

  it('hands back its working copy unfrozen: the CLI prints it and exits', async () => {
    const events: JobEvent[] = [];
    async function* lines(): AsyncGenerator<Line> {
      let number = 0;
      for (const text of commands.trimEnd().split('\n')) yield { number: ++number, text };
    }
    const state = await runLines(lines(), (decided) => {
      events.push(...decided);
    });
    // Freezing would build every id table as a trie only to be read once.
    expect(Object.isFrozen(state)).toBe(false);
    expect(summarize(state)).toStrictEqual(summarize(verifyHistory(events)));
  });
});

describe('run', () => {
  it('decides commands from an empty job and prints it', async () => {
    const { code, stdout } = await cli(['run', file('commands.ndjson', demoCommands)]);
    expect(code).toBe(0);
    expect(stdout).toBe((await cli(['replay', '-'], demoEvents)).stdout);
  });

  it('writes the events with --events OUT, and they replay to the same job', async () => {
    const out = file('events.ndjson');
    const ran = await cli(['run', '-', '--json', '--events', out], demoCommands);
    expect(ran.code).toBe(0);
    expect(read(out)).toBe(demoEvents);
    expect((await cli(['replay', out, '--json'])).stdout).toBe(ran.stdout);
  });

  it('writes the events to standard output with --events -, instead of the job', async () => {
    expect(await cli(['run', '-', '--events', '-'], demoCommands)).toEqual({
      code: 0,
      stdout: demoEvents,
      stderr: '',
    });
  });

  it('stops at the first rejected command: stdout empty, OUT holds the lines before it', async () => {
    const out = file('partial.ndjson');
    const text = ndjson([
      award,
      propose,
      accept,
      release,
      { ...propose, data: { ...propose.data, proposalId: 'p2' } },
    ]);
    expect(await cli(['run', '-', '--events', out], text)).toEqual({
      code: 1,
      stdout: '',
      stderr:
        'line 4: NOT_FULLY_FUNDED: Milestone m1 holds 0 of 7500: a release pays the whole milestone.\n',
    });
    const kept = read(out);
    expect(
      kept
        .trimEnd()
        .split('\n')
        .map((l) => (JSON.parse(l) as { type: string }).type),
    ).toEqual(['JobAwarded', 'TermsProposed', 'TermsAccepted']);
    const replayed = await cli(['replay', out, '--json']);
    expect(replayed.code).toBe(0);
    expect(JSON.parse(replayed.stdout)).toMatchObject({ status: 'awaiting-funding', version: 3 });
  });

  it('names the path of an invalid command, and a command before the award', async () => {
    const noCurrency = { ...award, data: { ...award.data, currency: undefined } };
    expect((await cli(['run', '-'], ndjson([noCurrency]))).stderr).toBe(
      'line 1: INVALID_INPUT: command: missing field `data.currency`\n',
    );
    expect((await cli(['run', '-'], `\n${ndjson([propose])}`)).stderr).toBe(
      'line 2: NOT_AWARDED: The job has not been awarded yet: AwardJob comes first.\n',
    );
    expect((await cli(['run', '-'], '[1, 2]\n')).stderr).toBe(
      'line 1: INVALID_INPUT: command: expected a JSON object, got an array\n',
    );
  });

  it('keeps untrusted text in an error message on its one line', async () => {
    const evil = {
      type: 'TermsAccepted',
      data: { proposalId: 'p1', by: 'x\ny\u001b[2J\u0085', at: AT },
    };
    expect(await cli(['replay', '-'], ndjson([evil]))).toEqual({
      code: 1,
      stdout: '',
      stderr:
        'line 1: INVALID_INPUT: event data.by: expected ("client" | "freelancer"), got "x\\u000ay\\u001b[2J\\u0085"\n',
    });
  });
});

describe('usage and files', () => {
  it('exits 2 with the usage on stderr for a usage error', async () => {
    expect(await cli(['deploy'])).toEqual({
      code: 2,
      stdout: '',
      stderr: `milestone-escrow: unknown command deploy\n${USAGE}`,
    });
    expect(await cli(['replay'])).toEqual({
      code: 2,
      stdout: '',
      stderr: `milestone-escrow: replay needs a FILE (- for standard input)\n${USAGE}`,
    });
    expect(await cli(['demo', '--yaml'])).toEqual({
      code: 2,
      stdout: '',
      stderr: `milestone-escrow: unknown option --yaml\n${USAGE}`,
    });
  });

  it('prints the usage on stdout when asked', async () => {
    expect(await cli(['--help'])).toEqual({ code: 0, stdout: USAGE, stderr: '' });
  });

  it('exits 2 for a FILE that cannot be read', async () => {
    const missing = file('missing.ndjson');
    expect(await cli(['replay', missing])).toEqual({
      code: 2,
      stdout: '',
      stderr: `milestone-escrow: cannot read ${missing}: no such file or directory (ENOENT)\n`,
    });
    const dir = file('');
    expect(await cli(['run', dir])).toEqual({
      code: 2,
      stdout: '',
      stderr: `milestone-escrow: cannot read ${dir}: illegal operation on a directory, read (EISDIR)\n`,
    });
  });

  it('exits 2 for an OUT that cannot be written, and refuses OUT = FILE', async () => {
    const input = file('in.ndjson', demoCommands);
    const nowhere = file('no/such/dir/out.ndjson');
    expect(await cli(['run', input, '--events', nowhere])).toEqual({
      code: 2,
      stdout: '',
      stderr: `milestone-escrow: cannot write ${nowhere}: no such file or directory (ENOENT)\n`,
    });
    const same = await cli(['run', input, '--events', input]);
    expect(same.code).toBe(2);
    expect(same.stderr.split('\n')[0]).toBe(
      `milestone-escrow: --events ${input} is FILE itself: it would be emptied before it is read`,
    );
    expect(read(input)).toBe(demoCommands);
  });
});

describe('errors that say what to do (issue 12)', () => {
  it('an unknown command type names the bad type and lists the valid ones', async () => {
    const typo = { ...award, type: 'AwardJb' };
    expect(await cli(['run', '-'], ndjson([typo]))).toEqual({
      code: 1,
      stdout: '',
      stderr: `line 1: INVALID_INPUT: command type: unknown command type "AwardJb"; the command types are ${COMMAND_TYPES}\n`,
    });
  });

  it('a missing field is named as such, with no schema jargon', async () => {
    const noAt = { type: award.type, actor: award.actor, data: award.data };
    expect((await cli(['run', '-'], ndjson([noAt]))).stderr).toBe(
      'line 1: INVALID_INPUT: command: missing field `at`\n',
    );
    const noType = { actor: 'c', at: AT, data: {} };
    expect((await cli(['run', '-'], ndjson([noType]))).stderr).toBe(
      `line 1: INVALID_INPUT: command: missing field \`type\` (one of ${COMMAND_TYPES})\n`,
    );
  });

  it('an event history given to run says to use replay', async () => {
    expect(await cli(['run', '-'], demoEvents)).toEqual({
      code: 1,
      stdout: '',
      stderr:
        'line 1: INVALID_INPUT: this looks like an event history (a JobAwarded event): use `milestone-escrow replay FILE`\n',
    });
  });

  it('a commands file given to replay says to use run', async () => {
    expect(await cli(['replay', '-'], demoCommands)).toEqual({
      code: 1,
      stdout: '',
      stderr:
        'line 1: INVALID_INPUT: this looks like a file of commands (an AwardJob command): use `milestone-escrow run FILE`\n',
    });
  });

  it('an empty commands file is an error that says so, with --json too (no empty job printed)', async () => {
    const empty = file('empty.commands.ndjson', '');
    const message = `milestone-escrow: ${empty} has no commands: nothing to run (write one JSON command per line, starting with AwardJob; see docs/cli.md)\n`;
    expect(await cli(['run', empty])).toEqual({ code: 1, stdout: '', stderr: message });
    expect(await cli(['run', empty, '--json'])).toEqual({ code: 1, stdout: '', stderr: message });
    expect((await cli(['run', '-', '--json'], '\n\n')).stderr).toBe(
      message.replace(empty, 'standard input'),
    );
  });

  it('--version prints the package version', async () => {
    const { version } = JSON.parse(
      readFileSync(new URL('../../package.json', import.meta.url), 'utf8'),
    ) as { version: string };
    expect(await cli(['--version'])).toEqual({ code: 0, stdout: `${version}\n`, stderr: '' });
  });

  it("demo --events OUT writes the seed job's history for the guides to read", async () => {
    const out = file('job.ndjson');
    const { code, stdout } = await cli(['demo', '--events', out]);
    expect(code).toBe(0);
    expect(stdout).toMatch(/^Total: +\$400\.00$/m);
    expect(read(out)).toBe(demoEvents);
    expect(await cli(['demo', '--events', '-'])).toEqual({
      code: 0,
      stdout: demoEvents,
      stderr: '',
    });
  });
});
