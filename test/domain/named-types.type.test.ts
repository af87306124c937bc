import type * as v from 'valibot';
import { describe, expectTypeOf, it } from 'vitest';
import {
  decide,
  type AwardJob,
  type FundsRefunded,
  type JobCommand,
  type JobCommandInput,
  type JobEvent,
  type ProposeTermsInput,
} from '../../src/index.js';
import { type CommandOf, type JobCommandSchema } from '../../src/domain/commands.js';
import { type EventOf, type JobEventSchema } from '../../src/domain/events.js';

// The unions are written from the named types; the schemas are the wire format. These checks
// fail when a command or event is added to a schema and not to its union (or the other way).
describe('named command and event types', () => {
  it('JobCommand is exactly what JobCommandSchema outputs, JobCommandInput what it accepts', () => {
    expectTypeOf<JobCommand>().toExtend<v.InferOutput<typeof JobCommandSchema>>();
    expectTypeOf<v.InferOutput<typeof JobCommandSchema>>().toExtend<JobCommand>();
    expectTypeOf<JobCommandInput>().toExtend<v.InferInput<typeof JobCommandSchema>>();
    expectTypeOf<v.InferInput<typeof JobCommandSchema>>().toExtend<JobCommandInput>();
    expectTypeOf<JobCommand['type']>().toEqualTypeOf<
      v.InferOutput<typeof JobCommandSchema>['type']
    >();
  });

  it('JobEvent is exactly what JobEventSchema outputs', () => {
    expectTypeOf<JobEvent>().toExtend<v.InferOutput<typeof JobEventSchema>>();
    expectTypeOf<v.InferOutput<typeof JobEventSchema>>().toExtend<JobEvent>();
    expectTypeOf<JobEvent['type']>().toEqualTypeOf<v.InferOutput<typeof JobEventSchema>['type']>();
  });

  it('one type of the union is its named type', () => {
    expectTypeOf<CommandOf<'AwardJob'>>().toEqualTypeOf<AwardJob>();
    expectTypeOf<EventOf<'FundsRefunded'>>().toEqualTypeOf<FundsRefunded>();
    expectTypeOf<
      Extract<JobCommandInput, { type: 'ProposeTerms' }>
    >().toEqualTypeOf<ProposeTermsInput>();
  });

  it('decide takes a command of any named type and returns events', () => {
    expectTypeOf(decide).parameter(0).toEqualTypeOf<JobCommandInput | JobCommand>();
    expectTypeOf(decide).returns.toEqualTypeOf<JobEvent[]>();
  });
});
