/*
 * Spec §11 read by a fresh pair of eyes (session 14): what `verifyHistory` accepts and refuses
 * of part two's events, each a stored history one field away from what decide wrote.
 */
import { describe, expect, it } from 'vitest';
import { fold, summarize, verifyHistory, type JobEvent } from '../../src/index.js';
import { caught, play } from './helpers.js';
import {
  accept,
  award,
  command,
  expireReview,
  offer,
  on,
  qaDisputed,
  qaSubmitted,
} from './part-two-fixtures.js';

type Data = Record<string, unknown>;
/** The history with the data of its event at `index` (negative: from the end) changed. */
function edited(
  events: readonly JobEvent[],
  index: number | JobEvent['type'],
  change: (data: Data) => Data,
) {
  const at =
    typeof index === 'string'
      ? events.findIndex((e) => e.type === index)
      : index < 0
        ? events.length + index
        : index;
  return events.map((e, i) =>
    i === at ? { ...e, data: change({ ...(e.data as unknown as Data) }) } : e,
  ) as unknown[];
}
const refused = (events: unknown[]) => caught(() => verifyHistory(events));
const without = (key: string) => (data: Data) => {
  const { [key]: _dropped, ...rest } = data;
  return rest;
};

const expired = () => play(qaSubmitted({ serviceFeeBps: 1000 }), expireReview('qa', on(16)));
const settled = (how: 'agreed' | 'expired' | 'ruled') => {
  const job = qaDisputed({ serviceFeeBps: 1000 });
  if (how === 'agreed') return play(job, accept('d1', 20000, on(4), 'freelancer'));
  if (how === 'expired')
    return play(job, command('ExpireDispute', 'platform', on(10), { disputeId: 'd1' }));
  return play(
    job,
    command('EscalateDispute', 'client', on(4), { disputeId: 'd1' }),
    command('ResolveDispute', 'platform', on(5), { disputeId: 'd1', refund: 5000 }),
  );
};

