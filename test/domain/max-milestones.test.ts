import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decide, fold, isDomainError, verifyHistory } from '../../src/index.js';
import type { JobCommandInput, Milestone } from '../../src/index.js';
import { AT, AWARD_AT, LOGO, LOGO_MILESTONES, awardedLogo, cmd, given, play } from './helpers.js';

/*
 * The award may cap the milestones of any proposal (`maxMilestones`, an extension of the spec:
 * docs/decisions.md). Without it there is no cap.
 */

const award = (maxMilestones: unknown): JobCommandInput =>
  ({
    type: 'AwardJob',
    actor: LOGO.clientId,
    at: AWARD_AT,
    data: { ...LOGO, maxMilestones },
  }) as JobCommandInput;
const capped = (maxMilestones: number) => play([], award(maxMilestones));
const parts = (n: number): Milestone[] =>
  Array.from({ length: n }, (_, i) => ({
    milestoneId: `m${String(i + 1)}`,
    title: `Part ${String(i + 1)}`,
    description: '',
    dueDate: '2014-12-01',
    amount: 100,
  }));

describe('maxMilestones: an award may cap the milestones of any proposal', () => {
  it('maxMilestones: the award records the cap', () => {
    const [awarded] = capped(5);
    expect(awarded).toMatchObject({ type: 'JobAwarded', data: { maxMilestones: 5 } });
    expect(fold(capped(5)).job.award?.maxMilestones).toBe(5);
  });

  it('maxMilestones: a proposal of at most the cap is accepted', () => {
    given(capped(5))
      .when(cmd.propose('client', 'p1', LOGO_MILESTONES))
      .then([
        {
          type: 'TermsProposed',
          data: { proposalId: 'p1', by: 'client', milestones: [...LOGO_MILESTONES], at: AT },
        },
      ]);
  });

  it('maxMilestones: a proposal of more milestones than the cap is INVALID_INPUT, from either party', () => {
    const error = given(capped(4))
      .when(cmd.propose('client', 'p1', LOGO_MILESTONES))
      .thenFails('INVALID_INPUT', { path: 'data.milestones', maxMilestones: 4 });
    expect(error.message).toContain('at most 4');
    const proposed = play(capped(5), cmd.propose('client', 'p1', LOGO_MILESTONES));
    given(proposed)
      .when(cmd.propose('freelancer', 'p2', parts(6)))
      .thenFails('INVALID_INPUT', { maxMilestones: 5 });
  });

  it('maxMilestones: without a cap, any number of milestones may be proposed', () => {
    expect(play(awardedLogo(), cmd.propose('client', 'p1', parts(40)))).toHaveLength(2);
  });

  it('maxMilestones: the cap is at least 1 (INVALID_INPUT)', () => {
    for (const maxMilestones of [0, -1, 1.5, '3']) {
      given([])
        .when(award(maxMilestones))
        .thenFails('INVALID_INPUT', { path: 'data.maxMilestones' });
    }
  });

  it('maxMilestones: a stored history that breaks the cap fails verification', () => {
    const history = [
      ...capped(2),
      {
        type: 'TermsProposed' as const,
        data: { proposalId: 'p1', by: 'client' as const, milestones: [...LOGO_MILESTONES], at: AT },
      },
    ];
    let code: string | undefined;
    try {
      verifyHistory(history);
    } catch (error) {
      code = isDomainError(error) ? `${error.code} ${String(error.details['cause'])}` : 'other';
    }
    expect(code).toBe('INVALID_HISTORY INVALID_INPUT');
  });

  it('property: maxMilestones: a proposal is accepted exactly when it has at most the cap', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 12 }), fc.integer({ min: 1, max: 12 }), (max, n) => {
        const milestones = parts(n);
        const state = fold(capped(max));
        let code: string | undefined;
        try {
          decide(cmd.propose('client', 'p1', milestones), state);
        } catch (error) {
          code = isDomainError(error) ? error.code : 'not a DomainError';
        }
        expect(code).toBe(n <= max ? undefined : 'INVALID_INPUT');
      }),
    );
  });
});
