import type * as v from 'valibot';
import { assertNever } from './never.js';
import { NOT_AN_ARRAY } from './object-only.js';
import { between, isWellFormed, ruleOf, type FieldRule } from './schema.js';

/*
 * A fast path for the wire format's schemas. Validating an event with valibot costs about twice
 * what `JSON.parse` of its line does (most of a replay's time). This compiles a schema, once, into
 * a plain function that checks the same rules and builds the same output (the same keys in the
 * schema's order, the same values), for the input that is valid, which is nearly all of it. It
 * never decides that something is invalid: on anything it does not accept, and on any schema it
 * does not know, it answers "not sure" and the caller runs valibot, which accepts or rejects with
 * its own message. So an error is always valibot's, and a property test holds that whatever the
 * fast path accepts, valibot accepts with an equal output. Each wire field is checked by the
 * rule its valibot pipe was made from (`FIELD_RULES` in schema.ts): the limits live in one place.
 */

/** "Not sure": run the full schema. */
export const UNSURE: unique symbol = Symbol('unsure');
type Fast = (input: unknown) => unknown;

/** The fast check of a wire field's rule (schema.ts): the same rule its valibot pipe checks. */
function checkOf(rule: FieldRule): Fast {
  switch (rule.kind) {
    case 'pattern': {
      const test = rule.test;
      if (test !== undefined) return (x) => (typeof x === 'string' && test(x) ? x : UNSURE);
      const pattern = rule.pattern;
      return (x) => (typeof x === 'string' && pattern.test(x) ? x : UNSURE);
    }
    case 'length': {
      const { min, max } = rule;
      return (x) => (typeof x === 'string' && between(x, min, max) && isWellFormed(x) ? x : UNSURE);
    }
    case 'test': {
      const test = rule.test;
      return (x) => (typeof x === 'string' && test(x) ? x : UNSURE);
    }
    case 'integer': {
      const min = rule.min;
      return (x) => (typeof x === 'number' && Number.isSafeInteger(x) && x >= min ? x : UNSURE);
    }
    default:
      return assertNever(rule, 'field rule');
  }
}

// The checks made so far, by rule: each field schema is compiled once.
const LEAVES = new Map<FieldRule, Fast>();

interface Node {
  readonly type: string;
  readonly pipe?: readonly { readonly type: string; readonly requirement?: unknown }[];
  readonly entries?: Readonly<Record<string, Node>>;
  readonly wrapped?: Node;
  readonly item?: Node;
  readonly options?: readonly unknown[];
  readonly literal?: unknown;
}

function isPlainObject(x: unknown): x is Record<string, unknown> {
  if (x === null || typeof x !== 'object' || Array.isArray(x)) return false;
  const proto = Object.getPrototypeOf(x) as unknown;
  return proto === Object.prototype || proto === null;
}

/**
 * The fast check of a schema, or undefined when it is not one this knows. `inPlace`: the check
 * builds nothing and answers the input itself, valid as it is (its keys in the schema's order,
 * so that it equals what valibot would build), or {@link UNSURE}.
 */
function compile(schema: Node, inPlace: boolean): Fast | undefined {
  // A wire field: checked by the rule it was declared with.
  const rule = ruleOf(schema);
  if (rule !== undefined) {
    let leaf = LEAVES.get(rule);
    if (leaf === undefined) LEAVES.set(rule, (leaf = checkOf(rule)));
    return leaf;
  }
  // `objectOnly` (schema.ts): the objects here take no array already.
  if (schema.pipe?.[0] === NOT_AN_ARRAY) return compile(schema.pipe[1] as Node, inPlace);
  if (schema.pipe !== undefined) {
    // A pipe: its base schema, then requirements this knows (anything else: not compiled).
    const [base, ...actions] = schema.pipe;
    const check = base === undefined ? undefined : compile(base, inPlace);
    if (check === undefined) return undefined;
    const tests: ((x: unknown) => boolean)[] = [];
    for (const action of actions) {
      if (action.type === 'integer') {
        tests.push((x) => Number.isInteger(x));
        continue;
      }
      const min = action.requirement;
      if (typeof min !== 'number') return undefined;
      if (action.type === 'min_value') tests.push((x) => (x as number) >= min);
      else if (action.type === 'max_value') tests.push((x) => (x as number) <= min);
      else if (action.type === 'min_length') tests.push((x) => (x as unknown[]).length >= min);
      else return undefined;
    }
    return (x) => {
      const out = check(x);
      if (out === UNSURE) return UNSURE;
      for (const test of tests) if (!test(out)) return UNSURE;
      return out;
    };
  }
  switch (schema.type) {
    case 'number':
      // valibot's number() takes every number but NaN.
      return (x) => (typeof x === 'number' && !Number.isNaN(x) ? x : UNSURE);
    case 'picklist': {
      const options = schema.options ?? [];
      return (x) => (options.includes(x) ? x : UNSURE);
    }
    case 'literal': {
      const literal = schema.literal;
      return (x) => (x === literal ? x : UNSURE);
    }
    case 'array': {
      const item = schema.item === undefined ? undefined : compile(schema.item, inPlace);
      if (item === undefined) return undefined;
      if (inPlace)
        return (x) => {
          if (!Array.isArray(x) || Object.getPrototypeOf(x) !== Array.prototype) return UNSURE;
          const items: readonly unknown[] = x;
          for (let i = 0; i < items.length; i++) if (item(items[i]) !== items[i]) return UNSURE;
          return items;
        };
      return (x) => {
        // A plain array, read by index as valibot reads it (an iterator can be replaced).
        if (!Array.isArray(x) || Object.getPrototypeOf(x) !== Array.prototype) return UNSURE;
        const out: unknown[] = [];
        for (let i = 0; i < x.length; i++) {
          const checked = item(x[i]);
          if (checked === UNSURE) return UNSURE;
          out.push(checked);
        }
        return out;
      };
    }
    case 'strict_object':
      return compileObject(schema.entries ?? {}, inPlace);
    default:
      return undefined;
  }
}

