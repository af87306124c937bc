import { describe, expect, it } from 'vitest';
import { createCommandHandler, createInMemoryEventStore } from '../../src/index.js';
import { award, refusal } from './hostile.js';

/*
 * Session 16's attack on handle's options: an idempotency key, a command, correlation or
 * causation id holding U+0000 passed their check (1–255 characters of well-formed text) and was
 * then refused by the store, at `events.0.metadata`, a path the caller never wrote; docs/app.md
 * says such an option is INVALID_INPUT naming it. Every store refuses U+0000 in metadata
 * (PostgreSQL cannot keep it), so it is refused where it is given, as a stream id's is.
 */

describe("handle's message ids and idempotency key holding U+0000", () => {
  for (const option of ['idempotencyKey', 'commandId', 'correlationId', 'causationId'] as const) {
    it(`${option}: INVALID_INPUT at ${option}, nothing appended`, async () => {
      const store = createInMemoryEventStore();
      const handler = createCommandHandler({ store });
      expect(await refusal(() => handler.handle('j1', award, { [option]: 'a\u0000b' }))).toEqual([
        'INVALID_INPUT',
        option,
      ]);
      expect(await store.streamVersion('job-j1')).toBe(0);
    });
  }

  it('newId() answering an id with U+0000: INVALID_INPUT at newId()', async () => {
    const handler = createCommandHandler({
      store: createInMemoryEventStore(),
      newId: () => 'id\u0000',
    });
    expect(await refusal(() => handler.handle('j1', award))).toEqual(['INVALID_INPUT', 'newId()']);
  });
});
