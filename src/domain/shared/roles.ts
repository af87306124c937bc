import { fail } from './errors.js';
import type { Role } from './schema.js';

/** The role a party plays in the job, or `NOT_A_PARTY` (spec §1). */
export function roleOf(
  award: { readonly clientId: string; readonly freelancerId: string },
  actor: string,
): Role {
  if (actor === award.clientId) return 'client';
  if (actor === award.freelancerId) return 'freelancer';
  return fail('NOT_A_PARTY', `${actor} is neither the client nor the freelancer of this job.`, {
    actor,
  });
}

/** Rejects a command the role may not issue (`FORBIDDEN`). */
export function requireRole(
  role: Role,
  required: Role,
  action: string,
  rule: import('./errors.js').RuleId,
): void {
  if (role !== required)
    fail('FORBIDDEN', `Only the ${required} may ${action}; this actor is the ${role}.`, {
      rule,
      role,
    });
}

export function otherRole(role: Role): Role {
  return role === 'client' ? 'freelancer' : 'client';
}
