/* What the validation tests assert: INVALID_INPUT naming the path, from parseCommand and decide. */
import { expect } from 'vitest';
import {
  decide,
  fold,
  parseCommand,
  type JobCommandInput,
  type JobState,
} from '../../src/index.js';
import { activeLogo, caught } from './helpers.js';

/** Asserts `fn` throws INVALID_INPUT naming `path` in its details and its message. */
export function expectInvalid(fn: () => unknown, path: string): void {
  const error = caught(fn);
  expect(error.code).toBe('INVALID_INPUT');
  expect(error.details.path).toBe(path);
  expect(error.message).toContain(path);
}

/**
 * `parseCommand` and `decide` (against a state where the command would otherwise be fine) both
 * reject it.
 */
export function expectInvalidCommand(
  command: unknown,
  path: string,
  state: JobState = fold(activeLogo()),
): void {
  expectInvalid(() => parseCommand(command), path);
  expectInvalid(() => decide(command as JobCommandInput, state), path);
}
