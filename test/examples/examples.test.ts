import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

/*
 * The examples are the documentation's runnable code: each runs as a reader would run it
 * (`npx tsx examples/….ts`), importing the built package by its name.
 */

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

function runExample(name: string): { status: number | null; stdout: string; stderr: string } {
  const result = spawnSync(process.execPath, ['--import', 'tsx', `examples/${name}`], {
    cwd: ROOT,
    encoding: 'utf8',
    timeout: 30_000,
  });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

describe('examples', () => {
  it('logo-design.ts: prefunded terms accepted, the job begins at once; the seed table', () => {
    const { status, stdout, stderr } = runExample('logo-design.ts');
    expect(stderr).toBe('');
    expect(status).toBe(0);
    expect(stdout).toContain('after acceptance: in-progress, work may begin: true');
    expect(stdout).toMatch(/^Milestone 2: 6 concepts +10 Nov 2014 +\$75\.00 +released$/m);
    expect(stdout).toMatch(
      /^Final: Delivery of final print-ready files +24 Nov 2014 +\$100\.00 +unfunded$/m,
    );
    expect(stdout).toMatch(/^Total: +\$400\.00$/m);
    expect(stdout).toContain('| **Total:** |  | **$400.00** |  |');
    expect(stdout).toContain(
      '2014-11-03T09:10:00Z  client funded "Start fee deposit" $75.00 from card:visa-4242 as a prefund of p1',
    );
  });

  it('microsoft-access.ts: a counter-proposal refunds the prefund; a release without funds is rejected', () => {
    const { status, stdout, stderr } = runExample('microsoft-access.ts');
    expect(stderr).toBe('');
    expect(status).toBe(0);
    expect(stdout).toContain('the counter-proposal decided: TermsProposed, FundsRefunded');
    expect(stdout).toContain(
      'rejected: NOT_FULLY_FUNDED (R10): Milestone schema holds 0 of 20000: a release pays the whole milestone.',
    );
    expect(stdout).toMatch(/^Milestone 3: QA +24 Nov 2014 +\$200\.00 +unfunded$/m);
    expect(stdout).toMatch(/^Total: +\$800\.00$/m);
    expect(stdout).toContain(
      'escrow refunded "Initial schema design" $200.00 to card:visa-4242 (terms-superseded)',
    );
  });

  it('dispute.ts: QA disputed, countered, escalated and ruled under a 10 % fee; the closing statement', () => {
    const { status, stdout, stderr } = runExample('dispute.ts');
    expect(stderr).toBe('');
    expect(status).toBe(0);
    expect(stdout).toContain("QA submitted: the client's review ends 2014-12-08T09:00:00Z");
    expect(stdout).toContain('the ruling decided: DisputeSettled, FundsRefunded, FundsReleased');
    expect(stdout).toMatch(
      /^Milestone 3: QA +24 Nov 2014 +\$200\.00 +settled, \$120\.00 released$/m,
    );
    expect(stdout).toContain('    refunded 8000 at 2014-12-01T09:00:00Z (dispute-settled)');
    expect(stdout).toContain('    released 12000 at 2014-12-01T09:00:00Z');
    expect(stdout).toContain('    fee 1200 at 2014-12-01T09:00:00Z');
    // The settlement: ruled on the platform's figure, $80 back to the card, $120 to Ana less $12.
    expect(stdout).toContain(
      "  settlement of d1 on qa: ruled on the platform's figure (opened by the client), 20000 held",
    );
    expect(stdout).toContain('    8000 back to card:visa-4242 (f1)');
    expect(stdout).toContain(
      "    12000 to the freelancer, less the platform's fee 1200: 10800 net",
    );
    expect(stdout).toContain(
      'totals: funded 20000 = released 12000 + refunded 8000 + held 0; platform fee 1200, the freelancer nets 10800',
    );
    expect(stdout).toContain(
      'platform ruled: dispute d1 on "QA" settled, $80.00 back to the client',
    );
  });
});
