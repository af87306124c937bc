import { describe, expect, it } from 'vitest';
import { logoDesignCommands } from '../../src/cli/demo.js';
import { cli, MILESTONE_KEYS, read, SUMMARY_KEYS, TOTALS_KEYS } from './support.js';

/* `milestone-escrow demo`: the seed's logo-design job, as a table and as spec §5's JSON. */

describe('demo', () => {
  it("prints the seed's logo-design table with status, the $400.00 total and a timeline", async () => {
    const { code, stdout, stderr } = await cli(['demo']);
    expect(code).toBe(0);
    expect(stderr).toBe('');
    expect(stdout).toMatch(/^Milestone 1: Start fee deposit +3 Nov 2014 +\$75\.00 +released$/m);
    expect(stdout).toMatch(/^Milestone 2: 6 concepts +10 Nov 2014 +\$75\.00 +released$/m);
    expect(stdout).toMatch(
      /^Milestone 3: 1st Revision of chosen concept +15 Nov 2014 +\$75\.00 +released$/m,
    );
    expect(stdout).toMatch(
      /^Milestone 4: 2nd Revision of chosen concept +20 Nov 2014 +\$75\.00 +released$/m,
    );
    expect(stdout).toMatch(
      /^Final: Delivery of final print-ready files +24 Nov 2014 +\$100\.00 +released$/m,
    );
    expect(stdout).toMatch(/^Total: +\$400\.00$/m);
    expect(stdout).toContain(
      '\nTimeline\n2014-11-03T08:30:00Z  client clara awarded "Logo design" (logo-2014, USD) to freelancer felix\n',
    );
    expect(stdout).toContain(
      '2014-11-03T09:00:00Z  client funded "Start fee deposit" $75.00 from card:visa-4242',
    );
  });

  it('prints the JSON summary with --json, shaped exactly as spec §5', async () => {
    const { code, stdout } = await cli(['demo', '--json']);
    expect(code).toBe(0);
    const summary = JSON.parse(stdout) as Record<string, unknown> & {
      totals: object;
      milestones: object[];
    };
    expect(Object.keys(summary)).toEqual(SUMMARY_KEYS);
    expect(Object.keys(summary.totals)).toEqual(TOTALS_KEYS);
    for (const m of summary.milestones) expect(Object.keys(m)).toEqual(MILESTONE_KEYS);
    expect(summary).toMatchObject({
      jobId: 'logo-2014',
      currency: 'USD',
      status: 'closed',
      version: 26,
      workMayBegin: true,
      totals: { contract: 40000, funded: 45000, held: 0, released: 40000, refunded: 5000 },
      pendingProposal: null,
    });
    expect(summary.milestones[0]).toEqual({
      milestoneId: 'm1',
      title: 'Start fee deposit',
      dueDate: '2014-11-03',
      amount: 7500,
      status: 'released',
      held: 0,
      released: 7500,
      review: 'none',
      fees: 0,
      reviewDueAt: null,
      dispute: null,
    });
  });

  it('is the same job as running its commands file', () => {
    expect(
      read(new URL('../../examples/logo-design.commands.ndjson', import.meta.url).pathname),
    ).toBe(
      logoDesignCommands()
        .map((c) => `${JSON.stringify({ type: c.type, actor: c.actor, at: c.at, data: c.data })}\n`)
        .join(''),
    );
  });
});
