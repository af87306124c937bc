import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isDomainError, type JobCommandInput } from '../../src/index.js';
import { createCommandHandler } from '../../src/handler/command-handler.js';
import { commandHash } from '../../src/handler/idempotency.js';
import { OWNED_METADATA_KEYS } from '../../src/handler/metadata.js';
import { canonicalJson } from '../../src/handler/fingerprint.js';
import { createInMemoryEventStore } from '../../src/store/memory.js';
import { at, award, CLIENT, FREELANCER, JOB, propose } from '../app/histories.js';

/*
 * Issue 16 in the command handler: idempotency fingerprints that collided (D6) and metadata that
 * planted the handler's own keys (D9).
 */

async function failure(promise: Promise<unknown>): Promise<{ code: string; path: unknown }> {
  try {
    await promise;
  } catch (error) {
    if (isDomainError(error)) return { code: error.code, path: error.details.path };
    throw error;
  }
  throw new Error('expected a DomainError');
}

const fund: JobCommandInput = {
  type: 'FundMilestone',
  actor: CLIENT,
  at: at(3),
  data: { milestoneId: 'm1', fundingId: 'f1', source: 'card:visa-4242' },
};
const release: JobCommandInput = {
  type: 'ReleaseFunds',
  actor: CLIENT,
  at: at(4),
  data: { milestoneId: 'm1' },
};

async function funded() {
  const store = createInMemoryEventStore();
  const handler = createCommandHandler({ store });
  await handler.handle(JOB, award());
  await handler.handle(JOB, propose('p1', [['m1', 7500]]));
  await handler.handle(JOB, {
    type: 'AcceptTerms',
    actor: FREELANCER,
    at: at(2),
    data: { proposalId: 'p1' },
  });
  return { store, handler };
}

describe('D6: idempotency fingerprints are canonical JSON of plain data', () => {
  it('D6: an explicit undefined fingerprint is no fingerprint: a release under the funding key is not answered as the funding', async () => {
    const { handler } = await funded();
    const first = await handler.handle(JOB, fund, {
      idempotencyKey: 'K',
      idempotencyFingerprint: undefined,
    });
    expect(first.replayed).toBe(false);
    expect(
      await failure(
        handler.handle(JOB, release, { idempotencyKey: 'K', idempotencyFingerprint: undefined }),
      ),
    ).toMatchObject({ code: 'IDEMPOTENCY_KEY_REUSED' });
    // The same funding again is still its replay.
    const again = await handler.handle(JOB, fund, { idempotencyKey: 'K' });
    expect([again.replayed, again.version]).toEqual([true, first.version]);
  });

  it('D6: values JSON cannot keep as they are are INVALID_INPUT, never a collision, a RangeError or a TypeError', async () => {
    const cyclic: Record<string, unknown> = {};
    cyclic['self'] = cyclic;
    const getter = Object.defineProperty({}, 'x', { get: () => 1, enumerable: true });
    const bad: unknown[] = [
      undefined,
      new Date(0),
      new Map([[1, 2]]),
      new Set(),
      NaN,
      Infinity,
      10n,
      Symbol('s'),
      () => 1,
      cyclic,
      [undefined],
      [1, , 3], // eslint-disable-line no-sparse-arrays
      { a: new Date(1) },
      getter,
      new (class Point {
        x = 1;
      })(),
    ];
    for (const value of bad) {
      await expect(commandHash(value)).rejects.toMatchObject({ code: 'INVALID_INPUT' });
    }
    const { handler } = await funded();
    for (const value of [new Date(1), 10n, cyclic]) {
      expect(
        await failure(
          handler.handle(JOB, fund, { idempotencyKey: 'K2', idempotencyFingerprint: value }),
        ),
      ).toEqual({
        code: 'INVALID_INPUT',
        path: expect.stringMatching(/^idempotencyFingerprint/) as unknown,
      });
    }
  });

  it('D6: deep nesting is INVALID_INPUT, not a stack overflow', async () => {
    let deep: unknown = 1;
    for (let i = 0; i < 200_000; i++) deep = [deep];
    await expect(commandHash(deep)).rejects.toMatchObject({ code: 'INVALID_INPUT' });
  });

  it('D6: property: two plain values hash alike exactly when their JSON is equal up to key order', async () => {
    const plain = fc.jsonValue({ maxDepth: 3 });
    await fc.assert(
      fc.asyncProperty(plain, plain, async (a, b) => {
        const sameJson = canonicalJson(a) === canonicalJson(b);
        expect((await commandHash(a)) === (await commandHash(b))).toBe(sameJson);
        // Canonical JSON is JSON: it parses back to the value (-0 aside: JSON writes 0).
        expect(JSON.parse(canonicalJson(a))).toEqual(JSON.parse(JSON.stringify(a)));
      }),
    );
  });

  it('D6: key order and undefined object values do not change the hash; null is a value', async () => {
    expect(await commandHash({ a: 1, b: [null, 'x'] })).toBe(
      await commandHash({ b: [null, 'x'], c: undefined, a: 1 }),
    );
    expect(await commandHash(null)).not.toBe(await commandHash({}));
    expect(await commandHash('\ud800')).not.toBe(await commandHash('\udc00'));
  });
});

