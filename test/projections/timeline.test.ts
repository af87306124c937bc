import { describe, expect, it } from 'vitest';
import { type JobCommandInput, type MilestoneInput } from '../../src/index.js';
import { createTimeline, timeline } from '../../src/projections/index.js';
import { playDemo } from '../../src/cli/demo.js';
import { activeTerms, fund, play } from './play.js';

const at = (day: number, hour = 9): string =>
  `2014-11-${String(day).padStart(2, '0')}T${String(hour).padStart(2, '0')}:00:00Z`;

describe('the timeline', () => {
  it('writes one line per event, as the issue shows it', () => {
    const { events } = playDemo();
    const lines = timeline(events);
    expect(lines).toHaveLength(events.length);
    expect(lines).toContain(
      '2014-11-03T09:00:00Z  client funded "Start fee deposit" $75.00 from card:visa-4242 as a prefund of p1',
    );
    expect(lines).toContain(
      '2014-11-03T10:00:00Z  freelancer accepted terms p1; the job is in-progress',
    );
    expect(lines).toContain(
      '2014-11-13T10:00:00Z  freelancer proposed terms p2 (5 milestones, $400.00: "2nd Revision of chosen concept" due 2014-11-19 → 2014-11-20)',
    );
    expect(lines).toContain(
      '2014-11-18T10:00:00Z  escrow refunded "Business card design" $50.00 to card:visa-4242 (terms-declined)',
    );
    expect(lines.at(-1)).toBe('2014-11-25T09:30:00Z  client closed the job: "Logo delivered."');
  });

  it('tells every event type, the automatic refunds by the title the milestone last had', () => {
    const terms: MilestoneInput[] = [
      { milestoneId: 'a', title: 'Alpha', dueDate: '2014-11-10', amount: 10000 },
      { milestoneId: 'b', title: 'Beta', dueDate: '2014-11-20', amount: 5000 },
    ];
    const commands: JobCommandInput[] = [
      ...activeTerms('USD', terms, 'Site'),
      fund('a', 'f1'),
      fund('b', 'f2', 'bank:acme'),
      // A change that deletes Beta and reduces Alpha: the excess goes back (R9).
      {
        type: 'ProposeTerms',
        actor: 'f',
        at: at(4),
        data: { proposalId: 'p2', milestones: [{ ...terms[0]!, title: 'Alpha v2', amount: 6000 }] },
      },
      { type: 'AcceptTerms', actor: 'c', at: at(5), data: { proposalId: 'p2' } },
      // A proposal prefunded then withdrawn (R8).
      {
        type: 'ProposeTerms',
        actor: 'c',
        at: at(6),
        data: {
          proposalId: 'p3',
          milestones: [
            { ...terms[0]!, title: 'Alpha v2', amount: 6000 },
            { milestoneId: 'c', title: 'Gamma', dueDate: '2014-11-30', amount: 700 },
          ],
        },
      },
      fund('c', 'f3', 'card:visa-4242', at(6, 10)),
      { type: 'WithdrawTerms', actor: 'c', at: at(7), data: { proposalId: 'p3' } },
      {
        type: 'SubmitWork',
        actor: 'f',
        at: at(8),
        data: { milestoneId: 'a', note: 'line 1\nline 2' },
      },
      { type: 'RefundMilestone', actor: 'f', at: at(9), data: { milestoneId: 'a' } },
      { type: 'CloseJob', actor: 'c', at: at(10), data: {} },
    ];
    const { events } = play(commands);
    expect(timeline(events)).toEqual([
      '2014-11-03T09:00:00Z  client c awarded "Site" (j, USD) to freelancer f',
      '2014-11-03T09:00:00Z  client proposed terms p1 (2 milestones, $150.00)',
      '2014-11-03T09:00:00Z  freelancer accepted terms p1; the job is awaiting-funding',
      '2014-11-03T09:00:00Z  client funded "Alpha" $100.00 from card:visa-4242; the job is in-progress',
      '2014-11-03T09:00:00Z  client funded "Beta" $50.00 from bank:acme',
      '2014-11-04T09:00:00Z  freelancer proposed terms p2 (1 milestone, $60.00: "Alpha" renamed "Alpha v2"; "Alpha" $100.00 → $60.00; deletes "Beta")',
      '2014-11-05T09:00:00Z  client accepted terms p2',
      '2014-11-05T09:00:00Z  escrow refunded "Alpha v2" $40.00 to card:visa-4242 (milestone-reduced)',
      '2014-11-05T09:00:00Z  escrow refunded "Beta" $50.00 to bank:acme (milestone-deleted)',
      '2014-11-06T09:00:00Z  client proposed terms p3 (2 milestones, $67.00: adds "Gamma" $7.00 due 2014-11-30)',
      '2014-11-06T10:00:00Z  client funded "Gamma" $7.00 from card:visa-4242 as a prefund of p3',
      '2014-11-07T09:00:00Z  client withdrew terms p3',
      '2014-11-07T09:00:00Z  escrow refunded "Gamma" $7.00 to card:visa-4242 (terms-withdrawn)',
      '2014-11-08T09:00:00Z  freelancer submitted work for "Alpha v2": "line 1\\u000aline 2"',
      '2014-11-09T09:00:00Z  freelancer refunded "Alpha v2" $60.00 to card:visa-4242 (refunded-by-freelancer); the job is awaiting-funding',
      '2014-11-10T09:00:00Z  client closed the job',
    ]);
  });

  it('can be written event by event, in yen', () => {
    const { events } = play([
      ...activeTerms('JPY', [
        { milestoneId: 'a', title: 'Design', dueDate: '2014-11-10', amount: 7500 },
      ]),
      fund('a', 'f1'),
    ]);
    const writer = createTimeline();
    expect(events.map((e) => writer.push(e))).toEqual(timeline(events));
    expect(timeline(events).at(-1)).toBe(
      '2014-11-03T09:00:00Z  client funded "Design" ¥7,500 from card:visa-4242; the job is in-progress',
    );
  });
});
