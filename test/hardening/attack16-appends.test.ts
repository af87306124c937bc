import { describe, expect, it } from 'vitest';
import { createInMemoryEventStore, type JobEvent } from '../../src/index.js';
import { freezeEvent, prepareAppend } from '../../src/store/index.js';
import type { RecordedEvent } from '../../src/store/port.js';
import { refusal, revoked, typeThatChanges } from './hostile.js';

/*
 * Session 16's attack on the stores' shared append checks (src/store/append-rules.ts): the
 * events as a revoked proxy were a TypeError (`Array.isArray` throws on one) where any other
 * non-array is INVALID_INPUT at events; an event's `type` was read three times, so a getter that
 * answered a good type and then a number had the number stored unchecked (the in-memory store
 * recorded a type of 42, PostgreSQL the text "42"). test/postgres/attack16-appends.test.ts holds
 * PostgreSQL to the same. And freezeEvent (the store writers' helper, for trusted events) let a
 * TypeError out for an event it could not read.
 */

describe('an append given hostile events', () => {
  it('a revoked proxy as the events is INVALID_INPUT at events, not a TypeError', async () => {
    expect(await refusal(() => prepareAppend('s-1', revoked(), 'any'))).toEqual([
      'INVALID_INPUT',
      'events',
    ]);
    const store = createInMemoryEventStore();
    expect(
      await refusal(() =>
        store.appendToStream('s-1', revoked() as never, { expectedVersion: 'any' }),
      ),
    ).toEqual(['INVALID_INPUT', 'events']);
    expect(await store.streamVersion('s-1')).toBe(0);
  });

  it("reads an event's type once: the type checked is the type stored", async () => {
    expect(prepareAppend('s-1', [typeThatChanges()], 'any')[0]?.type).toBe('Counted');
    const store = createInMemoryEventStore();
    await store.appendToStream('s-1', [typeThatChanges()], { expectedVersion: 'any' });
    const read: RecordedEvent[] = [];
    for await (const event of store.readStream('s-1')) read.push(event);
    expect(read.map((event) => event.type)).toEqual(['Counted']);
  });
});

describe("freezeEvent, a store writer's helper, given what it cannot read", () => {
  it('a revoked proxy, or an event whose data getter throws, is INVALID_INPUT, not a TypeError', async () => {
    expect(await refusal(() => freezeEvent(revoked() as JobEvent))).toEqual(['INVALID_INPUT', '']);
    const event = {
      type: 'JobClosed',
      get data(): never {
        throw new TypeError('a data getter that throws');
      },
    };
    expect(await refusal(() => freezeEvent(event as unknown as JobEvent))).toEqual([
      'INVALID_INPUT',
      '',
    ]);
  });
});
