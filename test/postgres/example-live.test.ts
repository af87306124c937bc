import { describe, expect, it } from 'vitest';
import { passed, runMarketplace } from '../../examples/live/marketplace.js';
import { DATABASE_URL, skipPostgres } from './database.js';

/*
 * `npm run example:live` at a small scale (24 jobs, 2 writers): separate writer, consumer,
 * dispatcher and timer processes (examples/live/process.ts, spawned by the marketplace) on one database, the consumer and the dispatcher SIGKILLed
 * mid-work and restarted; nothing lost, the read model equals the fold, no timer acted twice.
 */
describe.skipIf(skipPostgres)('examples/live/marketplace.ts (npm run example:live)', () => {
  it('runs a marketplace through crashes: nothing lost, the read model equals the fold, timers act once', async () => {
    const result = await runMarketplace(DATABASE_URL, 24, 2);
    expect(result).toMatchObject({
      jobs: 24,
      notifications: { lost: 0 },
      readModel: { rows: 24, matchesFold: true },
      timerDoubleActs: 0,
      restarts: 2,
    });
    expect(result.notifications.delivered).toBe(result.notifications.expected);
    expect(result.autoReleased).toBe(6);
    expect(passed(result)).toBe(true);
  }, 180_000);
});
