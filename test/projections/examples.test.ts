import { describe, expect, it } from 'vitest';
import { main } from '../../examples/read-models.js';

describe('examples/read-models.ts', () => {
  it('prints every read model of the seed logo job (the demo commands, read from the shipped file)', () => {
    const lines = main(() => {});
    expect(lines).toContain('summary: in-progress, released 15000 of 40000');
    expect(lines).toContain('as of 2014-11-16: overdue m3 (7500); next due m4');
    expect(lines).toContain(
      'balances: {"escrow:m1":0,"source:card:visa-4242":-32500,"freelancer":40000,"escrow:m2":0,"escrow:m3":0,"escrow:m4":0,"source:paypal:clara@example.com":-7500,"escrow:m6":0,"escrow:m5":0}',
    );
    expect(lines).toContain(
      'trial balance after event 3: escrow:m1 7500, source:card:visa-4242 -7500; total 0',
    );
    expect(lines).toContain(
      'funding f5 (m6) 5000 from card:visa-4242: refunded 5000 at 2014-11-18T10:00:00Z',
    );
    expect(lines).toContain(
      'notify felix (freelancer): milestone-funded [logo-2014:3:freelancer:milestone-funded]',
    );
    expect(lines).toContain('many jobs: logo-2014; held in escrow 0');
  });
});
