/*
 * handle: one command through the command handler (load, decide, append). Waits for the
 * command handler (issue 3) to land on main.
 */
import type { Table } from '../report.js';
import type { Verdict } from '../targets.js';

export interface HandleOptions {
  readonly check: boolean;
  readonly rounds: number;
  readonly log: (line: string) => void;
}

export function handleWorkloads(options: HandleOptions): Promise<{ tables: Table[]; verdicts: Verdict[] }> {
  options.log('handle: the command handler is not on main yet; skipped');
  return Promise.resolve({ tables: [], verdicts: [] });
}

/** The handler's side of a handle workload, for the profiler. */
export function profileHandle(which: 'small' | 'long'): Promise<() => Promise<unknown>> {
  return Promise.reject(new Error(`handle.${which}: the command handler is not on main yet`));
}
