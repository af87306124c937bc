import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { dayNumber } from '../../src/domain/shared/time.js';
import { fold, summarize } from '../../src/index.js';
import {
  jobStateProjection,
  project,
  schedule,
  summaryProjection,
  createProjector,
} from '../../src/projections/index.js';
import { accessJob, logoJob } from './seed.js';
import { activeTerms, fund, play } from './play.js';

describe('job summary (spec §5)', () => {
  it('summaryProjection is summarize of the folded state, frozen', () => {
    const events = logoJob().events;
    const view = project(summaryProjection, events);
    expect(view).toEqual(summarize(fold(events)));
    expect(Object.isFrozen(view.milestones[0])).toBe(true);
  });

  it('keeps exactly the spec shape (no due-date fields unless asked)', () => {
    const view = project(summaryProjection, logoJob().events);
    expect(Object.keys(view)).toEqual([
      'jobId',
      'title',
      'currency',
      'status',
      'version',
      'workMayBegin',
      'platformId',
      'policy',
      'totals',
      'milestones',
      'pendingProposal',
      'deadlines',
    ]);
    expect(Object.keys(view.milestones[0] ?? {})).toEqual([
      'milestoneId',
      'title',
      'dueDate',
      'amount',
      'status',
      'held',
      'released',
      'review',
      'fees',
      'reviewDueAt',
      'dispute',
    ]);
  });

  it('a projector keeps folding after a view is taken (the view never freezes its accumulator)', () => {
    const events = accessJob().events;
    const projector = createProjector(summaryProjection);
    const states = createProjector(jobStateProjection);
    for (const event of events) {
      projector.push(event);
      states.push(event);
      expect(projector.view()).toEqual(summarize(states.view()));
    }
    expect(projector.version).toBe(events.length);
    expect(projector.view().totals).toEqual({
      contract: 80000,
      funded: 40000,
      held: 20000,
      released: 0,
      refunded: 20000,
      fees: 0,
    });
  });

  it('writes the policy in one order, whatever order the stored award has it in', () => {
    // PostgreSQL's jsonb gives an object's keys back shortest first: a job loaded from it
    // printed `serviceFeeBps` before `disputeResponseDays`, one decided in memory after it.
    const [award, ...rest] = logoJob().events;
    if (award?.type !== 'JobAwarded') throw new Error('the seed job starts with its award');
    const policy = { reviewDays: 14, serviceFeeBps: 0, disputeResponseDays: 7 };
    const loaded = fold([{ ...award, data: { ...award.data, policy } }, ...rest]);
    const decided = fold(logoJob().events);
    expect(JSON.stringify(summarize(loaded))).toBe(JSON.stringify(summarize(decided)));
    expect(Object.keys(summarize(loaded).policy)).toEqual([
      'reviewDays',
      'disputeResponseDays',
      'serviceFeeBps',
    ]);
  });
});

