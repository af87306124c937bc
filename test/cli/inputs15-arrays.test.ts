import { describe, expect, it } from 'vitest';
import { cli, demoCommands, demoEvents, ndjson } from './support.js';

/*
 * An array where a line's object belongs (session 15): the command's `data`, the event's
 * `metadata`. valibot's object schemas took an array and read only the keys they know.
 */

describe('an array where a line has an object', () => {
  it('run: a CloseJob line with "data": [] is line 2: INVALID_INPUT', async () => {
    const lines = demoCommands.trimEnd().split('\n');
    const award = JSON.parse(lines[0] as string) as { actor: string; at: string };
    const close = ndjson([{ type: 'CloseJob', actor: award.actor, at: award.at, data: [] }]);
    const { code, stderr } = await cli(['run', '-', '--json'], `${lines[0] as string}\n${close}`);
    expect(code).toBe(1);
    expect(stderr).toMatch(
      /^line 2: INVALID_INPUT: command data: expected an object, got an array/,
    );
  });

  it('replay: an event line with "metadata": [] is line 1: INVALID_INPUT', async () => {
    const lines = demoEvents.trimEnd().split('\n');
    const first = JSON.parse(lines[0] as string) as object;
    const input = `${ndjson([{ ...first, metadata: [] }])}${lines.slice(1).join('\n')}\n`;
    const { code, stderr } = await cli(['replay', '-'], input);
    expect(code).toBe(1);
    expect(stderr).toMatch(
      /^line 1: INVALID_INPUT: event metadata: expected an object, got an array/,
    );
  });
});
