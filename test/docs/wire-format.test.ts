import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  decide,
  ERROR_CODES,
  fold,
  JOB_COMMAND_TYPES,
  JOB_EVENT_TYPES,
  parseCommand,
  parseEvent,
  REFUND_REASONS,
  summarize,
  verifyHistory,
  type JobEvent,
} from '../../src/index.js';
import { ROOT } from './snippets.js';
import { expectSeedAccessJob } from './seed-job.js';
import { commandsOf, microsoftAccessScript } from '../../src/testing/seed.js';

/*
 * docs/wire-format.md shows what the library does: its commands decide, in order, into exactly
 * its events, which verify as a history and summarise into exactly its summary; its tables list
 * exactly the command types, event types, refund reasons and error codes there are.
 */

const page = readFileSync(join(ROOT, 'docs', 'wire-format.md'), 'utf8');

function block(name: string): string {
  const match = new RegExp(`<!-- wire: ${name} -->\\n\`\`\`json\\n([\\s\\S]*?)\`\`\``).exec(page);
  if (match === null) throw new Error(`docs/wire-format.md has no wire: ${name} block`);
  return String(match[1]);
}
const lines = (text: string): unknown[] =>
  text
    .trim()
    .split('\n')
    .map((line) => JSON.parse(line) as unknown);

/** The first column of the table under a heading, as the code spans it holds. */
function column(heading: string, header: string): string[] {
  const from = page.indexOf(heading);
  const table = page.slice(page.indexOf(`| ${header} |`, from));
  const rows = table.split('\n').slice(2);
  const cells: string[] = [];
  for (const row of rows) {
    if (!row.startsWith('|')) break;
    cells.push(String(/^\| `([^`]+)`/.exec(row)?.[1]));
  }
  return cells;
}

function decideAll(commands: readonly unknown[]): JobEvent[] {
  let state = fold([]);
  const decided: JobEvent[] = [];
  for (const command of commands) {
    const yielded = decide(parseCommand(command), state);
    state = fold(yielded, state);
    decided.push(...yielded);
  }
  return decided;
}

describe('docs/wire-format.md', () => {
  // The part one example, and part two's (deadlines, disputes, the fee).
  const examples = [
    { commands: lines(block('commands')), events: lines(block('events')), summary: 'summary' },
    {
      commands: lines(block('commands-v2')),
      events: lines(block('events-v2')),
      summary: 'summary-v2',
    },
  ];

  it('tells the seed’s Access job: part one’s story is the seed’s, command for command; part two’s is the same job on a marketplace', () => {
    const [partOne, partTwo] = examples;
    expect(partOne?.commands).toEqual(commandsOf(microsoftAccessScript()));
    expectSeedAccessJob(partOne?.commands ?? [], false);
    expectSeedAccessJob(partTwo?.commands ?? [], true);
  });

  it('its commands are valid, and decide, in order, into exactly its events, every event type among them', () => {
    const types = new Set<string>();
    for (const { commands, events } of examples) {
      const decided = decideAll(commands);
      expect(decided).toEqual(events);
      for (const e of decided) types.add(e.type);
    }
    expect(types).toEqual(new Set(JOB_EVENT_TYPES));
  });

  it('its events are valid and verify as a history, into exactly its summary', () => {
    for (const { events, summary } of examples) {
      for (const event of events) parseEvent(event);
      expect(summarize(verifyHistory(events))).toEqual(JSON.parse(block(summary)));
    }
  });

  it('its tables list every command type, event type, refund reason and error code, in order', () => {
    expect(column('## Commands', 'type')).toEqual([...JOB_COMMAND_TYPES]);
    expect(column('## Events', 'type')).toEqual([...JOB_EVENT_TYPES]);
    expect(column('## Events', 'reason')).toEqual([...REFUND_REASONS]);
    expect(column('## Error codes', 'code')).toEqual([...ERROR_CODES]);
  });
});
