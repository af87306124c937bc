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
import { awardedLogo, cmd, LOGO } from './helpers.js';

function revoked(): never {
  const { proxy, revoke } = Proxy.revocable({}, {});
  revoke();
  return proxy as never;
}

async function rejection(run: () => Promise<unknown>): Promise<unknown> {
  return run().then(
    () => null,
    (error: unknown) => error,
  );
}

describe('a revoked proxy where an object belongs', () => {
  const award = cmd.award(LOGO);

  it("handle's options: INVALID_INPUT at options (was a TypeError)", async () => {
    const jobs = createCommandHandler({ store: createInMemoryEventStore() });
    expect(await rejection(() => jobs.handle(LOGO.jobId, award, revoked()))).toMatchObject({
      code: 'INVALID_INPUT',
      details: { path: 'options' },
    });
  });

  it("handle's options.metadata: INVALID_INPUT at metadata (was a TypeError)", async () => {
    const jobs = createCommandHandler({ store: createInMemoryEventStore() });
    expect(
      await rejection(() => jobs.handle(LOGO.jobId, award, { metadata: revoked() })),
    ).toMatchObject({ code: 'INVALID_INPUT', details: { path: 'metadata' } });
  });

  it("handle's options.metadata that is an array is still INVALID_INPUT at metadata", async () => {
    const jobs = createCommandHandler({ store: createInMemoryEventStore() });
    expect(
      await rejection(() => jobs.handle(LOGO.jobId, award, { metadata: [] as never })),
    ).toMatchObject({ code: 'INVALID_INPUT', details: { path: 'metadata' } });
  });

  it("upcast's options: INVALID_INPUT (was a TypeError)", () => {
    const event = awardedLogo()[0] as JobEvent;
    let thrown: unknown = null;
    try {
      currentUpcasters.upcast(event, revoked());
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toMatchObject({ code: 'INVALID_INPUT' });
  });
});
