import { test } from '@fast-check/vitest';
import type { Draft } from 'immer';
import { describe, expect, it } from 'vitest';
import { parseCommand } from '../../src/domain/commands.js';
import { applyEvent, decideValid } from '../../src/domain/decider.js';
import { emptyState, type JobState } from '../../src/domain/state.js';
import type { JobCommandInput, JobEvent } from '../../src/index.js';
import { createTimeline } from '../../src/projections/index.js';
import { statusCount } from '../../src/projections/status-count.js';
import { statusOf } from '../../src/projections/summary.js';
import { HISTORIES } from './histories.js';
import { activeTerms, fund } from './play.js';

const RUNS = { numRuns: 150 };
const CHANGE = /; the job is (awarded|awaiting-funding|in-progress|completed|closed)$/;

/*
 * The timeline reads the job's status before and after every event from counts (statusCount)
 * rather than from `statusOf`, which walks every active milestone.
 */

describe('the status a projection counts', () => {
  // Part one's histories and part two's (disputes settled, withdrawn, expired; fees).
  for (const [part, historyArb] of HISTORIES) {
    test.prop([historyArb()], RUNS)(`${part}: is statusOf after every event`, (events) => {
      const state = emptyState() as Draft<JobState>;
      const count = statusCount();
      expect(count.statusOf(state)).toBe(statusOf(state));
      for (const event of events) {
        count.before(state, event);
        applyEvent(state, event);
        count.after(state);
        expect(count.statusOf(state)).toBe(statusOf(state));
      }
    });

    test.prop([historyArb()], RUNS)(
      `${part}: the timeline tells a change of statusOf, and only then`,
      (events) => {
        const state = emptyState() as Draft<JobState>;
        const timeline = createTimeline();
        for (const event of events) {
          const before = statusOf(state);
          const line = timeline.push(event);
          applyEvent(state, event);
          const after = statusOf(state);
          const told =
            before !== after && event.type !== 'JobAwarded' && event.type !== 'JobClosed';
          expect(CHANGE.exec(line)?.[1]).toBe(told ? after : undefined);
        }
      },
    );
  }
});

describe('the timeline of a job of 20,000 milestones released in order', () => {
  it('tells the three changes of status, one line per event', () => {
    const count = 20_000;
    const milestones = Array.from({ length: count }, (_, i) => ({
      milestoneId: `m${String(i + 1)}`,
      title: `Part ${String(i + 1)}`,
      dueDate: '2014-11-10',
      amount: 100,
    }));
    const release = (milestoneId: string): JobCommandInput => ({
      type: 'ReleaseFunds',
      actor: 'c',
      at: '2014-11-03T09:00:00Z',
      data: { milestoneId },
    });
    const commands: JobCommandInput[] = [
      ...activeTerms('USD', milestones),
      ...milestones.map((m, i) => fund(m.milestoneId, `f${String(i)}`)),
      ...milestones.map((m) => release(m.milestoneId)),
    ];
    // Decided onto one working copy, as the CLI's run does: deciding from a fold per command
    // would itself be quadratic.
    const state = emptyState() as Draft<JobState>;
    const events: JobEvent[] = [];
    for (const command of commands)
      for (const event of decideValid(parseCommand(command), state)) {
        applyEvent(state, event);
        events.push(event);
      }
    expect(events).toHaveLength(3 + 2 * count);
    const timeline = createTimeline();
    const changes: string[] = [];
    for (const [i, event] of events.entries()) {
      const told = CHANGE.exec(timeline.push(event))?.[1];
      if (told !== undefined) changes.push(`${String(i)} ${told}`);
    }
    expect(changes).toEqual([
      '2 awaiting-funding',
      '3 in-progress',
      `${String(2 + 2 * count)} completed`,
    ]);
  });
});
