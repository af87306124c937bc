import { describe, expect, it } from 'vitest';
import {
  createCommandHandler,
  createInMemoryEventStore,
  isDomainError,
  summarize,
  type EventStore,
} from '../../src/index.js';
import { logoDesign } from '../../src/testing/fixtures.js';

/*
 * `createCommandHandler({ verify: true })`: every event the handler reads from the store is checked
 * against the rules, as `loadJob(…, { verify: true })` checks it. A store's wrong-but-well-formed
 * record (a second funding of a milestone already funded in full, appended by hand) is folded
 * as it is by the default handler, which then decides on a state no decision made.
 */

const JOB = 'logo-2014';
const STREAM = `job-${JOB}`;
const commands = logoDesign.commands;
const overfunding = {
  type: 'MilestoneFunded',
  data: {
    milestoneId: 'm1',
    fundingId: 'f-by-hand',
    amount: 7500,
    source: 'card:visa-4242',
    at: '2014-11-03T10:05:00Z',
  },
};

async function storeWithOverfunding(): Promise<EventStore> {
  const store = createInMemoryEventStore();
  const writer = createCommandHandler({ store });
  for (const command of commands.slice(0, 4)) await writer.handle(JOB, command);
  await store.appendToStream(STREAM, [overfunding], { expectedVersion: 4 });
  return store;
}

async function outcome(run: () => Promise<unknown>): Promise<unknown> {
  try {
    return await run();
  } catch (error) {
    return error;
  }
}

describe('the command handler with verify: true', () => {
  it('the default handler loads a wrong-but-well-formed record as it is', async () => {
    const handler = createCommandHandler({ store: await storeWithOverfunding() });
    const loaded = await handler.load(JOB);
    expect(loaded.version).toBe(5);
    expect(summarize(loaded.state).totals.held).toBe(15000);
    // And decides on it: the release is refused for money no decision let in.
    const error = await outcome(() => handler.handle(JOB, commands[4] as never));
    expect(isDomainError(error) && error.message).toMatch(/holds 15000 of 7500/);
  });

  it('loading, it names the record and the rule it breaks, and appends nothing', async () => {
    const store = await storeWithOverfunding();
    const handler = createCommandHandler({ store, verify: true });
    expect(isDomainError(await outcome(() => handler.load(JOB)))).toBe(true);
    const error = await outcome(() => handler.handle(JOB, commands[4] as never));
    expect(isDomainError(error) && error.code).toBe('INVALID_HISTORY');
    expect(isDomainError(error) && error.details).toMatchObject({ position: 5, streamId: STREAM });
    expect(isDomainError(error) && typeof error.details.rule).toBe('string');
    expect(await store.streamVersion(STREAM)).toBe(5);
  });

  it('catching up a job it keeps, it checks what others appended since', async () => {
    const store = createInMemoryEventStore();
    const handler = createCommandHandler({ store, verify: true });
    for (const command of commands.slice(0, 4)) await handler.handle(JOB, command);
    await store.appendToStream(STREAM, [overfunding], { expectedVersion: 4 });
    const error = await outcome(() => handler.handle(JOB, commands[4] as never));
    expect(isDomainError(error) && error.code).toBe('INVALID_HISTORY');
    expect(isDomainError(error) && error.details).toMatchObject({ position: 5, streamId: STREAM });
    expect(await store.streamVersion(STREAM)).toBe(5);
  });

  it('a sound history goes on as with the default handler', async () => {
    const store = createInMemoryEventStore();
    const handler = createCommandHandler({ store, verify: true });
    let last;
    for (const command of commands) last = await handler.handle(JOB, command);
    expect(last?.state).toEqual(logoDesign.state);
    // A second handler (a restarted process) loads and verifies the whole stream.
    const again = createCommandHandler({ store, verify: true });
    expect((await again.load(JOB)).state).toEqual(logoDesign.state);
  });
});
