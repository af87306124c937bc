import { describe, expect, it } from 'vitest';
import { main } from '../../examples/read-models.js';

describe('examples/read-models.ts', () => {
  it('prints every read model of the seed logo job', () => {
    const lines = main(() => {});
    expect(lines).toContain('summary: in-progress, released 15000 of 40000');
    expect(lines).toContain('as of 2014-11-16: overdue m3 (7500); next due m4');
    expect(lines).toContain(
      'balances: {"escrow:m1":0,"source:card:visa-4242":-15000,"freelancer":15000,"escrow:m2":0}',
    );
    expect(lines).toContain(
      'trial balance after event 3: escrow:m1 7500, source:card:visa-4242 -7500; total 0',
    );
    expect(lines).toContain(
      'funding f1 (m1) 7500 from card:visa-4242: released 7500 at 2014-11-04T09:00:00Z',
    );
    expect(lines).toContain(
      'notify freelancer-9 (freelancer): milestone-funded [logo:3:freelancer:milestone-funded]',
    );
    expect(lines).toContain('many jobs: job-logo; held in escrow 0');
  });
});
