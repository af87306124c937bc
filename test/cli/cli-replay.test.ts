import { describe, expect, it } from 'vitest';
import { JOB_EVENT_TYPES } from '../../src/domain/events.js';
import { cli, demoEvents, ndjson, tempDir } from './support.js';

/* `milestone-escrow replay`: a history checked, then its job printed or its first bad line named. */

const file = tempDir();
const EVENT_TYPES = JOB_EVENT_TYPES.join(', ');

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
