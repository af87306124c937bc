import fc from 'fast-check';
import * as v from 'valibot';
import { describe, expect, it } from 'vitest';
import { JobEventSchema, parseEvent, parseOwnEvent } from '../../src/domain/events.js';
import { fastVariant, UNSURE } from '../../src/domain/shared/fast-parse.js';
import {
  CalendarDateSchema,
  CurrencySchema,
  DescriptionSchema,
  FIELD_RULES,
  IdSchema,
  InstantSchema,
  MoneySchema,
  NoteSchema,
  MilestoneCountSchema,
  PositiveMoneySchema,
  SourceSchema,
  TitleSchema,
  type FieldRule,
} from '../../src/domain/shared/schema.js';
import { histories } from '../app/histories.js';

const fast = fastVariant(JobEventSchema);
const inPlace = fastVariant(JobEventSchema, true);

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

/**
 * The edge values of a wire field's rule, from its declaration (schema.ts): a limit changed there
 * moves the values tested here with it.
 */
function edgesOf(rule: FieldRule): Json[] {
  switch (rule.kind) {
    case 'length':
      return [rule.min - 1, rule.min, rule.max, rule.max + 1]
        .filter((n) => n >= 0)
        .flatMap((n) => ['x'.repeat(n), '😀'.repeat(n), `${'x'.repeat(Math.max(0, n - 1))}\ud83d`]);
    case 'integer':
      return [
        rule.min - 1,
        rule.min,
        rule.min + 1,
        rule.min + 0.5,
        Number.MAX_SAFE_INTEGER,
        2 ** 53,
      ];
    case 'pattern': {
      const valid = fc.sample(fc.stringMatching(rule.pattern), { numRuns: 6, seed: 1 });
      return [...valid, ...valid.map((x) => `${x} `), ...valid.map((x) => `-${x}`), ''];
    }
    case 'test':
      // Instants and dates: the fixed edges below (the calendar is not a limit to move).
      return [];
  }
}

const RULE_EDGES: Json[] = Object.values(FIELD_RULES).flatMap((rule) => edgesOf(rule));

// Each rule's schema, to test the rule's fast check alone (a rule without one does not compile).
const FIELD_SCHEMAS = {
  id: IdSchema,
  instant: InstantSchema,
  calendarDate: CalendarDateSchema,
  currency: CurrencySchema,
  title: TitleSchema,
  description: DescriptionSchema,
  note: NoteSchema,
  source: SourceSchema,
  money: MoneySchema,
  positiveMoney: PositiveMoneySchema,
  milestoneCount: MilestoneCountSchema,
} satisfies Record<Exclude<keyof typeof FIELD_RULES, 'snapshotVersion'>, v.GenericSchema>;

/** Every path to a value inside `value` (objects and arrays), the root excluded. */
function paths(value: Json, prefix: (string | number)[] = []): (string | number)[][] {
  if (value === null || typeof value !== 'object') return [];
  const keys: (string | number)[] = Array.isArray(value)
    ? value.map((_, i) => i)
    : Object.keys(value);
  return keys.flatMap((k) => [
    [...prefix, k],
    ...paths((value as Record<string | number, Json>)[k] as Json, [...prefix, k]),
  ]);
}

type Mutation = { kind: 'delete' | 'set' | 'add'; at: number; value: Json; key: string };

function mutate(event: Json, m: Mutation): Json {
  const copy = JSON.parse(JSON.stringify(event)) as Json;
  const all = paths(copy);
  const path = all[m.at % Math.max(1, all.length)] ?? [];
  if (path.length === 0) return copy;
  const parent = path
    .slice(0, -1)
    .reduce<Json>((node, k) => (node as Record<string | number, Json>)[k] as Json, copy) as Record<
    string | number,
    Json
  >;
  const last = path[path.length - 1] as string | number;
  if (m.kind === 'delete') {
    if (Array.isArray(parent)) parent.splice(last as number, 1);
    // eslint-disable-next-line @typescript-eslint/no-dynamic-delete -- the mutation deletes the key it drew
    else delete parent[last];
  } else if (m.kind === 'set') parent[last] = m.value;
  else {
    const target = parent[last];
    if (target !== null && typeof target === 'object' && !Array.isArray(target))
      (target as Record<string, Json>)[m.key] = m.value;
    else parent[last] = m.value;
  }
  return copy;
}

