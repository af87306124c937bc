import { expect } from 'vitest';
import type { JobCommandInput } from '../../src/index.js';
import { decideAll } from '../../src/testing/index.js';
import {
  ACCESS_JOB,
  ACCESS_MARKETPLACE,
  ACCESS_TERMS,
  SEED_CARD,
  SEED_CAST,
  SEED_PAYPAL,
} from '../../src/testing/seed.js';

/*
 * The Microsoft Access job is written once, in src/testing/seed.ts; the guides and the examples
 * write it out in full (they read whole as printed), and this holds each of their stories to it:
 * the same award (ids, title, currency, the cast, the platform and fee on a marketplace), the same
 * terms in force (ids, titles, dates, amounts), only the cast acting and only the client's own
 * payment sources.
 */

/** Fails unless `commands` (a story told outside the seed) tell of the seed's Access job. */
export function expectSeedAccessJob(commands: readonly unknown[], onMarketplace: boolean): void {
  const story = commands as readonly JobCommandInput[];
  const award = story[0];
  expect(award?.type).toBe('AwardJob');
  expect(award?.data).toEqual(
    onMarketplace ? { ...ACCESS_JOB, ...ACCESS_MARKETPLACE } : ACCESS_JOB,
  );
  const cast = [
    SEED_CAST.client,
    SEED_CAST.freelancer,
    ...(onMarketplace ? [SEED_CAST.platform] : []),
  ];
  for (const command of story) expect(cast).toContain(command.actor);
  for (const command of story)
    if (command.type === 'FundMilestone')
      expect([SEED_CARD, SEED_PAYPAL]).toContain(command.data.source);
  const seedTitles = new Map(ACCESS_TERMS.map((m) => [m.milestoneId, m.title]));
  for (const command of story)
    if (command.type === 'ProposeTerms')
      for (const m of command.data.milestones) expect(seedTitles.get(m.milestoneId)).toBe(m.title);
  const { state } = decideAll(story);
  expect(state.terms.active?.milestones).toEqual(
    ACCESS_TERMS.map((m) => ({ ...m, description: m.description ?? '' })),
  );
}
