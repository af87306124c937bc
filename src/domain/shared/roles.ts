import { fail, type RuleId } from './errors.js';
import type { ActorRole, Role } from './schema.js';

/** The platform's id when the award names none (spec §7). */
export const DEFAULT_PLATFORM_ID = 'platform';

/**
 * The role an actor plays in the job, in the spec's order (§7): client, freelancer, platform,
 * else `NOT_A_PARTY` (so a party named `platform` keeps its role).
 */
export function roleOf(
  award: {
    readonly clientId: string;
    readonly freelancerId: string;
    readonly platformId?: string | undefined;
  },
  actor: string,
): ActorRole {
  if (actor === award.clientId) return 'client';
  if (actor === award.freelancerId) return 'freelancer';
  if (actor === (award.platformId ?? DEFAULT_PLATFORM_ID)) return 'platform';
  return fail(
    'NOT_A_PARTY',
    `${actor} is neither the client, the freelancer nor the platform of this job.`,
    { actor },
  );
}

/** Rejects a command the role may not issue (`FORBIDDEN`). */
export function requireRole(role: ActorRole, required: Role, action: string, rule: RuleId): void {
  if (role !== required)
    fail('FORBIDDEN', `Only the ${required} may ${action}; this actor is the ${role}.`, {
      rule,
      role,
    });
}

/** Rejects a platform command of a party: only the platform's timers and mediators issue it. */
export function requireParty(role: ActorRole, action: string, rule: RuleId): Role {
  if (role === 'platform')
    fail('FORBIDDEN', `The platform may not ${action}: only the client or the freelancer may.`, {
      rule,
      role,
    });
  return role;
}

export function otherRole(role: Role): Role {
  return role === 'client' ? 'freelancer' : 'client';
}