const mutation: fc.Arbitrary<Mutation> = fc.record({
  kind: fc.constantFrom('delete', 'set', 'add'),
  at: fc.nat(),
  value: fc.oneof(
    fc.jsonValue() as fc.Arbitrary<Json>,
    fc.constantFrom<Json>(
      '',
      'm1',
      'x'.repeat(201),
      '2014-02-30',
      '2014-11-03T09:00:00Z',
      '2014-11-03',
      'USD',
      'usd',
      0,
      1,
      -1,
      1.5,
      2 ** 53,
      'client',
      'terms-declined',
      [],
    ),
    fc.constantFrom(...RULE_EDGES),
  ),
  key: fc.constantFrom(
    'extra',
    'note',
    'reason',
    'comment',
    'description',
    '__proto__',
    'metadata',
  ),
});

describe('the fast path of event validation', () => {
  it('property: whatever it accepts, valibot accepts with the same output (same keys, same order)', () => {
    fc.assert(
      fc.property(
        histories(20),
        fc.array(mutation, { maxLength: 3 }),
        fc.nat(),
        ({ events }, mutations, pick) => {
          const original = JSON.parse(JSON.stringify(events[pick % events.length])) as Json;
          const input = mutations.reduce(mutate, original);
          const quick = fast(input);
          const slow = v.safeParse(JobEventSchema, input);
          if (quick !== UNSURE) {
            expect(slow.success).toBe(true);
            expect(JSON.stringify(quick)).toBe(JSON.stringify(slow.output));
          }
          // Without mutations (and without metadata) it is always sure.
          if (mutations.length === 0) expect(quick).not.toBe(UNSURE);
        },
      ),
      { numRuns: 2000 },
    );
  });

  it('property: in place, it accepts only what valibot accepts with an output equal to the input itself (same keys, same order); parseOwnEvent returns what parseEvent returns, or throws its error', () => {
    fc.assert(
      fc.property(
        histories(20),
        fc.array(mutation, { maxLength: 3 }),
        fc.nat(),
        ({ events }, mutations, pick) => {
          const original = JSON.parse(JSON.stringify(events[pick % events.length])) as Json;
          const input = mutations.reduce(mutate, original);
          const text = JSON.stringify(input);
          const quick = inPlace(input);
          const slow = v.safeParse(JobEventSchema, input);
          if (quick !== UNSURE) {
            expect(quick).toBe(input);
            expect(slow.success).toBe(true);
            expect(text).toBe(JSON.stringify(slow.output));
          }
          // The library's events, as JSON, are valid in place: nothing is copied.
          if (mutations.length === 0) expect(quick).toBe(input);
          let copied: unknown;
          let error: unknown;
          try {
            copied = parseEvent(JSON.parse(text));
          } catch (e) {
            error = e;
          }
          // The CLI's objects come from JSON.parse (a mutation through `__proto__` is not JSON).
          if (error === undefined) {
            const own = parseOwnEvent(JSON.parse(text));
            expect(JSON.stringify(own)).toBe(JSON.stringify(copied));
            expect(Object.isFrozen(own) && Object.isFrozen(own.data)).toBe(true);
          } else expect(() => parseOwnEvent(JSON.parse(text))).toThrow(error);
        },
      ),
      { numRuns: 1000 },
    );
  });

  it('agrees with valibot on every field of sample events set to each edge value', () => {
    const edges: Json[] = [
      '',
      'm1',
      'x'.repeat(200),
      'x'.repeat(201),
      '😀'.repeat(200),
      '2014-02-30',
      '2014-02-28',
      '2016-02-29',
      '2014-11-03T09:00:00Z',
      '2014-11-03T24:00:00Z',
      '2014-11-03',
      'USD',
      'usd',
      0,
      1,
      -1,
      1.5,
      2 ** 53,
      'client',
      'terms-declined',
      null,
      [],
      {},
      ...RULE_EDGES,
    ];
    const samples = fc.sample(histories(30), { numRuns: 4, seed: 42 }).flatMap((h) => h.events);
    let accepted = 0;
    for (const event of samples) {
      const original = JSON.parse(JSON.stringify(event)) as Json;
      for (const [at] of paths(original).entries()) {
        for (const value of edges) {
          const input = mutate(original, { kind: 'set', at, value, key: 'x' });
          const quick = fast(input);
          if (quick === UNSURE) continue;
          accepted += 1;
          const slow = v.safeParse(JobEventSchema, input);
          expect(slow.success).toBe(true);
          expect(JSON.stringify(quick)).toBe(JSON.stringify(slow.output));
        }
      }
    }
    expect(accepted).toBeGreaterThan(100);
  });

  it('every wire field is checked by the rule it was declared with: the fast check and valibot agree on its edges', () => {
    const fixed: Json[] = [
      '2014-02-30',
      '2016-02-29',
      '2014-11-03T09:00:00Z',
      '2014-11-03T24:00:00Z',
      null,
      5,
    ];
    for (const [name, schema] of Object.entries(FIELD_SCHEMAS)) {
      const wrapped = v.variant('type', [
        v.strictObject({ type: v.literal('field'), value: schema }),
      ]);
      const check = fastVariant(wrapped);
      let sure = 0;
      for (const value of [...edgesOf(FIELD_RULES[name as keyof typeof FIELD_RULES]), ...fixed]) {
        const input = { type: 'field', value };
        const quick = check(input);
        const slow = v.safeParse(wrapped, input);
        if (quick === UNSURE) {
          // Unsure only where valibot rejects: a valid field is always taken by the fast path.
          expect(slow.success, `${name}: ${JSON.stringify(value)}`).toBe(false);
        } else {
          sure += 1;
          expect(slow.success, `${name}: ${JSON.stringify(value)}`).toBe(true);
          expect(quick).toEqual(slow.output);
        }
      }
      expect(sure, name).toBeGreaterThan(0);
    }
  });

  it('in place, a key inherited from a polluted Object.prototype is never taken for a field', () => {
    // A schema whose last field is optional: an inherited key comes after the own ones, as it would.
    const schema = v.variant('type', [
      v.strictObject({
        type: v.literal('T'),
        data: v.strictObject({ a: IdSchema, b: v.exactOptional(IdSchema) }),
      }),
    ]);
    const check = fastVariant(schema, true);
    const input = JSON.parse('{"type":"T","data":{"a":"x"}}') as Json;
    expect(check(input)).toBe(input);
    Object.defineProperty(Object.prototype, 'b', {
      value: 'inherited',
      enumerable: true,
      configurable: true,
      writable: true,
    });
    try {
      expect(check(input)).toBe(UNSURE);
    } finally {
      delete (Object.prototype as Record<string, unknown>)['b'];
    }
    expect(check(input)).toBe(input);
  });

  it('hands anything odd to valibot: metadata, extra keys, wrong types, class instances', () => {
    const awarded = {
      type: 'JobAwarded',
      data: {
        jobId: 'logo',
        title: 'Logo',
        clientId: 'c',
        freelancerId: 'f',
        currency: 'USD',
        at: '2014-11-03T09:00:00Z',
      },
    };
    expect(fast(awarded)).toEqual(awarded);
    expect(fast({ ...awarded, metadata: {} })).toBe(UNSURE);
    expect(fast({ ...awarded, extra: 1 })).toBe(UNSURE);
    expect(fast({ ...awarded, data: { ...awarded.data, currency: 'usd' } })).toBe(UNSURE);
    expect(fast({ ...awarded, data: { ...awarded.data, at: '2014-02-30T09:00:00Z' } })).toBe(
      UNSURE,
    );
    // eslint-disable-next-line @typescript-eslint/no-extraneous-class -- a class instance, on purpose
    expect(fast(Object.assign(new (class Event {})(), awarded))).toBe(UNSURE);
    expect(fast(JSON.parse('{"type":"JobAwarded","__proto__":{},"data":{}}'))).toBe(UNSURE);
    // A field that is there but not enumerable, with an extra key to make the counts agree.
    const hidden: Record<string, unknown> = { ...awarded.data, extra: 1 };
    Object.defineProperty(hidden, 'at', { value: awarded.data.at, enumerable: false });
    expect(fast({ ...awarded, data: hidden })).toBe(UNSURE);
    expect(v.safeParse(JobEventSchema, { ...awarded, data: hidden }).success).toBe(false);
    // An array whose iterator lies about its items: read by index, or left to valibot.
    const milestone = {
      milestoneId: 'm1',
      title: 'Start',
      description: '',
      dueDate: '2014-11-10',
      amount: 7500,
    };
    const lying = [milestone, 42];
    Object.defineProperty(lying, Symbol.iterator, {
      value: function* () {
        yield milestone;
      },
    });
    const proposed = {
      type: 'TermsProposed',
      data: { proposalId: 'p1', by: 'client', milestones: lying, at: '2014-11-03T09:00:00Z' },
    };
    expect(fast(proposed)).toBe(UNSURE);
    expect(v.safeParse(JobEventSchema, proposed).success).toBe(false);
    class Milestones extends Array<unknown> {}
    expect(
      fast({ ...proposed, data: { ...proposed.data, milestones: Milestones.from([milestone]) } }),
    ).toBe(UNSURE);
  });
});
