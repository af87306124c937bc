import { describe, expect, it } from 'vitest';
import { summarize, type JobSummary } from '../../src/index.js';
import { logoDesign } from '../../src/testing/index.js';
import {
  formatDueDate,
  milestoneTable,
  renderMilestoneTable,
} from '../../src/projections/index.js';
import { playDemo } from '../../src/cli/demo.js';
import { activeTerms, fund, play } from './play.js';

describe('the milestone table', () => {
  it("renders the seed's logo-design table (milestone, delivery date, amount) with status and total", () => {
    const { state } = playDemo();
    expect(renderMilestoneTable(state)).toBe(
      [
        'Milestone                                    Delivery Date   Amount  Status',
        'Milestone 1: Start fee deposit               3 Nov 2014      $75.00  released',
        'Milestone 2: 6 concepts                      10 Nov 2014     $75.00  released',
        'Milestone 3: 1st Revision of chosen concept  15 Nov 2014     $75.00  released',
        'Milestone 4: 2nd Revision of chosen concept  20 Nov 2014     $75.00  released',
        'Final: Delivery of final print-ready files   24 Nov 2014    $100.00  released',
        'Total:                                                      $400.00',
      ].join('\n'),
    );
  });

  it('renders the same table as Markdown', () => {
    const { state } = playDemo();
    expect(renderMilestoneTable(state, { format: 'markdown' })).toBe(
      [
        '| Milestone | Delivery Date | Amount | Status |',
        '| :-- | :-- | --: | :-- |',
        '| Milestone 1: Start fee deposit | 3 Nov 2014 | $75.00 | released |',
        '| Milestone 2: 6 concepts | 10 Nov 2014 | $75.00 | released |',
        '| Milestone 3: 1st Revision of chosen concept | 15 Nov 2014 | $75.00 | released |',
        '| Milestone 4: 2nd Revision of chosen concept | 20 Nov 2014 | $75.00 | released |',
        '| Final: Delivery of final print-ready files | 24 Nov 2014 | $100.00 | released |',
        '| **Total:** |  | **$400.00** |  |',
      ].join('\n'),
    );
  });

  it('accepts the JSON summary as well as the state', () => {
    const { state } = playDemo();
    expect(milestoneTable(summarize(state))).toEqual(milestoneTable(state));
    expect(milestoneTable(state).totals).toEqual({
      contract: '$400.00',
      funded: '$450.00',
      held: '$0.00',
      released: '$400.00',
      refunded: '$50.00',
    });
  });

  it('formats JPY without a minor unit', () => {
    const { state } = play([
      ...activeTerms('JPY', [
        { milestoneId: 'a', title: 'Design', dueDate: '2014-11-10', amount: 7500 },
        { milestoneId: 'b', title: 'Final: Build', dueDate: '2014-11-30', amount: 1_250_000 },
      ]),
      fund('a', 'f1'),
    ]);
    expect(renderMilestoneTable(state, { dates: 'iso' })).toBe(
      [
        'Milestone            Delivery Date      Amount  Status',
        'Milestone 1: Design  2014-11-10         ¥7,500  funded',
        'Final: Build         2014-11-30     ¥1,250,000  unfunded',
        'Total:                              ¥1,257,500',
      ].join('\n'),
    );
  });

  it('formats KWD with three minor digits and shows the review status', () => {
    const { state } = play([
      ...activeTerms('KWD', [
        { milestoneId: 'a', title: 'Report', dueDate: '2014-11-10', amount: 1500 },
      ]),
      fund('a', 'f1'),
      { type: 'SubmitWork', actor: 'f', at: '2014-11-04T09:00:00Z', data: { milestoneId: 'a' } },
      {
        type: 'RequestChanges',
        actor: 'c',
        at: '2014-11-05T09:00:00Z',
        data: { milestoneId: 'a' },
      },
    ]);
    const table = milestoneTable(state);
    expect(table.rows).toEqual([
      {
        milestoneId: 'a',
        milestone: 'Milestone 1: Report',
        deliveryDate: '10 Nov 2014',
        amount: 'KWD\u00a01.500',
        status: 'funded, changes requested',
      },
    ]);
    expect(table.total).toBe('KWD\u00a01.500');
  });

  it('shows the pending proposal and what is prefunded for it', () => {
    const { state } = play([
      {
        type: 'AwardJob',
        actor: 'c',
        at: '2014-11-03T09:00:00Z',
        data: { jobId: 'j', title: 'Job', clientId: 'c', freelancerId: 'f', currency: 'USD' },
      },
      {
        type: 'ProposeTerms',
        actor: 'c',
        at: '2014-11-03T09:00:00Z',
        data: {
          proposalId: 'p1',
          milestones: [{ milestoneId: 'a', title: 'Only', dueDate: '2014-11-10', amount: 2500 }],
        },
      },
      fund('a', 'f1'),
    ]);
    expect(renderMilestoneTable(state)).toBe(
      [
        'No active terms yet: no proposal has been accepted.',
        '',
        'Pending proposal p1 by the client:',
        '',
        'Milestone          Delivery Date  Amount    Held',
        'Milestone 1: Only  10 Nov 2014    $25.00  $25.00',
        'Total:                            $25.00',
      ].join('\n'),
    );
  });

  it('says so before the award', () => {
    expect(renderMilestoneTable(play([]).state)).toBe('No job: nothing has been awarded yet.');
  });

  it('keeps untrusted titles on one line and escapes them in Markdown', () => {
    const { state } = play(
      activeTerms('USD', [
        { milestoneId: 'a', title: 'a | b *c*\n$5 <x> &amp;', dueDate: '2014-11-10', amount: 100 },
      ]),
    );
    expect(renderMilestoneTable(state).split('\n')[1]).toBe(
      'Milestone 1: a | b *c*\\u000a$5 <x> &amp;  10 Nov 2014     $1.00  unfunded',
    );
    expect(renderMilestoneTable(state, { format: 'markdown' }).split('\n')[2]).toBe(
      '| Milestone 1: a \\| b \\*c\\*\\\\u000a\\$5 \\<x\\> \\&amp; | 10 Nov 2014 | $1.00 | unfunded |',
    );
  });
});

