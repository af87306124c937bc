/*
 * An array where the wire format has an object (session 15). valibot's object and record schemas
 * take an array and read only the keys they know, so `"data": []` was a `CloseJob` without a
 * reason (and closed the job), `"metadata": []` empty metadata, and `readStream(id, [])` the
 * default bounds. Each is INVALID_INPUT at the object's path now, through the public API.
 */
import { describe, expect, it } from 'vitest';
import {
  createInMemoryEventStore,
  decide,
  fold,
  JOB_COMMAND_TYPES,
  JOB_EVENT_TYPES,
  parseCommand,
  parseEvent,
  verifyHistory,
  type JobCommandInput,
  type JobEvent,
} from '../../src/index.js';
import { activeLogo, AT, awardedLogo, caught, CLIENT } from './helpers.js';

const ARRAY_MESSAGE = /expected an object, got an array/;

describe("a command's data that is an array", () => {
  it('CloseJob with "data": [] (JSON text) is INVALID_INPUT at data, and closes nothing', () => {
    const text = `{"type":"CloseJob","actor":"${CLIENT}","at":"${AT}","data":[]}`;
    const error = caught(() => parseCommand(JSON.parse(text)));
    expect([error.code, error.details.path]).toEqual(['INVALID_INPUT', 'data']);
    expect(error.message).toMatch(ARRAY_MESSAGE);
    const state = fold(awardedLogo());
    const decided = caught(() => decide(JSON.parse(text) as JobCommandInput, state));
    expect([decided.code, decided.details.path]).toEqual(['INVALID_INPUT', 'data']);
  });

  it('every command type: an array as data is INVALID_INPUT at data, not a missing field', () => {
    for (const type of JOB_COMMAND_TYPES) {
      const error = caught(() => parseCommand({ type, actor: CLIENT, at: AT, data: [] }));
      expect([type, error.code, error.details.path]).toEqual([type, 'INVALID_INPUT', 'data']);
    }
  });

  it('an array given the fields as properties is refused too (a JavaScript caller)', () => {
    const data = Object.assign([], { reason: 'done' });
    const error = caught(() => parseCommand({ type: 'CloseJob', actor: CLIENT, at: AT, data }));
    expect([error.code, error.details.path]).toEqual(['INVALID_INPUT', 'data']);
  });
});

describe("an event's data or metadata that is an array", () => {
  const awarded = (): JobEvent => awardedLogo()[0] as JobEvent;

  it('"metadata": [] (JSON text) is INVALID_INPUT at metadata, in parseEvent and verifyHistory', () => {
    const text = JSON.stringify({ ...awarded(), metadata: [] });
    const error = caught(() => parseEvent(JSON.parse(text)));
    expect([error.code, error.details.path]).toEqual(['INVALID_INPUT', 'metadata']);
    expect(error.message).toMatch(ARRAY_MESSAGE);
    const history = [...activeLogo()];
    history[1] = { ...(history[1] as JobEvent), metadata: [1, 2] as never };
    const verified = caught(() => verifyHistory(history));
    expect([verified.code, verified.details.path]).toEqual(['INVALID_INPUT', 'metadata']);
  });

  it('every event type: an array as data is INVALID_INPUT at data', () => {
    for (const type of JOB_EVENT_TYPES) {
      const error = caught(() => parseEvent({ type, data: [] }));
      expect([type, error.code, error.details.path]).toEqual([type, 'INVALID_INPUT', 'data']);
    }
  });

  it('an object as metadata is still free-form (kept as given)', () => {
    const event = parseEvent({ ...awarded(), metadata: { tags: ['a'], n: 1 } });
    expect(event.metadata).toEqual({ tags: ['a'], n: 1 });
  });
});

describe("a store's read options that are an array", () => {
  it('readStream(id, []) and readAll([]) are INVALID_INPUT at options, as null is', async () => {
    const store = createInMemoryEventStore();
    await store.appendToStream('job-1', activeLogo(), { expectedVersion: 'no-stream' });
    const drain = async (events: AsyncIterable<unknown>) => {
      const read: unknown[] = [];
      for await (const event of events) read.push(event);
      return read;
    };
    for (const read of [
      async () => drain(store.readStream('job-1', [] as never)),
      async () => drain(store.readAll([] as never)),
    ]) {
      const error = await read().then(
        () => null,
        (thrown: unknown) => thrown,
      );
      expect(error).toMatchObject({ code: 'INVALID_INPUT', details: { path: 'options' } });
    }
  });
});
