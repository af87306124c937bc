/*
 * The object checks of an app's arguments, made one helper (`isRecord`, session 15) when the
 * array checks were added: three of them asked `Array.isArray`, which throws a TypeError on a
 * revoked proxy (`typeof` says "object"). Each is INVALID_INPUT naming the argument now.
 */
import { describe, expect, it } from 'vitest';
import {
  createCommandHandler,
  createInMemoryEventStore,
  currentUpcasters,
  type JobEvent,
} from '../../src/index.js';
import { refusal, revoked } from '../hardening/hostile.js';
import { awardedLogo, cmd, LOGO } from './helpers.js';

describe('a revoked proxy where an object belongs', () => {
  const award = cmd.award(LOGO);
  const jobs = () => createCommandHandler({ store: createInMemoryEventStore() });

  it("handle's options: INVALID_INPUT at options (was a TypeError)", async () => {
    const handler = jobs();
    expect(await refusal(() => handler.handle(LOGO.jobId, award, revoked() as never))).toEqual([
      'INVALID_INPUT',
      'options',
    ]);
  });

  it("handle's options.metadata: INVALID_INPUT at metadata (was a TypeError)", async () => {
    const handler = jobs();
    const metadata = revoked() as never;
    expect(await refusal(() => handler.handle(LOGO.jobId, award, { metadata }))).toEqual([
      'INVALID_INPUT',
      'metadata',
    ]);
  });

  it("handle's options.metadata that is an array is still INVALID_INPUT at metadata", async () => {
    const handler = jobs();
    const metadata = [] as never;
    expect(await refusal(() => handler.handle(LOGO.jobId, award, { metadata }))).toEqual([
      'INVALID_INPUT',
      'metadata',
    ]);
  });

  it("upcast's options: INVALID_INPUT (was a TypeError)", async () => {
    const event = awardedLogo()[0] as JobEvent;
    const outcome = await refusal(() => currentUpcasters.upcast(event, revoked()));
    expect(outcome).toEqual(['INVALID_INPUT', 'validate']);
  });
});
