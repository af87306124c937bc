import type { JobEvent } from './events.js';
import { deepFreeze } from './shared/freeze.js';
import { fail } from './shared/errors.js';
import { describe, thrownText } from './shared/parse.js';

/**
 * Deep-freezes a trusted event in place and returns it, as `decide` and `parseEvent` leave theirs:
 * `fold` and `evolve` then share its data (a proposal's milestone list) with the state instead of
 * copying it. For events your own store has already validated; untrusted input goes through
 * {@link milestone-escrow!parseEvent}, which validates and freezes. The event's `metadata` values are left as
 * they are.
 *
 * @example
 * ```ts
 * import { fold, type JobEvent } from 'milestone-escrow';
 * import { freezeEvent } from 'milestone-escrow/store';
 *
 * const stored: JobEvent[] = [
 *   { type: 'JobAwarded', data: { jobId: 'logo', title: 'Logo design', clientId: 'clara', freelancerId: 'felix', currency: 'USD', at: '2014-11-03T09:00:00Z' } },
 * ];
 * const state = fold(stored.map(freezeEvent));
 * console.log(Object.isFrozen(stored[0]), state.job.award?.jobId); // true logo
 * ```
 */
export function freezeEvent<E extends JobEvent>(event: E): E {
  const given: unknown = event;
  if (typeof given !== 'object' || given === null)
    fail(
      'INVALID_INPUT',
      `an event is an object { type, data, metadata? }, not ${describe(given)}`,
      {
        path: '',
      },
    );
  try {
    deepFreeze(event.data);
    if (event.metadata !== undefined) Object.freeze(event.metadata);
    return Object.freeze(event);
  } catch (error) {
    // A revoked proxy, or a getter or proxy trap that throws: trusted, but never a TypeError.
    return fail('INVALID_INPUT', `an event that cannot be read: ${thrownText(error)}`, {
      path: '',
    });
  }
}
