import { tableGet } from '../../src/domain/shared/table.js';
import { describe, expect, it } from 'vitest';
import { DomainError, type JobEvent } from '../../src/index.js';
import {
  EscrowAssertionError,
  given,
  logoDesign,
  microsoftAccess,
} from '../../src/testing/index.js';

const { clientId, freelancerId } = logoDesign;
const at = '2014-11-05T10:00:00Z';

describe('given/when/then', () => {
  it('then: passes when the decided events are the expected ones, and returns the state after them', () => {
    const state = given(logoDesign.stages.accepted.events)
      .when({
        type: 'FundMilestone',
        actor: clientId,
        at,
        data: { milestoneId: 'm2', fundingId: 'fund-x', source: 'card:visa-4242' },
      })
      .then([
        {
          type: 'MilestoneFunded',
          data: {
            milestoneId: 'm2',
            fundingId: 'fund-x',
            amount: 7500,
            source: 'card:visa-4242',
            at,
          },
        },
      ]);
    expect(tableGet(state.escrow.milestones, 'm2')?.held).toBe(7500);
    expect(state.version).toBe(logoDesign.stages.accepted.events.length + 1);
  });

  it('then: key order does not matter, metadata is ignored', () => {
    given(logoDesign.stages.accepted.events)
      .when({ type: 'ReleaseFunds', actor: clientId, at, data: { milestoneId: 'm1' } })
      .then([
        {
          data: { at, fee: 0, amount: 7500, milestoneId: 'm1' },
          type: 'FundsReleased',
          metadata: { note: 'ignored' },
        },
      ]);
  });

  it('then: fails with a line diff naming what differs', () => {
    const failure = (() => {
      try {
        given(logoDesign.stages.accepted.events)
          .when({ type: 'ReleaseFunds', actor: clientId, at, data: { milestoneId: 'm1' } })
          .then([{ type: 'FundsReleased', data: { milestoneId: 'm1', amount: 7000, fee: 0, at } }]);
      } catch (error) {
        return error;
      }
      return undefined;
    })();
    expect(failure).toBeInstanceOf(EscrowAssertionError);
    const error = failure as EscrowAssertionError;
    expect(error.name).toBe('AssertionError');
    expect(error.message).toContain('given 4 events, when ReleaseFunds by clara');
    expect(error.message).toContain('-       "amount": 7000,');
    expect(error.message).toContain('+       "amount": 7500,');
    expect(error.expected).toEqual([
      { type: 'FundsReleased', data: { milestoneId: 'm1', amount: 7000, fee: 0, at } },
    ]);
    expect(error.actual).toEqual([
      { type: 'FundsReleased', data: { milestoneId: 'm1', amount: 7500, fee: 0, at } },
    ]);
  });

  it('then: fails naming the rejection when the command is rejected', () => {
    expect(() =>
      given(logoDesign.stages.accepted.events)
        .when({ type: 'ReleaseFunds', actor: clientId, at, data: { milestoneId: 'm2' } })
        .then([]),
    ).toThrow(/rejected with NOT_FULLY_FUNDED/);
  });

  it('thenThrows: returns the DomainError, and checks the details it is given', () => {
    const error = given(logoDesign.stages.accepted.events)
      .when({ type: 'ReleaseFunds', actor: clientId, at, data: { milestoneId: 'm2' } })
      .thenThrows('NOT_FULLY_FUNDED', { rule: 'R10', milestoneId: 'm2' });
    expect(error).toBeInstanceOf(DomainError);
    expect(error.details).toMatchObject({ held: 0, amount: 7500 });
  });

  it('thenThrows: fails on another code, on other details, and when the command is accepted', () => {
    const spec = given(logoDesign.stages.accepted.events).when({
      type: 'ReleaseFunds',
      actor: clientId,
      at,
      data: { milestoneId: 'm2' },
    });
    expect(() => spec.thenThrows('FORBIDDEN')).toThrow(
      'expected a DomainError FORBIDDEN, but it was NOT_FULLY_FUNDED',
    );
    expect(() => spec.thenThrows('NOT_FULLY_FUNDED', { rule: 'R6' })).toThrow(
      /details differ[\s\S]*- {3}"rule": "R6"[\s\S]*\+ {3}"rule": "R10"/,
    );
    expect(() =>
      given(logoDesign.stages.accepted.events)
        .when({ type: 'ReleaseFunds', actor: clientId, at, data: { milestoneId: 'm1' } })
        .thenThrows('NOT_FULLY_FUNDED'),
    ).toThrow(
      /expected a DomainError NOT_FULLY_FUNDED, but the command was accepted with:\n[\s\S]*FundsReleased/,
    );
  });

  it('given: starts from no events (the job not yet awarded)', () => {
    given()
      .when({ type: 'SubmitWork', actor: freelancerId, at, data: { milestoneId: 'm2' } })
      .thenThrows('NOT_AWARDED');
  });

  it('given: refuses a history decide could not have written, unless told not to verify it', () => {
    const forged: JobEvent[] = [
      ...logoDesign.stages.awarded.events,
      { type: 'FundsReleased', data: { milestoneId: 'm2', amount: 7500, fee: 0, at } },
    ];
    expect(() => given(forged)).toThrow(
      /given: the history is not one decide could have written: INVALID_HISTORY/,
    );
    given(forged, { verify: false })
      .when({ type: 'ReleaseFunds', actor: clientId, at, data: { milestoneId: 'm2' } })
      .thenThrows('UNKNOWN_MILESTONE');
  });

  it('works from the fixtures’ stages: R8 refunds a superseded proposal’s prefund in the same decision', () => {
    const { stages, clientId: client } = microsoftAccess;
    given(stages.prefunded.events)
      .when({ type: 'WithdrawTerms', actor: client, at, data: { proposalId: 'p1' } })
      .then([
        { type: 'TermsWithdrawn', data: { proposalId: 'p1', by: 'client', at } },
        {
          type: 'FundsRefunded',
          data: {
            milestoneId: 'schema',
            fundingId: 'f1',
            amount: 20000,
            source: 'card:visa-4242',
            reason: 'terms-withdrawn',
            at,
          },
        },
      ]);
  });
});
