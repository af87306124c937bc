import { JOB_COMMAND_TYPES, parseCommand } from '../domain/commands.js';
import type { Draft } from 'immer';
import { applyEvent, decideValid } from '../domain/decider.js';
import { JOB_EVENT_TYPES, parseOwnEvent, type JobEvent } from '../domain/events.js';
import { createTrustedChecker } from '../domain/history.js';
import { isDomainError } from '../domain/shared/errors.js';
import { thrownText } from '../domain/shared/parse.js';
import { emptyState, type JobState } from '../domain/state.js';
import { currentUpcasters } from '../upcasting/upcasters.js';
import { LineError, type Line } from './lines.js';

/*
 * What `replay` and `run` do with their lines, apart from where the lines come from and where the
 * output goes: each stops at the first bad line with a `LineError`, and nothing after it is applied.
 */

function parseJson(line: Line): unknown {
  try {
    return JSON.parse(line.text) as unknown;
  } catch (error) {
    throw new LineError(line.number, 'INVALID_INPUT', `malformed JSON: ${thrownText(error)}`);
  }
}

/** An input with no command in it (empty, or blank lines only): nothing to run, exit status 1. */
export class NoCommandsError extends Error {
  override readonly name = 'NoCommandsError';
}

/** What the other verb reads, to name it when a file of that kind is given to this one. */
interface Kind {
  readonly other: 'replay' | 'run';
  readonly looksLike: string;
  readonly types: readonly string[];
  readonly noun: string;
}
const EVENTS: Kind = {
  other: 'replay',
  looksLike: 'an event history',
  types: JOB_EVENT_TYPES,
  noun: 'event',
};
const COMMANDS: Kind = {
  other: 'run',
  looksLike: 'a file of commands',
  types: JOB_COMMAND_TYPES,
  noun: 'command',
};

/** The type of a JSON line when it is one the other verb reads (an event given to `run`…). */
function otherKind(raw: unknown, kind: Kind): string | null {
  if (typeof raw !== 'object' || raw === null || !('type' in raw)) return null;
  const { type } = raw;
  return typeof type === 'string' && kind.types.includes(type) ? type : null;
}

/**
 * The `LineError` of line `number` for a `DomainError` (anything else is rethrown: a bug); a line
 * of the other kind (an event where a command belongs, or the converse) names the verb that reads it.
 */
function lineError(number: number, error: unknown, raw?: unknown, other?: Kind): LineError {
  if (!isDomainError(error)) throw error;
  const type = other === undefined ? null : otherKind(raw, other);
  if (other !== undefined && type !== null)
    return new LineError(
      number,
      error.code,
      `this looks like ${other.looksLike} (${/^[AEIOU]/.test(type) ? 'an' : 'a'} ${type} ${other.noun}): use \`milestone-escrow ${other.other} FILE\``,
    );
  return new LineError(number, error.code, error.message);
}

/** Runs `step`, turning a `DomainError` into the `LineError` of line `number` (see `lineError`). */
function onLine<T>(number: number, step: () => T, raw?: unknown, other?: Kind): T {
  try {
    return step();
  } catch (error) {
    throw lineError(number, error, raw, other);
  }
}

/** The lines of a source, a chunk's worth at a time, and how many lines it had once read to the end. */
export interface LineSource {
  batches(): AsyncIterable<readonly Line[]>;
  readonly lineCount: number;
}

/**
 * Replays an NDJSON event history: each line is parsed (`parseOwnEvent`) and checked against every
 * rule (`createHistoryChecker`). A history that ends while an automatic refund is still owed
 * fails on the line after its last one, where the refund should have been. The state comes back
 * as the checker holds it, not frozen: the CLI prints it and exits.
 */
export async function replayLines(lines: LineSource): Promise<JobState> {
  // Each line's event is validated by parseOwnEvent below: not again by the checker.
  const checker = createTrustedChecker();
  for await (const batch of lines.batches()) {
    for (const line of batch) {
      const raw = parseJson(line);
      try {
        // The line's object is the CLI's own: validated and frozen in place, not copied.
        const event = parseOwnEvent(raw);
        // A schemaVersion newer than today's is a newer app's shape: refused, as replay does.
        if (event.metadata !== undefined) currentUpcasters.upcast(event);
        checker.push(event);
      } catch (error) {
        throw lineError(line.number, error, raw, COMMANDS);
      }
    }
  }
  return onLine(lines.lineCount + 1, () => checker.finishUnfrozen());
}

/**
 * Decides NDJSON commands one by one from the empty job: each line is validated (`parseCommand`)
 * and decided (an input without a command is a `NoCommandsError`), and its events are folded into the job before the next line. `onEvents` receives each
 * decision's events (all of them, or none) before the next line is read.
 *
 * The job is one private working copy that each decision's events are applied to (what `fold`
 * does, without copying the state once per command: a long run stays linear). It comes back as
 * it is, not frozen (as `replayLines`' does): the CLI prints it and exits, and freezing would
 * build its id tables' tries only to be read once.
 */
export async function runLines(
  lines: AsyncIterable<Line>,
  onEvents: (events: readonly JobEvent[]) => Promise<void> | void,
): Promise<JobState> {
  const working = emptyState() as Draft<JobState>;
  const state: JobState = working;
  let commands = 0;
  for await (const line of lines) {
    const raw = parseJson(line);
    const events = onLine(line.number, () => decideValid(parseCommand(raw), state), raw, EVENTS);
    for (const event of events) applyEvent(working, event);
    commands++;
    await onEvents(events);
  }
  if (commands === 0)
    throw new NoCommandsError(
      'has no commands: nothing to run (write one JSON command per line, starting with AwardJob; see docs/cli.md)',
    );
  return state;
}
