import { describe, expect, it } from 'vitest';
import {
  decide,
  fold,
  parseCommand,
  parseEvent,
  summarize,
  verifyHistory,
  type JobCommandInput,
  type JobEvent,
  type JobState,
} from '../../src/index.js';
import {
  AT,
  LOGO,
  LOGO_MILESTONES,
  PAYPAL,
  VISA,
  activeLogo,
  awardedLogo,
  caught,
  cmd,
  ev,
  given,
  play,
} from './helpers.js';

/** Asserts `fn` throws INVALID_INPUT naming `path` in its details and its message. */
function expectInvalid(fn: () => unknown, path: string): void {
  const error = caught(fn);
  expect(error.code).toBe('INVALID_INPUT');
  expect(error.details.path).toBe(path);
  expect(error.message).toContain(path);
}

/** `parseCommand` and `decide` (against a state where the command would otherwise be fine) both reject it. */
function expectInvalidCommand(
  command: unknown,
  path: string,
  state: JobState = fold(activeLogo()),
): void {
  expectInvalid(() => parseCommand(command), path);
  expectInvalid(() => decide(command as JobCommandInput, state), path);
}

const fund = (data: Record<string, unknown>, top: Record<string, unknown> = {}): unknown => ({
  ...cmd.fund('m1', 'f1'),
  ...top,
  data: { milestoneId: 'm1', fundingId: 'f1', source: VISA, ...data },
});

const proposeWith = (
  first: Record<string, unknown>,
  rest: readonly unknown[] = LOGO_MILESTONES.slice(1),
): unknown => ({
  ...cmd.propose('client', 'p2', []),
  data: { proposalId: 'p2', milestones: [{ ...LOGO_MILESTONES[0], ...first }, ...rest] },
});

const funded = (data: Record<string, unknown>): unknown => ({
  type: 'MilestoneFunded',
  data: { milestoneId: 'm1', fundingId: 'f1', amount: 7500, source: VISA, at: AT, ...data },
});

