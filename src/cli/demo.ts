import type { JobCommandInput } from '../domain/commands.js';
import { decide, fold, initialState } from '../domain/decider.js';
import type { JobEvent } from '../domain/events.js';
import type { JobState } from '../domain/state.js';
import { appendAll } from '../domain/shared/copies.js';
import { commandsOf, logoDesignScript } from '../testing/seed.js';

/*
 * The demo: the seed's logo-design job (spec §6) played end to end by deciding commands. The story
 * is written once, in `src/testing/seed.ts`, which the `logoDesign` fixture plays too.
 */

/** The demo's commands, in order (also in `examples/logo-design.commands.ndjson`). */
export function logoDesignCommands(): JobCommandInput[] {
  return commandsOf(logoDesignScript());
}

/** Plays the demo in memory: every command decided against the job so far. */
export function playDemo(): { readonly state: JobState; readonly events: readonly JobEvent[] } {
  let state = initialState();
  const events: JobEvent[] = [];
  for (const command of logoDesignCommands()) {
    const decided = decide(command, state);
    state = fold(decided, state);
    appendAll(events, decided);
  }
  return { state, events };
}
