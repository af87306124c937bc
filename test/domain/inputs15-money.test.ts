/*
 * Minus zero as money (session 15). JSON reads `-0` as -0, which is a safe integer and not below
 * 0, so a dispute's `refund: -0` was accepted and decided into events holding -0 (written `0`).
 * Money is never negative (spec §1, R16): a command's amount of -0 is INVALID_INPUT. The
 * amounts that must be positive refused it already (-0 is below 1).
 */
import { describe, expect, it } from 'vitest';
import { decide, parseCommand, type JobCommandInput } from '../../src/index.js';
import { caught } from './helpers.js';
import { command, on, qaDisputed, qaSubmitted, stateOf } from './part-two-fixtures.js';

/** The command as JSON text writes it, with `"refund":-0`, read back as JSON.parse reads it. */
const minusZero = (type: string, who: string, data: object): JobCommandInput =>
  JSON.parse(
    JSON.stringify(command(type, who, on(4), { ...data, refund: 0 })).replace(
      '"refund":0',
      '"refund":-0',
    ),
  ) as JobCommandInput;

describe('a refund of -0', () => {
  it('JSON text "refund": -0 reads as -0 (what the check is for)', () => {
    const c = minusZero('ProposeSettlement', 'client', { disputeId: 'd1' }) as {
      data: { refund: number };
    };
    expect(Object.is(c.data.refund, -0)).toBe(true);
  });

  it('is INVALID_INPUT at data.refund in every command that takes a refund', () => {
    const cases: [string, string, object, ReturnType<typeof qaSubmitted>][] = [
      ['OpenDispute', 'client', { disputeId: 'd2', milestoneId: 'qa' }, qaSubmitted()],
      ['ProposeSettlement', 'client', { disputeId: 'd1' }, qaDisputed()],
      ['AcceptSettlement', 'freelancer', { disputeId: 'd1' }, qaDisputed()],
      ['ResolveDispute', 'platform', { disputeId: 'd1' }, qaDisputed()],
    ];
    for (const [type, who, data, history] of cases) {
      const given = minusZero(type, who, data);
      const parsed = caught(() => parseCommand(given));
      expect([type, parsed.code, parsed.details.path]).toEqual([
        type,
        'INVALID_INPUT',
        'data.refund',
      ]);
      expect(parsed.message).toMatch(/-0/);
      const decided = caught(() => decide(given, stateOf(history)));
      expect([type, decided.code]).toEqual([type, 'INVALID_INPUT']);
    }
  });

  it('a refund of 0 is still an offer of nothing back', () => {
    const c = command('OpenDispute', 'client', on(3), {
      disputeId: 'd1',
      milestoneId: 'qa',
      refund: 0,
    });
    const [opened] = decide(c, stateOf(qaSubmitted()));
    expect(opened?.data).toMatchObject({ refund: 0 });
  });

  it('amounts that must be positive refuse -0 as they refuse 0', () => {
    const fund = JSON.parse(
      JSON.stringify(
        command('FundMilestone', 'client', on(4), {
          milestoneId: 'qa',
          fundingId: 'f9',
          source: 'card:visa-4242',
          amount: 0,
        }),
      ).replace('"amount":0', '"amount":-0'),
    ) as JobCommandInput;
    const error = caught(() => parseCommand(fund));
    expect([error.code, error.details.path]).toEqual(['INVALID_INPUT', 'data.amount']);
  });
});