function compileObject(
  entries: Readonly<Record<string, Node>>,
  inPlace: boolean,
): Fast | undefined {
  const fields: { key: string; optional: boolean; check: Fast | undefined }[] = [];
  for (const [key, entry] of Object.entries(entries)) {
    const optional = entry.type === 'exact_optional';
    const inner = optional ? entry.wrapped : entry;
    const check = inner === undefined ? undefined : compile(inner, inPlace);
    // A required field this cannot check: the whole object is not compiled.
    if (check === undefined && !optional) return undefined;
    fields.push({ key, optional, check });
  }
  if (inPlace) return inPlaceObject(fields);
  return (x) => {
    if (!isPlainObject(x)) return UNSURE;
    const out: Record<string, unknown> = {};
    let present = 0;
    for (const { key, optional, check } of fields) {
      if (!Object.prototype.hasOwnProperty.call(x, key)) {
        if (optional) continue;
        return UNSURE;
      }
      // An optional field this cannot check (event metadata), or a key the strict check below
      // would not count (not enumerable): valibot decides.
      if (check === undefined || !Object.prototype.propertyIsEnumerable.call(x, key)) return UNSURE;
      const value = check(x[key]);
      if (value === UNSURE) return UNSURE;
      out[key] = value;
      present += 1;
    }
    // Strict: no key beyond the schema's.
    let keys = 0;
    for (const key in x) if (Object.prototype.hasOwnProperty.call(x, key)) keys += 1;
    return keys === present ? out : UNSURE;
  };
}

/**
 * The in-place check of a strict object: every field valid as it is, no key beyond the schema's,
 * and the keys in the schema's order (else valibot's output, in the schema's order, would differ).
 */
function inPlaceObject(
  fields: readonly { key: string; optional: boolean; check: Fast | undefined }[],
): Fast {
  const n = fields.length;
  return (x) => {
    if (!isPlainObject(x)) return UNSURE;
    // One pass over the own enumerable keys, in order, against the fields in the schema's order
    // (a JSON object's keys are all of these). A key that is not the next field present is extra
    // or out of order; a required field passed over is missing (or not enumerable): unsure.
    // This costs a lookup per key, where asking `hasOwnProperty` and `propertyIsEnumerable` of
    // each field, then walking the keys again, cost four.
    let f = 0;
    // `for…in` walks the own keys in `Object.keys` order without building their array. A key it
    // finds on a prototype (a polluted `Object.prototype`) comes after them, on the event too,
    // whose last field (`metadata`) no in-place check takes: the event is unsure.
    for (const key in x) {
      let field = fields[f];
      while (field !== undefined && field.key !== key) {
        // An optional field passed over must be absent, not there but hidden from `Object.keys`.
        if (!field.optional || Object.prototype.hasOwnProperty.call(x, field.key)) return UNSURE;
        field = fields[++f];
      }
      if (field?.check === undefined) return UNSURE;
      const value = x[key];
      if (field.check(value) !== value) return UNSURE;
      f += 1;
    }
    for (; f < n; f++) {
      const field = fields[f] as (typeof fields)[number];
      if (!field.optional || Object.prototype.hasOwnProperty.call(x, field.key)) return UNSURE;
    }
    return x;
  };
}

/**
 * The fast path of a `variant` schema keyed by `key` (the events or the commands): a checker per
 * option, chosen by the input's key. Returns the output, or {@link UNSURE}. `inPlace`: builds
 * nothing, and returns the input itself when it is valid as it is (see `compile`).
 */
export function fastVariant(
  schema: v.GenericSchema & { readonly key: string; readonly options: readonly unknown[] },
  inPlace = false,
): (input: unknown) => unknown {
  const byType = new Map<unknown, Fast>();
  for (const option of schema.options as readonly Node[]) {
    const tag = option.entries?.[schema.key]?.literal;
    const check = compileObject(option.entries ?? {}, inPlace);
    if (tag !== undefined && check !== undefined) byType.set(tag, check);
  }
  const key = schema.key;
  return (input) => {
    if (!isPlainObject(input)) return UNSURE;
    const check = byType.get(input[key]);
    return check === undefined ? UNSURE : check(input);
  };
}
