import * as v from 'valibot';
import { ActorRoleSchema, eventSchema, IdSchema, InstantSchema } from '../shared/schema.js';

/**
 * The client let a milestone's review run out and is deemed to have approved it; the release of
 * the whole milestone follows in the same decision (R15).
 */
export const ReviewExpiredSchema = eventSchema(
  'ReviewExpired',
  v.strictObject({
    milestoneId: IdSchema,
    by: ActorRoleSchema,
    dueAt: InstantSchema,
    at: InstantSchema,
  }),
);

/**
 * The `ReviewExpired` event: a milestone's review period ran out (`dueAt`); its release follows (R15).
 * @category Events
 */
export interface ReviewExpired extends v.InferOutput<typeof ReviewExpiredSchema> {}
