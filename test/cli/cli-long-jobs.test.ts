import { describe, expect, it } from 'vitest';
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
import { accept, AT, award, cli, ndjson, propose, read, release, tempDir } from './support.js';

/*
 * replay and run of jobs past 32 milestones: their id tables are Maps in a working copy and tries
 * once frozen, and what the CLI prints must read the same.
 */

const file = tempDir();

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
