import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { USAGE } from '../../src/cli/args.js';
import { JOB_COMMAND_TYPES } from '../../src/domain/commands.js';
import { AT, award, cli, demoCommands, demoEvents, ndjson, read, tempDir } from './support.js';

/*
 * What the CLI says when it is used wrongly: usage errors, unreadable files, and errors that say
 * what to do.
 */

const file = tempDir();
const COMMAND_TYPES = JOB_COMMAND_TYPES.join(', ');

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
