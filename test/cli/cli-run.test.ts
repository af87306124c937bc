import { describe, expect, it } from 'vitest';
import {
  accept,
  AT,
  award,
  cli,
  demoCommands,
  demoEvents,
  ndjson,
  propose,
  read,
  release,
  tempDir,
} from './support.js';

/* `milestone-escrow run`: commands decided from an empty job, the job or its events printed. */

const file = tempDir();

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