describe('D9: metadata cannot plant the keys the handler or the store owns', () => {
  it('D9: options.metadata with idempotencyKey and commandHash is INVALID_INPUT and appends nothing', async () => {
    const { store, handler } = await funded();
    const before = await store.streamVersion(handler.streamIdOf(JOB));
    expect(
      await failure(
        handler.handle(JOB, fund, { metadata: { idempotencyKey: 'K', commandHash: 'x' } }),
      ),
    ).toEqual({ code: 'INVALID_INPUT', path: 'metadata.idempotencyKey' });
    expect(await store.streamVersion(handler.streamIdOf(JOB))).toBe(before);
    // The first genuine use of the key is the funding itself (it was IDEMPOTENCY_KEY_REUSED).
    const genuine = await handler.handle(JOB, fund, { idempotencyKey: 'K' });
    expect(genuine.replayed).toBe(false);
  });

  it.each(OWNED_METADATA_KEYS)('D9: metadata key %s is refused', async (key) => {
    const { handler } = await funded();
    expect(await failure(handler.handle(JOB, fund, { metadata: { [key]: 'x' } }))).toEqual({
      code: 'INVALID_INPUT',
      path: `metadata.${key}`,
    });
  });

  it('D10: the handler refuses metadata keys __proto__, constructor and prototype', async () => {
    const { handler } = await funded();
    for (const text of ['{"__proto__":1}', '{"constructor":1}', '{"prototype":1}']) {
      const metadata = JSON.parse(text) as Record<string, unknown>;
      expect(await failure(handler.handle(JOB, fund, { metadata }))).toMatchObject({
        code: 'INVALID_INPUT',
      });
    }
  });

  it("D9: the app's own keys are recorded as given", async () => {
    const { store, handler } = await funded();
    await handler.handle(JOB, fund, { metadata: { tenant: 'acme' } });
    const events = [];
    for await (const e of store.readStream(handler.streamIdOf(JOB))) events.push(e);
    expect(events.at(-1)?.metadata['tenant']).toBe('acme');
  });
});

describe('D4: the handler checks its expectedVersion as the stores do', () => {
  it('D4: an If-Match of 1.5, NaN, -1 or 2^31 is INVALID_INPUT, not CONCURRENCY_CONFLICT', async () => {
    const { store, handler } = await funded();
    for (const expectedVersion of [1.5, Number.NaN, -1, 2 ** 31]) {
      expect(await failure(handler.handle(JOB, fund, { expectedVersion }))).toEqual({
        code: 'INVALID_INPUT',
        path: 'expectedVersion',
      });
    }
    expect(await store.streamVersion(handler.streamIdOf(JOB))).toBe(3);
    expect(await failure(handler.handle(JOB, fund, { expectedVersion: 2 }))).toMatchObject({
      code: 'CONCURRENCY_CONFLICT',
    });
  });
});

describe('found by the fuzz suite', () => {
  it('a job id that is not a string is INVALID_INPUT (a null-prototype object threw a TypeError while the message was written)', async () => {
    const { handler } = await funded();
    for (const jobId of [Object.create(null) as object, 5, null, undefined, Symbol('job')]) {
      expect(await failure(handler.handle(jobId as never, fund))).toEqual({
        code: 'INVALID_INPUT',
        path: 'jobId',
      });
      expect(await failure(handler.load(jobId as never))).toEqual({
        code: 'INVALID_INPUT',
        path: 'jobId',
      });
    }
  });
});

