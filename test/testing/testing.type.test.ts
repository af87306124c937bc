/* eslint-disable @typescript-eslint/unbound-method -- expectTypeOf reads methods' types and never calls them */
import { describe, expectTypeOf, it } from 'vitest';
import fc from 'fast-check';
import * as fcNamespace from 'fast-check';
import type { DomainError, JobCommandInput, JobEvent, JobState } from '../../src/index.js';
import {
  escrowArbitraries,
  given,
  logoDesign,
  type Arbitrary,
  type GeneratedHistory,
  type InvalidCommandCase,
  type JobFixture,
  type LogoDesignStage,
} from '../../src/testing/index.js';

describe('milestone-escrow/testing types', () => {
  it('given/when/then returns the state, thenThrows the DomainError', () => {
    const when = given(logoDesign.events).when({
      type: 'CloseJob',
      actor: 'a',
      at: '2014-11-03T09:00:00Z',
      data: {},
    });
    expectTypeOf(when.then).returns.toEqualTypeOf<JobState>();
    expectTypeOf(when.thenThrows).returns.toEqualTypeOf<DomainError>();
    expectTypeOf(when.then).parameter(0).toEqualTypeOf<readonly JobEvent[]>();
  });

  it('the arbitraries take fast-check as a default or a namespace import', () => {
    expectTypeOf(escrowArbitraries(fc).history()).toEqualTypeOf<Arbitrary<GeneratedHistory>>();
    expectTypeOf(escrowArbitraries(fcNamespace).invalidCommand()).toEqualTypeOf<
      Arbitrary<InvalidCommandCase>
    >();
    expectTypeOf(escrowArbitraries(fc).commands()).toEqualTypeOf<
      Arbitrary<readonly JobCommandInput[]>
    >();
  });

  it('fixture stages are named', () => {
    expectTypeOf(logoDesign).toEqualTypeOf<JobFixture<LogoDesignStage>>();
    expectTypeOf(logoDesign.stages).toHaveProperty('prefunded');
  });
});
