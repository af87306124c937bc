import { describe, expectTypeOf, it } from 'vitest';
import {
  createUpcasters,
  upcasterChain,
  type UpcasterChain,
} from '../../src/upcasting/upcasters.js';
import type { MilestoneFunded } from '../../src/index.js';

describe('upcaster chains are typed', () => {
  it("each step reads the previous step's output", () => {
    const chain = upcasterChain('MilestoneFunded', 1, (raw) => raw as { dollars: string }).then(
      (d) => {
        expectTypeOf(d).toEqualTypeOf<{ dollars: string }>();
        return { cents: d.dollars.length };
      },
    );
    expectTypeOf(chain).toEqualTypeOf<UpcasterChain<'MilestoneFunded', { cents: number }>>();
  });

  it("only a chain that ends in today's shape of its type can be registered", () => {
    const complete = upcasterChain('MilestoneFunded', 1, (raw) => raw as { dollars: string }).then(
      (d): MilestoneFunded['data'] => ({
        milestoneId: 'm',
        fundingId: 'f',
        amount: Number(d.dollars),
        source: 's',
        at: '2014-11-03T09:00:00Z',
      }),
    );
    createUpcasters(complete);
    const incomplete = upcasterChain('MilestoneFunded', 1, (raw) => raw as { dollars: string });
    // @ts-expect-error the chain still produces { dollars: string }
    createUpcasters(incomplete);
    const wrongType = upcasterChain('FundsReleased', 1, (raw) => raw as MilestoneFunded['data']);
    // @ts-expect-error MilestoneFunded's shape under FundsReleased
    createUpcasters(wrongType);
  });
});
