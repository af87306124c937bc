import { describe, expect, it } from 'vitest';
import { hostileSetup } from './hostile-setup.js';
import { skipPostgres } from './database.js';

/* Hostile input (hostile-setup.ts says why): what a failed send rejects with, and a stop on one. */

describe.skipIf(skipPostgres)('PostgreSQL live parts, used with hostile input', () => {
  const live = hostileSetup('hostile_sends');

  describe('a send that rejects with something that is not a plain Error', () => {
    const reasons: Record<string, () => unknown> = {
      'an object without a prototype (String() throws)': (): unknown => Object.create(null),
      'an Error whose message holds U+0000 (a text column refuses it)': () =>
        new Error('provider said \u0000 503'),
      'an Error whose message getter throws': () =>
        Object.defineProperty(new Error('x'), 'message', {
          get() {
            throw new Error('getter');
          },
        }),
      'an Error whose message is an object': () =>
        Object.assign(new Error('x'), { message: { status: 503 } }),
    };
    for (const [label, reason] of Object.entries(reasons)) {
      it(`${label}: recorded, retried after its delay and parked after maxAttempts (it was tried for ever)`, async () => {
        await live.drive();
        let sends = 0;
        const d = live.dispatcher({
          maxAttempts: 2,
          retryDelay: () => 10,
          send: () => {
            sends += 1;
            // eslint-disable-next-line @typescript-eslint/prefer-promise-reject-errors -- the point: a provider's SDK rejecting with anything
            return Promise.reject(reason());
          },
        });
        await d.outbox.catchUp();
        const queued = (await d.counts()).pending;
        expect(queued).toBeGreaterThan(1);
        expect(await d.deliver()).toEqual({
          claimed: queued,
          sent: 0,
          retrying: queued,
          dead: 0,
          reclaimed: 0,
        });
        live.clock.advance(10);
        expect(await d.deliver()).toEqual({
          claimed: queued,
          sent: 0,
          retrying: 0,
          dead: queued,
          reclaimed: 0,
        });
        live.clock.advance(1_000_000);
        expect((await d.deliver()).claimed).toBe(0);
        expect(sends).toBe(2 * queued);
        const dead = await d.deadLetters();
        expect(dead).toHaveLength(queued);
        for (const letter of dead) {
          expect(typeof letter.lastError).toBe('string');
          expect(letter.lastError).not.toContain('\u0000');
        }
      });
    }
  });

  it('a dispatcher that stops on a failed send stops once its other claimed sends have finished (it stopped with one in flight)', async () => {
    await live.drive();
    let release: (() => void) | undefined;
    let sends = 0;
    let slowDone = false;
    const errors: unknown[] = [];
    const slowDoneAtStop: boolean[] = [];
    const d = live.dispatcher({
      claimSize: 2,
      // No delay: a stop (INVALID_INPUT). Let every promise step of the failure run first.
      retryDelay: () => {
        setImmediate(() => release?.());
        return Number.NaN;
      },
      send: async () => {
        sends += 1;
        if (sends === 1) {
          await new Promise<void>((resolve) => {
            release = resolve;
          });
          slowDone = true;
          return;
        }
        throw new Error('provider said 503');
      },
      onError: (error) => {
        errors.push(error);
        if (errors.length === 2) slowDoneAtStop.push(slowDone);
      },
    });
    const stopped = await d.start().then(
      () => undefined,
      (error: unknown) => error,
    );
    expect(stopped).toMatchObject({ code: 'INVALID_INPUT', details: { path: 'retryDelay' } });
    expect(slowDone).toBe(true);
    expect(slowDoneAtStop).toEqual([true]);
    const { rows } = await live.db.pool.query(
      `SELECT status FROM "${live.db.schema}".notification_deliveries WHERE status = 'sent'`,
    );
    expect(rows).toHaveLength(1);
  });
});
