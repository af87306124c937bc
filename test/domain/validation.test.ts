import { describe, expect, it } from 'vitest';
import {
  decide,
  fold,
  parseCommand,
  summarize,
  verifyHistory,
  type JobCommandInput,
} from '../../src/index.js';
import {
  AT,
  LOGO,
  LOGO_MILESTONES,
  PAYPAL,
  VISA,
  activeLogo,
  awardedLogo,
  cmd,
  ev,
  given,
  play,
} from './helpers.js';
import { expectInvalid, expectInvalidCommand } from './validation-helpers.js';

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
