/*
 * What cannot be read as the wire format, past commands: events (parseEvent), text lengths in
 * characters, metadata that belongs to the caller, and input that cannot be read as data (spec
 * §4).
 */
import { describe, expect, it } from 'vitest';
import { parseCommand, parseEvent, type JobEvent } from '../../src/index.js';
import { AT, LOGO, LOGO_MILESTONES, VISA, caught, ev } from './helpers.js';
import { expectInvalid, expectInvalidCommand } from './validation-helpers.js';

const funded = (data: Record<string, unknown>): unknown => ({
  type: 'MilestoneFunded',
  data: { milestoneId: 'm1', fundingId: 'f1', amount: 7500, source: VISA, at: AT, ...data },
});

describe('events: parseEvent gives INVALID_INPUT naming the path', () => {
  it('§3: an unknown event type', () => {
    expectInvalid(() => parseEvent({ type: 'MilestonePaid', data: {} }), 'type');
  });

  it('§3: a missing field', () => {
    const { source: _, ...data } = (funded({}) as JobEvent).data as Record<string, unknown>;
    expectInvalid(() => parseEvent({ type: 'MilestoneFunded', data }), 'data.source');
    expectInvalid(() => parseEvent({ type: 'JobClosed' }), 'data');
  });

  it('§3: an unknown extra field (metadata is free-form)', () => {
    expectInvalid(() => parseEvent(funded({ currency: 'USD' })), 'data.currency');
    expectInvalid(() => parseEvent({ ...(funded({}) as object), version: 3 }), 'version');
    expect(
      parseEvent({ ...(funded({}) as object), metadata: { correlationId: 'x', anything: [1] } }),
    ).toMatchObject({ metadata: { correlationId: 'x' } });
  });

  it('§1: money in events: float, zero, negative and unsafe amounts', () => {
    expectInvalid(() => parseEvent(funded({ amount: 75.5 })), 'data.amount');
    expectInvalid(() => parseEvent(funded({ amount: 0 })), 'data.amount');
    expectInvalid(() => parseEvent(funded({ amount: -7500 })), 'data.amount');
    expectInvalid(() => parseEvent(funded({ amount: 2 ** 53 })), 'data.amount');
    expectInvalid(
      () =>
        parseEvent({
          ...ev.refunded('m1', 'f1', 1, VISA, 'terms-declined'),
          data: { ...ev.refunded('m1', 'f1', 1, VISA, 'terms-declined').data, amount: 0 },
        }),
      'data.amount',
    );
    expectInvalid(
      () => parseEvent({ type: 'FundsReleased', data: { milestoneId: 'm1', amount: 0, at: AT } }),
      'data.amount',
    );
  });

  it('§1: dates, instants, currencies, titles and ids in events', () => {
    const proposed = ev.proposed('client', 'p1', LOGO_MILESTONES) as Extract<
      JobEvent,
      { type: 'TermsProposed' }
    >;
    const withFirst = (m: Record<string, unknown>): unknown => ({
      ...proposed,
      data: { ...proposed.data, milestones: [{ ...proposed.data.milestones[0], ...m }] },
    });
    expectInvalid(
      () => parseEvent(withFirst({ dueDate: '2014-02-30' })),
      'data.milestones.0.dueDate',
    );
    expectInvalid(() => parseEvent(withFirst({ title: '' })), 'data.milestones.0.title');
    expectInvalid(
      () => parseEvent(withFirst({ title: 'x'.repeat(201) })),
      'data.milestones.0.title',
    );
    expectInvalid(
      () => parseEvent(withFirst({ milestoneId: '__proto__' })),
      'data.milestones.0.milestoneId',
    );
    // In events the description is required: a stored event is complete.
    const { description: _, ...noDescription } = proposed.data.milestones[0]!;
    expectInvalid(
      () => parseEvent({ ...proposed, data: { ...proposed.data, milestones: [noDescription] } }),
      'data.milestones.0.description',
    );
    expectInvalid(
      () => parseEvent({ ...proposed, data: { ...proposed.data, milestones: [] } }),
      'data.milestones',
    );
    expectInvalid(() => parseEvent(funded({ at: '2014-11-03T09:00:00' })), 'data.at');
    expectInvalid(
      () => parseEvent({ type: 'JobAwarded', data: { ...LOGO, currency: 'usd', at: AT } }),
      'data.currency',
    );
    expectInvalid(
      () => parseEvent({ type: 'JobAwarded', data: { ...LOGO, currency: 'US', at: AT } }),
      'data.currency',
    );
    expectInvalid(() => parseEvent(funded({ fundingId: 'f 1' })), 'data.fundingId');
    expectInvalid(
      () =>
        parseEvent({
          ...ev.refunded('m1', 'f1', 1, VISA, 'terms-declined'),
          data: { ...ev.refunded('m1', 'f1', 1, VISA, 'terms-declined').data, reason: 'because' },
        }),
      'data.reason',
    );
    expectInvalid(
      () =>
        parseEvent({ type: 'TermsAccepted', data: { proposalId: 'p1', by: 'stranger', at: AT } }),
      'data.by',
    );
  });
});

