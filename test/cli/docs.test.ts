import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { renderMilestoneTable } from '../../src/projections/index.js';
import { playDemo } from '../../src/cli/demo.js';
import { cli, read, tempDir } from './support.js';

/* The output docs/cli.md shows is the output the CLI prints: every line of its samples, but `...`. */

const doc = readFileSync(new URL('../../docs/cli.md', import.meta.url), 'utf8');

/** The lines of the first code block after `marker`. */
function sample(marker: string): string[] {
  const from = doc.indexOf(marker);
  expect(from).toBeGreaterThanOrEqual(0);
  const block = /```[a-z]*\n([\s\S]*?)\n\s*```/.exec(doc.slice(from));
  const lines = (block?.[1] ?? '')
    .split('\n')
    .map((line) => line.replace(/^ {2}(?=\|)/, ''))
    .filter((line) => line.trim() !== '...');
  expect(lines.length).toBeGreaterThan(1);
  return lines;
}

describe('docs/cli.md', () => {
  it('shows lines the demo prints', async () => {
    const printed = (await cli(['demo'])).stdout.split('\n');
    for (const line of sample('`milestone-escrow demo` (the timeline shortened):'))
      expect(printed).toContain(line);
  });

  it('shows lines of the Markdown table', () => {
    const printed = renderMilestoneTable(playDemo().state, { format: 'markdown' }).split('\n');
    for (const line of sample('the table as aligned text (above) or as a GFM table:'))
      expect(printed).toContain(line);
  });

  it('shows the line an unknown command type prints, every command type in it', async () => {
    const file = tempDir()(
      'typo.ndjson',
      '{"type":"AwardJb","actor":"clara","at":"2014-11-03T09:00:00Z","data":{}}\n',
    );
    const { code, stderr } = await cli(['run', file]);
    expect(code).toBe(1);
    expect(sample('Examples of the one line of status 1:')).toContain(stderr.trimEnd());
  });

  it('shows commands of the demo commands file', () => {
    const commands = read(
      new URL('../../examples/logo-design.commands.ndjson', import.meta.url).pathname,
    ).split('\n');
    for (const line of sample('one JSON command per line:')) expect(commands).toContain(line);
  });
});
