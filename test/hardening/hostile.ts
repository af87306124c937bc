/*
 * What the hardening tests hand the library and how they read its answer, written once: the
 * hostile values, and a refusal as its code and path (or what else came out).
 */
import { isDomainError, type JobCommandInput } from '../../src/index.js';
import { thrownText } from '../../src/domain/shared/parse.js';
import type { EventToAppend } from '../../src/store/port.js';

/** A valid first command (job `j1`), for the attacks that need the handler to get past it. */
export const award: JobCommandInput = {
  type: 'AwardJob',
  actor: 'clara',
  at: '2014-11-03T09:00:00Z',
  data: { jobId: 'j1', title: 'T', clientId: 'clara', freelancerId: 'felix', currency: 'USD' },
};

/** A proxy whose every operation throws a TypeError (`instanceof`, property reads, `String`). */
export function revoked(): object {
  const { proxy, revoke } = Proxy.revocable({}, {});
  revoke();
  return proxy;
}

/**
 * How a call ended: `'accepted'`, a `DomainError` as `[code, details.path]`, or anything else
 * thrown, named (read safely: what was thrown may be a revoked proxy).
 */
export async function refusal(run: () => unknown): Promise<unknown> {
  try {
    await run();
    return 'accepted';
  } catch (error) {
    return isDomainError(error)
      ? [error.code, error.details.path]
      : `not a DomainError: ${Object.prototype.toString.call(error)} ${thrownText(error)}`;
  }
}

/** An event whose `type` answers 'Counted' the first time it is read, then 42. */
export function typeThatChanges(): EventToAppend {
  let reads = 0;
  return {
    get type() {
      reads += 1;
      return (reads === 1 ? 'Counted' : 42) as unknown as string;
    },
    data: { i: 1 },
  };
}
