import { describe, expect, it } from 'vitest';
import { parseArgs, UsageError } from '../../src/cli/args.js';

describe('parseArgs', () => {
  it('reads the three commands and their options, in any order', () => {
    expect(parseArgs(['demo'])).toEqual({ verb: 'demo', json: false, events: null });
    expect(parseArgs(['--json', 'demo'])).toEqual({ verb: 'demo', json: true, events: null });
    expect(parseArgs(['demo', '--events', 'job.ndjson'])).toEqual({
      verb: 'demo',
      json: false,
      events: 'job.ndjson',
    });
    expect(parseArgs(['replay', 'h.ndjson', '--json'])).toEqual({
      verb: 'replay',
      file: 'h.ndjson',
      json: true,
    });
    expect(parseArgs(['replay', '-'])).toEqual({ verb: 'replay', file: '-', json: false });
    expect(parseArgs(['run', 'c.ndjson', '--events', 'e.ndjson'])).toEqual({
      verb: 'run',
      file: 'c.ndjson',
      json: false,
      events: 'e.ndjson',
    });
    expect(parseArgs(['run', '--events=e.ndjson', '-', '--json'])).toEqual({
      verb: 'run',
      file: '-',
      json: true,
      events: 'e.ndjson',
    });
    expect(parseArgs(['run', '-', '--events', '-'])).toEqual({
      verb: 'run',
      file: '-',
      json: false,
      events: '-',
    });
    expect(parseArgs(['run', '--', '--odd-name.ndjson'])).toEqual({
      verb: 'run',
      file: '--odd-name.ndjson',
      json: false,
      events: null,
    });
  });

  it('reads a request for help', () => {
    expect(parseArgs(['--help'])).toEqual({ verb: 'help' });
    expect(parseArgs(['replay', '-h'])).toEqual({ verb: 'help' });
    expect(parseArgs(['help'])).toEqual({ verb: 'help' });
  });

  it('reads --version, before anything else but help', () => {
    expect(parseArgs(['--version'])).toEqual({ verb: 'version' });
    expect(parseArgs(['demo', '--version'])).toEqual({ verb: 'version' });
  });

  it.each([
    [[], 'a command is missing (demo, replay or run)'],
    [['deploy'], 'unknown command deploy'],
    [['demo', '--verbose'], 'unknown option --verbose'],
    [['demo', 'x.ndjson'], 'demo takes no FILE (got x.ndjson)'],
    [['replay'], 'replay needs a FILE (- for standard input)'],
    [['run', 'a', 'b'], 'run takes one FILE (got a b)'],
    [['replay', 'h', '--events', 'o'], '--events belongs to run and demo, not replay'],
    [
      ['demo', '--events', '-', '--json'],
      '--events - writes the events to standard output: it cannot be combined with --json',
    ],
    [['run', 'c', '--events'], '--events needs a file (OUT, or - for standard output)'],
    [['run', 'c', '--events', 'a', '--events', 'b'], '--events is given twice'],
    [
      ['run', 'c', '--events', '-', '--json'],
      '--events - writes the events to standard output: it cannot be combined with --json',
    ],
  ])('rejects %j: %s', (argv, message) => {
    expect(() => parseArgs(argv)).toThrow(new UsageError(message));
  });
});