describe('found by the fuzz suite (2)', () => {
  it('an expectedVersion of [[Symbol()], 0n] is INVALID_INPUT (writing its message threw a TypeError)', async () => {
    const { handler } = await funded();
    expect(
      await failure(handler.handle(JOB, fund, { expectedVersion: [[Symbol('s')], 0n] as never })),
    ).toEqual({ code: 'INVALID_INPUT', path: 'expectedVersion' });
  });
});

describe('found by the fuzz suite (3)', () => {
  it('options.metadata with a getter that throws is INVALID_INPUT and appends nothing (the getter’s own error escaped handle())', async () => {
    const { store, handler } = await funded();
    const before = await store.streamVersion(handler.streamIdOf(JOB));
    const metadata = Object.defineProperty({}, 'tenant', {
      enumerable: true,
      get(): never {
        throw new Error('a getter that throws');
      },
    });
    expect(await failure(handler.handle(JOB, fund, { metadata }))).toEqual({
      code: 'INVALID_INPUT',
      path: 'metadata',
    });
    expect(await store.streamVersion(handler.streamIdOf(JOB))).toBe(before);
    // A getter that answers is read once, as data.
    let reads = 0;
    const counted = Object.defineProperty({}, 'tenant', {
      enumerable: true,
      get(): string {
        reads += 1;
        return 'acme';
      },
    });
    await handler.handle(JOB, fund, { metadata: counted });
    expect(reads).toBe(1);
  });
});

describe('hostile handle() options (harden6)', () => {
  it("handle's options that are not an object are INVALID_INPUT at options, never a TypeError, and append nothing", async () => {
    const { store, handler } = await funded();
    const before = await store.streamVersion(handler.streamIdOf(JOB));
    for (const options of ['k', 5, null, true, Symbol('s'), 1n, [{ idempotencyKey: 'k' }]])
      expect(await failure(handler.handle(JOB, fund, options as never))).toEqual({
        code: 'INVALID_INPUT',
        path: 'options',
      });
    const throwing = new Proxy(
      {},
      {
        get(): never {
          throw new Error('a proxy that throws');
        },
      },
    );
    expect(await failure(handler.handle(JOB, fund, throwing))).toEqual({
      code: 'INVALID_INPUT',
      path: 'options',
    });
    expect(await store.streamVersion(handler.streamIdOf(JOB))).toBe(before);
    // Left out, or undefined, is no options at all.
    expect((await handler.handle(JOB, fund, undefined)).version).toBe(before + 1);
  });

  it('a command, correlation or causation id that is not 1–255 characters of text is INVALID_INPUT naming it (a Symbol dropped the commandId from the events)', async () => {
    const { store, handler } = await funded();
    const before = await store.streamVersion(handler.streamIdOf(JOB));
    for (const name of ['commandId', 'correlationId', 'causationId'])
      for (const id of [Symbol('s'), 1n, {}, 5, '', 'x'.repeat(256), '\ud800'])
        expect(await failure(handler.handle(JOB, fund, { [name]: id }))).toEqual({
          code: 'INVALID_INPUT',
          path: name,
        });
    expect(await store.streamVersion(handler.streamIdOf(JOB))).toBe(before);
    await handler.handle(JOB, fund, { commandId: 'x'.repeat(255) });
    let last: unknown;
    for await (const e of store.readStream(handler.streamIdOf(JOB))) last = e.metadata['commandId'];
    expect(last).toBe('x'.repeat(255));
  });

  it('an app newId that makes no id is INVALID_INPUT at newId(), before anything is appended', async () => {
    const store = createInMemoryEventStore();
    const handler = createCommandHandler({ store, newId: () => Symbol('id') as never });
    expect(await failure(handler.handle(JOB, award()))).toEqual({
      code: 'INVALID_INPUT',
      path: 'newId()',
    });
    expect(await store.streamVersion(handler.streamIdOf(JOB))).toBe(0);
  });
});
