import { describe, expect, it } from 'vitest';
import { quickstart } from '../../examples/app-quickstart.js';

describe('examples/app-quickstart.ts', () => {
  it('runs', async () => {
    const { now, before } = await quickstart();
    expect(now).toMatchObject({ status: 'in-progress', version: 4, totals: { held: 7500 } });
    expect(before).toMatchObject({ status: 'awaiting-funding', version: 3, totals: { held: 0 } });
  });
});