describe('§11 the history checker on v2 histories', () => {
  it('§11: decide\u2019s own v2 histories are accepted and fold to the same state', () => {
    for (const events of [expired(), settled('agreed'), settled('expired'), settled('ruled')])
      expect(verifyHistory(events)).toEqual(fold(events));
  });

  it('§11: an unknown field in a v2 event is INVALID_INPUT', () => {
    const history = expired();
    const extra = (data: Data) => ({ ...data, extra: 1 });
    expect(refused(edited(history, -2, extra)).code).toBe('INVALID_INPUT');
    const disputed = qaDisputed();
    expect(refused(edited(disputed, -1, extra)).code).toBe('INVALID_INPUT');
    expect(refused(edited(settled('agreed'), 'DisputeSettled', extra)).code).toBe('INVALID_INPUT');
  });

  it('§11: a required field missing from a v2 event is INVALID_INPUT', () => {
    expect(refused(edited(expired(), -2, without('dueAt'))).code).toBe('INVALID_INPUT');
    expect(refused(edited(qaDisputed(), -1, without('respondBy'))).code).toBe('INVALID_INPUT');
    expect(refused(edited(settled('agreed'), 'DisputeSettled', without('outcome'))).code).toBe(
      'INVALID_INPUT',
    );
    expect(refused(edited(settled('agreed'), 'DisputeSettled', without('release'))).code).toBe(
      'INVALID_INPUT',
    );
  });

  it('§11: an outcome other than agreed, expired, ruled is INVALID_INPUT', () => {
    const history = edited(settled('agreed'), 'DisputeSettled', (d) => ({
      ...d,
      outcome: 'split',
    }));
    expect(refused(history).code).toBe('INVALID_INPUT');
  });

  it('§11 R21: a stored outcome that the command could not have had is INVALID_HISTORY', () => {
    // Agreed without escalation, told as a ruling: only an escalated dispute is ruled.
    const history = edited(settled('agreed'), 'DisputeSettled', (d) => ({
      ...d,
      outcome: 'ruled',
    }));
    expect(refused(history).code).toBe('INVALID_HISTORY');
    // Ruled, told as agreed by the platform: only a party accepts.
    const ruled = edited(settled('ruled'), 'DisputeSettled', (d) => ({ ...d, outcome: 'agreed' }));
    expect(refused(ruled).code).toBe('INVALID_HISTORY');
  });

  it('§11 R18: an agreement by the offer\u2019s own author is INVALID_HISTORY', () => {
    const history = edited(settled('agreed'), 'DisputeSettled', (d) => ({ ...d, by: 'client' }));
    expect(refused(history).code).toBe('INVALID_HISTORY');
  });

  it('§11 R20: an expiry by the party who had to answer is INVALID_HISTORY', () => {
    const history = edited(settled('expired'), 'DisputeSettled', (d) => ({
      ...d,
      by: 'freelancer',
    }));
    expect(refused(history).code).toBe('INVALID_HISTORY');
  });

  it('§11 R15: a ReviewExpired by the client is INVALID_HISTORY', () => {
    const history = edited(expired(), -2, (d) => ({ ...d, by: 'client' }));
    expect(refused(history).code).toBe('INVALID_HISTORY');
  });

  it('§11 R16, R18: a dispute opened or an offer made by the platform is refused (its by is a party)', () => {
    const opened = refused(edited(qaDisputed(), -1, (d) => ({ ...d, by: 'platform' })));
    expect(opened).toMatchObject({ code: 'INVALID_INPUT', details: { path: 'data.by' } });
    const offered = play(qaDisputed(), offer('d1', 100, on(4), 'freelancer'));
    const made = refused(edited(offered, -1, (d) => ({ ...d, by: 'platform' })));
    expect(made).toMatchObject({ code: 'INVALID_INPUT', details: { path: 'data.by' } });
  });

  it('§11 R21: refunds and release after a settlement must follow directly (C4)', () => {
    const history = settled('ruled');
    const truncated = history.slice(0, -1);
    expect(refused(truncated).code).toBe('INVALID_HISTORY');
  });

  it('§11 R22: a stored fee that differs from R22\u2019s is INVALID_HISTORY', () => {
    const history = edited(expired(), -1, (d) => ({ ...d, fee: 1999 }));
    expect(refused(history)).toMatchObject({ code: 'INVALID_HISTORY' });
    expect(refused(edited(expired(), -1, (d) => ({ ...d, fee: -1 }))).code).toBe('INVALID_INPUT');
  });

  it('§7: a stored policy must be whole; a stored platformId equal to a party is refused', () => {
    const awarded = play([], award({ reviewDays: 3 }));
    const partial = edited(awarded, 0, (d) => ({ ...d, policy: { reviewDays: 3 } }));
    expect(refused(partial).code).toBe('INVALID_INPUT');
    // A rule of the award's command, broken in a stored one: INVALID_HISTORY naming it.
    const named = edited(awarded, 0, (d) => ({ ...d, platformId: d.clientId }));
    expect(refused(named)).toMatchObject({
      code: 'INVALID_HISTORY',
      details: { position: 1, cause: 'INVALID_INPUT' },
    });
  });

  it('§7: a stored deadline with a zone offset is compared by value; one with millis kept', () => {
    const history = edited(expired(), -2, (d) => ({
      ...d,
      dueAt: '2014-11-19T10:00:00.000+01:00',
    }));
    expect(verifyHistory(history).version).toBe(history.length);
  });
});

describe('§7 instants compared by value, also by the history checker', () => {
  it('§7: an event a decision owes may write its instant another way; another instant is refused', () => {
    const history = expired();
    // The release owed after ReviewExpired, at the same instant written with an offset.
    const offset = edited(history, -1, (d) => ({ ...d, at: '2014-11-19T10:00:00+01:00' }));
    expect(verifyHistory(offset).version).toBe(history.length);
    const refunded = settled('ruled');
    const refund = edited(refunded, 'FundsRefunded', (d) => ({
      ...d,
      at: '2014-11-08T10:00:00+01:00',
    }));
    expect(verifyHistory(refund).version).toBe(refunded.length);
    expect(refused(edited(history, -1, (d) => ({ ...d, at: on(17) })))).toMatchObject({
      code: 'INVALID_HISTORY',
      details: { rule: 'R15', position: history.length },
    });
  });

  it('§7: a deadline stored with an offset is written YYYY-MM-DDTHH:MM:SSZ in the summary', () => {
    const offset = edited(qaDisputed(), 'DisputeOpened', (d) => ({
      ...d,
      respondBy: '2014-11-13T10:00:00+01:00',
    }));
    const summary = summarize(verifyHistory(offset));
    expect(summary.milestones.find((m) => m.milestoneId === 'qa')?.dispute?.respondBy).toBe(on(10));
    expect(summary.deadlines.map((d) => d.dueAt)).toContain(on(10));
    expect(summary.deadlines.map((d) => d.dueAt)).not.toContain('2014-11-13T10:00:00+01:00');
  });
});