describe('the table options are checked', () => {
  // Each was silently read as the default: an HTML table came out as text, ISO dates as the seed's.
  it('format, dates and formatDueDate style other than the ones documented are INVALID_INPUT naming the option', () => {
    const { state } = playDemo();
    const cases: [() => unknown, string][] = [
      [() => renderMilestoneTable(state, { format: 'html' as never }), 'format'],
      [() => renderMilestoneTable(state, { format: 'Markdown' as never }), 'format'],
      [() => renderMilestoneTable(state, { dates: 'ISO' as never }), 'dates'],
      [() => milestoneTable(state, { dates: 'iso8601' as never }), 'dates'],
      [() => milestoneTable(summarize(state), { dates: 1 as never }), 'dates'],
      [() => formatDueDate('2014-11-10', 'ISO' as never), 'style'],
    ];
    for (const [run, path] of cases)
      expect(run, path).toThrow(
        expect.objectContaining({
          code: 'INVALID_INPUT',
          details: expect.objectContaining({ path }) as unknown,
        }) as Error,
      );
    expect(formatDueDate('2014-11-10', 'iso')).toBe('2014-11-10');
    expect(milestoneTable(state, { dates: null as never }).rows[0]?.deliveryDate).toBe(
      '3 Nov 2014',
    );
    expect(renderMilestoneTable(state, { format: null as never })).toBe(
      renderMilestoneTable(state),
    );
  });

  it("milestoneTable's message names its own options (locale or dates), not renderMilestoneTable's format", () => {
    expect(() => milestoneTable(playDemo().state, 5 as never)).toThrow(/locale or dates/);
  });

  it('writes a due date the calendar does not have as it is, in the rows and the rendered table', () => {
    // A summary is plain data an app may hold: one whose first due date is 30 February.
    const real = summarize(logoDesign.stages.accepted.state);
    const [first, ...rest] = real.milestones;
    const odd: JobSummary = {
      ...real,
      milestones: [
        { ...(first as JobSummary['milestones'][number]), dueDate: '2014-02-30' },
        ...rest,
      ],
    };
    expect(milestoneTable(odd).rows[0]?.deliveryDate).toBe('2014-02-30');
    const text = renderMilestoneTable(odd);
    expect(text).toContain('2014-02-30');
    expect(text).not.toContain('30 Feb');
  });
});