describe('text lengths count characters, not UTF-16 units', () => {
  const award = (title: string) => ({
    type: 'AwardJob',
    actor: 'c',
    at: '2014-11-03T09:00:00Z',
    data: { jobId: 'j', title, clientId: 'c', freelancerId: 'f', currency: 'USD' },
  });
  it('R1: a title of 150 emoji (300 UTF-16 units) is 150 characters, so it fits', () => {
    expect(parseCommand(award('😀'.repeat(150))).type).toBe('AwardJob');
  });
  it('R1: a title of 201 emoji is INVALID_INPUT at data.title', () => {
    expect(() => parseCommand(award('😀'.repeat(201)))).toThrow(
      expect.objectContaining({ code: 'INVALID_INPUT', details: { path: 'data.title' } }),
    );
  });
  it('R1: an empty title is INVALID_INPUT', () => {
    expect(() => parseCommand(award(''))).toThrow(
      expect.objectContaining({ code: 'INVALID_INPUT' }),
    );
  });
});

describe('event metadata belongs to the caller', () => {
  const funded = (metadata: Record<string, unknown>) => ({
    type: 'MilestoneFunded',
    data: {
      milestoneId: 'm1',
      fundingId: 'f1',
      amount: 7500,
      source: 'card:visa-4242',
      at: '2014-11-03T09:00:00Z',
    },
    metadata,
  });
  it('parseEvent freezes the event and its data, not the values inside the caller’s metadata', () => {
    const tags = ['a'];
    const event = parseEvent(funded({ tags }));
    expect(Object.isFrozen(event.data)).toBe(true);
    tags.push('b');
    expect(tags).toEqual(['a', 'b']);
  });
  it('deeply nested metadata neither crashes nor is walked', () => {
    let nested: unknown = [];
    for (let i = 0; i < 20_000; i++) nested = [nested];
    expect(parseEvent(funded({ nested })).type).toBe('MilestoneFunded');
  });
});

describe('spec §4: input that cannot be read as data', () => {
  const throwing = (key: string): object =>
    Object.defineProperty({}, key, {
      enumerable: true,
      get(): never {
        throw new Error(`a getter of ${key} that throws`);
      },
    });
  const release = { type: 'ReleaseFunds', actor: LOGO.clientId, at: AT };

  it('spec §4: a command with a field whose getter throws is INVALID_INPUT in parseCommand and decide (the getter’s error escaped)', () => {
    for (const command of [
      { ...release, data: throwing('milestoneId') },
      Object.assign(throwing('at'), { type: 'ReleaseFunds', actor: LOGO.clientId, data: {} }),
    ]) {
      expectInvalidCommand(command, '');
      expect(caught(() => parseCommand(command)).message).toMatch(
        /^command cannot be read as data: a getter of \w+ that throws$/,
      );
    }
  });

  it('spec §4: an event with a field whose getter throws is INVALID_INPUT in parseEvent', () => {
    const error = caught(() =>
      parseEvent({ type: 'FundsReleased', data: throwing('milestoneId') }),
    );
    expect(error.code).toBe('INVALID_INPUT');
    expect(error.message).toMatch(/^event cannot be read as data/);
  });
});
