import * as v from 'valibot';
import { commandSchema, IdSchema } from '../shared/schema.js';

/** The platform's timer (or the freelancer) ends a review the client let run out (R15). */
export const ExpireReviewSchema = commandSchema(
  'ExpireReview',
  v.strictObject({ milestoneId: IdSchema }),
);

/**
 * The `ExpireReview` command: once a submitted milestone's review period has run out, the platform or the freelancer releases it as approved (R15).
 * @category Commands
 */
export interface ExpireReview extends v.InferOutput<typeof ExpireReviewSchema> {}
