import { describe, expect, it } from 'vitest';
import { createCommandHandler, createInMemoryEventStore } from '../../src/index.js';
import { refusal, revoked } from './hostile.js';

/*
 * Session 16's sweep of the methods of what the factories return: the command handler's
 * `streamIdOf(jobId)` was the bare default (`job-${jobId}`), unchecked where `handle` and `load`
 * check the job id, so a Symbol or a revoked proxy was a TypeError and an object was the stream
 * `job-[object Object]`.
 */

describe("the command handler's streamIdOf given what is not a job id", () => {
  const handler = createCommandHandler({ store: createInMemoryEventStore() });
  for (const [what, jobId] of [
    ['a Symbol', () => Symbol('job')],
    ['a revoked proxy', revoked],
    ['an object', () => ({})],
  ] as const) {
    it(`${what}: INVALID_INPUT at jobId, as handle and load answer`, async () => {
      expect(await refusal(() => handler.streamIdOf(jobId() as never))).toEqual([
        'INVALID_INPUT',
        'jobId',
      ]);
      expect(await refusal(() => handler.load(jobId() as never))).toEqual([
        'INVALID_INPUT',
        'jobId',
      ]);
    });
  }

  it('a job id is its stream as before', () => {
    expect(handler.streamIdOf('logo')).toBe('job-logo');
  });
});
