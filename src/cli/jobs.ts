import { parseCommand } from '../domain/commands.js';
import type { Draft } from 'immer';
import { freezeState } from '../domain/freeze-state.js';
import { applyEvent, decideValid } from '../domain/decider.js';
import { parseEvent, type JobEvent } from '../domain/events.js';
import { createHistoryChecker } from '../domain/history.js';
import { isDomainError } from '../domain/shared/errors.js';
import { emptyState, type JobState } from '../domain/state.js';
import { LineError, type Line } from './lines.js';

/*
 * What `replay` and `run` do with their lines, apart from where the lines come from and where the
 * output goes: each stops at the first bad line with a `LineError`, and nothing after it is applied.
 */

function parseJson(line: Line): unknown {
  try {
    return JSON.parse(line.text) as unknown;
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new LineError(line.number, 'INVALID_INPUT', `malformed JSON: ${reason}`);
  }
}

/** Runs `step`, turning a `DomainError` into the `LineError` of line `number`. */
function onLine<T>(number: number, step: () => T): T {
  try {
    return step();
  } catch (error) {
    if (isDomainError(error)) throw new LineError(number, error.code, error.message);
    throw error;
  }
}

/** The lines of a source, and how many lines it had once read to the end. */
export interface LineSource extends AsyncIterable<Line> {
  readonly lineCount: number;
}

/**
 * Replays an NDJSON event history: each line is parsed (`parseEvent`) and checked against every
 * rule (`createHistoryChecker`). A history that ends while an automatic refund is still owed
 * fails on the line after its last one, where the refund should have been.
 */
export async function replayLines(lines: LineSource): Promise<JobState> {
  const checker = createHistoryChecker();
  for await (const line of lines) {
    const raw = parseJson(line);
    onLine(line.number, () => {
      checker.push(parseEvent(raw));
    });
  }
  return onLine(lines.lineCount + 1, () => checker.finish());
}

/**
 * Decides NDJSON commands one by one from the empty job: each line is validated (`parseCommand`)
 * and decided, and its events are folded into the job before the next line. `onEvents` receives each
 * decision's events (all of them, or none) before the next line is read.
 *
 * The job is one private working copy that each decision's events are applied to (what `fold`
 * does, without copying the state once per command: a long run stays linear), frozen at the end.
 */
export async function runLines(
  lines: AsyncIterable<Line>,
  onEvents: (events: readonly JobEvent[]) => Promise<void> | void,
): Promise<JobState> {
  const working = emptyState() as Draft<JobState>;
  const state: JobState = working;
  for await (const line of lines) {
    const raw = parseJson(line);
    const events = onLine(line.number, () => decideValid(parseCommand(raw), state));
    for (const event of events) applyEvent(working, event);
    await onEvents(events);
  }
  return freezeState(state);
}