describe('commands: INVALID_INPUT naming the path', () => {
  it('§4: an unknown command type', () => {
    expectInvalidCommand({ ...cmd.release('m1'), type: 'PayFreelancer' }, 'type');
    expectInvalidCommand({ actor: 'clara', at: AT, data: {} }, 'type');
  });

  it('§4: a missing field', () => {
    const { source: _, ...noSource } = cmd.fund('m1', 'f1').data as Record<string, unknown>;
    expectInvalidCommand({ ...cmd.fund('m1', 'f1'), data: noSource }, 'data.source');
    const { actor: __, ...noActor } = cmd.release('m1');
    expectInvalidCommand(noActor, 'actor');
    const { data: ___, ...noData } = cmd.release('m1');
    expectInvalidCommand(noData, 'data');
    const { dueDate: ____, ...noDueDate } = LOGO_MILESTONES[0]!;
    expectInvalidCommand(
      { ...cmd.propose('client', 'p2', []), data: { proposalId: 'p2', milestones: [noDueDate] } },
      'data.milestones.0.dueDate',
    );
  });

  it('§4: an unknown extra field', () => {
    expectInvalidCommand(fund({ currency: 'USD' }), 'data.currency');
    expectInvalidCommand({ ...cmd.release('m1'), metadata: {} }, 'metadata');
    expectInvalidCommand(proposeWith({ colour: 'blue' }), 'data.milestones.0.colour');
    expectInvalidCommand(
      JSON.parse(
        '{"type":"ReleaseFunds","actor":"clara","at":"2014-11-03T10:00:00Z","data":{"milestoneId":"m1","__proto__":{"amount":1}}}',
      ),
      'data.__proto__',
    );
  });

  it('§1: money is an integer: a float amount', () => {
    expectInvalidCommand(proposeWith({ amount: 75.5 }), 'data.milestones.0.amount');
    expectInvalidCommand(fund({ amount: 7500.5 }), 'data.amount');
    expectInvalidCommand(fund({ amount: '7500' }), 'data.amount');
  });

  it('§1, R1: a negative or zero amount', () => {
    expectInvalidCommand(proposeWith({ amount: 0 }), 'data.milestones.0.amount');
    expectInvalidCommand(proposeWith({ amount: -7500 }), 'data.milestones.0.amount');
    expectInvalidCommand(fund({ amount: 0 }), 'data.amount');
    expectInvalidCommand(fund({ amount: -1 }), 'data.amount');
  });

  it('§1: an unsafe integer amount', () => {
    expectInvalidCommand(
      proposeWith({ amount: Number.MAX_SAFE_INTEGER + 1 }),
      'data.milestones.0.amount',
    );
    expectInvalidCommand(
      proposeWith({ amount: Number.POSITIVE_INFINITY }),
      'data.milestones.0.amount',
    );
    expectInvalidCommand(proposeWith({ amount: Number.NaN }), 'data.milestones.0.amount');
    expectInvalidCommand(fund({ amount: 2 ** 60 }), 'data.amount');
  });

  it('§1: a contract total over Number.MAX_SAFE_INTEGER', () => {
    const half = Math.ceil(Number.MAX_SAFE_INTEGER / 2);
    const command = proposeWith({ amount: half }, [{ ...LOGO_MILESTONES[1], amount: half }]);
    expect(() => parseCommand(command)).not.toThrow(); // each amount is fine; the sum is not
    expectInvalid(() => decide(command as JobCommandInput, fold(activeLogo())), 'data.milestones');
    // The largest exact total is accepted.
    const largest = proposeWith({ amount: Number.MAX_SAFE_INTEGER - 1 }, [
      { ...LOGO_MILESTONES[1], amount: 1 },
    ]);
    expect(decide(largest as JobCommandInput, fold(activeLogo()))).toHaveLength(1);
  });

  it('§1: an impossible due date', () => {
    expectInvalidCommand(proposeWith({ dueDate: '2014-02-30' }), 'data.milestones.0.dueDate');
    expectInvalidCommand(proposeWith({ dueDate: '2014-02-29' }), 'data.milestones.0.dueDate');
    expectInvalidCommand(proposeWith({ dueDate: '2014-13-01' }), 'data.milestones.0.dueDate');
    expectInvalidCommand(proposeWith({ dueDate: '2014-11-3' }), 'data.milestones.0.dueDate');
    expectInvalidCommand(
      proposeWith({ dueDate: '2014-11-03T00:00:00Z' }),
      'data.milestones.0.dueDate',
    );
    expect(() => parseCommand(proposeWith({ dueDate: '2016-02-29' }))).not.toThrow();
  });

  it('§1: a bad instant', () => {
    for (const at of [
      '2014-11-03T09:00:00',
      '2014-11-03 09:00:00Z',
      '2014-11-03',
      '2014-02-30T09:00:00Z',
      '2014-11-03T24:00:00Z',
      'yesterday',
      '',
    ]) {
      expectInvalidCommand({ ...cmd.release('m1'), at }, 'at');
    }
    for (const at of ['2014-11-03T09:00:00.123Z', '2014-11-03T09:00:00+01:00']) {
      expect(() => parseCommand({ ...cmd.release('m1'), at })).not.toThrow();
    }
  });

  it('§1: a bad currency code', () => {
    for (const currency of ['usd', 'US', 'USDT', ''])
      expectInvalidCommand(cmd.award({ ...LOGO, currency }), 'data.currency', fold([]));
  });

  it('R1: a title of 1–200 characters', () => {
    expectInvalidCommand(proposeWith({ title: '' }), 'data.milestones.0.title');
    expectInvalidCommand(proposeWith({ title: 'x'.repeat(201) }), 'data.milestones.0.title');
    expect(() => parseCommand(proposeWith({ title: 'x'.repeat(200) }))).not.toThrow();
    expectInvalidCommand(cmd.award({ ...LOGO, title: '' }), 'data.title', fold([]));
  });

  it('R1: an empty milestones list', () => {
    expectInvalidCommand(cmd.propose('client', 'p2', []), 'data.milestones');
  });

  it('ids: a bad id', () => {
    for (const id of ['__proto__', 'm 1', ' m1', '', '-m1', 'x'.repeat(129)]) {
      expectInvalidCommand(proposeWith({ milestoneId: id }), 'data.milestones.0.milestoneId');
    }
    expectInvalidCommand(fund({ fundingId: '__proto__' }), 'data.fundingId');
    expectInvalidCommand({ ...cmd.release('m1'), actor: 'client acme' }, 'actor');
    expectInvalidCommand(
      { ...cmd.accept('freelancer', 'p1'), data: { proposalId: 'p 1' } },
      'data.proposalId',
    );
  });
});