describe('schedule: due dates and overdue as of a day', () => {
  // The logo job up to m2's funding: m1 released, m2 funded and not yet released.
  const early = fold(logoJob().events.slice(0, 7));

  it('flags a milestone whose due date is before asOf and that is not released', () => {
    const s = schedule(early, { asOf: '2014-11-12' });
    expect(
      s.milestones.map((m) => [m.milestoneId, m.dueDate, m.status, m.overdue, m.daysOverdue]),
    ).toEqual([
      ['m1', '2014-11-03', 'released', false, 0],
      ['m2', '2014-11-10', 'funded', true, 2],
      ['m3', '2014-11-15', 'unfunded', false, 0],
      ['m4', '2014-11-20', 'unfunded', false, 0],
      ['m5', '2014-11-24', 'unfunded', false, 0],
    ]);
    expect(s.overdue).toEqual(['m2']);
    expect(s.overdueAmount).toBe(7500);
    expect(s.nextDue?.milestoneId).toBe('m3');
    expect(s).toMatchObject({ jobId: 'logo-2014', asOf: '2014-11-12', status: 'in-progress' });
  });

  it('a milestone due today is not overdue (it is the next due)', () => {
    const s = schedule(early, { asOf: '2014-11-10' });
    expect(s.overdue).toEqual([]);
    expect(s.nextDue).toMatchObject({ milestoneId: 'm2', overdue: false, daysOverdue: 0 });
  });

  it('counts whole calendar days, across months', () => {
    const s = schedule(early, { asOf: '2014-12-01' });
    expect(s.milestones.map((m) => m.daysOverdue)).toEqual([0, 21, 16, 11, 7]);
    expect(s.overdueAmount).toBe(32500);
    expect(s.nextDue).toBeNull();
  });

  it('D7: counts the years 0000–0099 right (Date.UTC took 0014 for 1914)', () => {
    const ancient = logoJob().events.map((e) =>
      e.type === 'TermsProposed'
        ? {
            ...e,
            data: {
              ...e.data,
              milestones: e.data.milestones.map((m) =>
                m.milestoneId === 'm2' ? { ...m, dueDate: '0014-11-10' } : m,
              ),
            },
          }
        : e,
    );
    const state = fold(ancient.slice(0, 7));
    const m2 = (asOf: string) => schedule(state, { asOf }).milestones[1];
    expect(m2('0014-11-12')).toMatchObject({ dueDate: '0014-11-10', daysOverdue: 2 });
    // 2000 Gregorian years are 730,485 days (it said 36,525: one century).
    expect(m2('2014-11-10')).toMatchObject({ overdue: true, daysOverdue: 730_485 });
    expect(m2('0000-01-01')).toMatchObject({ overdue: false, daysOverdue: 0 });
  });

  it('D7: property: the day count is the ISO calendar count for every year 0000–9999', () => {
    fc.assert(
      fc.property(
        fc.date({
          min: new Date('0000-01-01T00:00:00Z'),
          max: new Date('9999-12-31T00:00:00Z'),
          noInvalidDate: true,
        }),
        (instant) => {
          const date = instant.toISOString().slice(0, 10);
          expect(dayNumber(date)).toBe(Date.parse(`${date}T00:00:00Z`) / 86_400_000);
        },
      ),
    );
  });

  it('released milestones are never overdue', () => {
    const s = schedule(fold(logoJob().events), { asOf: '2014-11-21' });
    expect(s.overdue).toEqual(['m4']);
    expect(s.nextDue?.milestoneId).toBe('m5');
  });

  it('settled milestones are never overdue and never due next (R21: done, as released ones are)', () => {
    const at = '2014-11-04T09:00:00Z';
    const { state } = play([
      ...activeTerms('USD', [
        { milestoneId: 'a', title: 'A', dueDate: '2014-11-10', amount: 7500 },
        { milestoneId: 'b', title: 'B', dueDate: '2014-11-20', amount: 2500 },
      ]),
      fund('a', 'f1'),
      {
        type: 'OpenDispute',
        actor: 'c',
        at,
        data: { disputeId: 'd1', milestoneId: 'a', refund: 7500 },
      },
      { type: 'AcceptSettlement', actor: 'f', at, data: { disputeId: 'd1', refund: 7500 } },
    ]);
    expect(summarize(state).milestones[0]?.status).toBe('settled');
    // a's due date passed; it settled (all back to the client) and holds nothing: not overdue.
    const late = schedule(state, { asOf: '2014-11-12' });
    expect(late.milestones[0]).toMatchObject({ milestoneId: 'a', overdue: false, daysOverdue: 0 });
    expect(late.overdue).toEqual([]);
    expect(late.overdueAmount).toBe(0);
    expect(late.nextDue?.milestoneId).toBe('b');
    // Before its due date it is not the next one due either: it is done.
    expect(schedule(state, { asOf: '2014-11-05' }).nextDue?.milestoneId).toBe('b');
  });

  it('a closed job has nothing overdue and nothing due', () => {
    const play = accessJob();
    play.on('2014-11-20').freelancer('RefundMilestone', { milestoneId: 'schema' });
    play.client('CloseJob');
    const s = schedule(play.state, { asOf: '2015-01-01' });
    expect(s.status).toBe('closed');
    expect(s.milestones.every((m) => !m.overdue)).toBe(true);
    expect(s.nextDue).toBeNull();
  });

  it('lists nothing before terms are active', () => {
    const s = schedule(fold(accessJob().events.slice(0, 3)), { asOf: '2014-11-30' });
    expect(s.milestones).toEqual([]);
    expect(s.status).toBe('awarded');
  });

  it('takes asOf as a calendar date only (never the clock)', () => {
    for (const asOf of ['2014-02-30', '2014-11-12T00:00:00Z', '', 'today']) {
      expect(() => schedule(early, { asOf })).toThrow(
        expect.objectContaining({ code: 'INVALID_INPUT' }),
      );
    }
  });
});