describe('ids such as constructor and toString are plain ids (no prototype confusion)', () => {
  const odd = [
    {
      milestoneId: 'constructor',
      title: 'Start fee deposit',
      description: '',
      dueDate: '2014-11-03',
      amount: 7500,
    },
    {
      milestoneId: 'toString',
      title: '6 concepts',
      description: '',
      dueDate: '2014-11-10',
      amount: 7500,
    },
    {
      milestoneId: 'hasOwnProperty',
      title: 'Final: Delivery of final print-ready files',
      description: '',
      dueDate: '2014-11-24',
      amount: 10000,
    },
  ];

  it('a milestone named constructor or toString is unknown until proposed', () => {
    given(activeLogo())
      .when(cmd.fund('constructor', 'f1'))
      .thenFails('UNKNOWN_MILESTONE', { milestoneId: 'constructor' });
    given(activeLogo())
      .when(cmd.release('toString'))
      .thenFails('UNKNOWN_MILESTONE', { milestoneId: 'toString' });
    given(activeLogo())
      .when(cmd.submit('valueOf'))
      .thenFails('UNKNOWN_MILESTONE', { milestoneId: 'valueOf' });
    given(awardedLogo())
      .when(cmd.fund('constructor', 'f1'))
      .thenFails('UNKNOWN_MILESTONE', { milestoneId: 'constructor' });
  });

  it('such ids work through a whole job: propose, prefund, accept, fund, review, release, refund, delete', () => {
    let history = play(awardedLogo(), cmd.propose('client', 'constructor', odd));
    given(history)
      .when(cmd.fund('constructor', 'constructor', VISA))
      .then([ev.funded('constructor', 'constructor', 7500, VISA)]);
    history = play(
      history,
      cmd.fund('constructor', 'constructor', VISA),
      cmd.accept('freelancer', 'constructor'),
    );
    given(history)
      .when(cmd.requestChanges('toString'))
      .thenFails('NOTHING_SUBMITTED', { milestoneId: 'toString' });
    given(history)
      .when(cmd.release('toString'))
      .thenFails('NOT_FULLY_FUNDED', { held: 0, amount: 7500 });
    given(history).when(cmd.refund('hasOwnProperty')).thenFails('NOTHING_TO_REFUND');
    history = play(
      history,
      cmd.fund('toString', 'toString', PAYPAL),
      cmd.submit('toString'),
      cmd.requestChanges('toString'),
      cmd.release('constructor'),
      cmd.fund('hasOwnProperty', 'valueOf', VISA),
    );
    given(history)
      .when(cmd.fund('constructor', 'f9'))
      .thenFails('ALREADY_RELEASED', { milestoneId: 'constructor' });
    given(history)
      .when(cmd.fund('toString', 'toString'))
      .thenFails('DUPLICATE_ID', { fundingId: 'toString' });
    const summary = summarize(fold(history));
    expect(summary.milestones.map((m) => [m.milestoneId, m.status, m.review])).toEqual([
      ['constructor', 'released', 'none'],
      ['toString', 'funded', 'changes-requested'],
      ['hasOwnProperty', 'funded', 'none'],
    ]);
    // Deleting toString refunds it and retires its id; hasOwnProperty is refunded by the freelancer.
    given(history)
      .when(cmd.propose('client', 'constructor', odd))
      .thenFails('DUPLICATE_ID', { proposalId: 'constructor' });
    given(history)
      .when(cmd.propose('client', 'toString', odd))
      .then([ev.proposed('client', 'toString', odd)]);
    history = play(history, cmd.propose('client', 'p2', [odd[0]!, odd[2]!]));
    given(history)
      .when(cmd.accept('freelancer', 'p2'))
      .then([
        ev.accepted('freelancer', 'p2'),
        ev.refunded('toString', 'toString', 7500, PAYPAL, 'milestone-deleted'),
      ]);
    history = play(history, cmd.accept('freelancer', 'p2'));
    given(history)
      .when(cmd.refund('hasOwnProperty'))
      .then([ev.refunded('hasOwnProperty', 'valueOf', 10000, VISA, 'refunded-by-freelancer')]);
    given(history)
      .when(cmd.propose('client', 'p3', odd))
      .thenFails('DUPLICATE_ID', { milestoneId: 'toString' });
    // The history checker agrees.
    expect(verifyHistory(history).escrow.totals).toEqual({
      funded: 25000,
      held: 10000,
      released: 7500,
      refunded: 7500,
      fees: 0,
    });
  });
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
