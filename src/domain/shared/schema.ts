import * as v from 'valibot';
import { objectOnly } from './object-only.js';

/*
 * The wire format's building blocks. Each event and command schema is made of these, and the
 * TypeScript types are inferred from the schemas, so the runtime check and the type never drift.
 */

const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

function isRealDate(year: number, month: number, day: number): boolean {
  if (month < 1 || month > 12 || day < 1) return false;
  const leap = year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
  const days = month === 2 && leap ? 29 : (DAYS_IN_MONTH[month - 1] ?? 0);
  return day <= days;
}

/**
 * True when a text has between `min` and `max` characters, counted as Unicode code points (an
 * emoji is one character, as a person counts it, not two UTF-16 units).
 */
export function between(text: string, min: number, max: number): boolean {
  if (text.length < min) return false; // every code point takes one or two units
  if (text.length <= max) return true;
  let count = 0;
  for (let i = 0; i < text.length; i++) {
    const unit = text.charCodeAt(i);
    // A high surrogate followed by a low one is one code point.
    if (unit >= 0xd800 && unit <= 0xdbff && i + 1 < text.length) {
      const low = text.charCodeAt(i + 1);
      if (low >= 0xdc00 && low <= 0xdfff) i++;
    }
    if (++count > max) return false;
  }
  return count >= min;
}

// With the `u` flag a pair is one code point: only a lone surrogate matches.
const LONE_SURROGATE = /\p{Cs}/u;

/**
 * True when a text is well-formed UTF-16 (no lone surrogate): only such text can be stored as
 * UTF-8 (PostgreSQL's `pg` turned `\ud800` and `\udc00` both into U+FFFD).
 */
export function isWellFormed(text: string): boolean {
  return !LONE_SURROGATE.test(text);
}

const WELL_FORMED =
  'text is well-formed Unicode (a lone surrogate such as \\ud800 cannot be stored)';

/**
 * The value of the ASCII digits of text[from, to), or -1 when one of them is not a digit (or is
 * past the end). Dates, instants and ids are read character by character rather than matched by
 * regular expressions: a replay checks one or two of each per event, and the expressions (their
 * match arrays and substrings) cost about as much as JSON.parse of the line.
 */
export function digitsAt(text: string, from: number, to: number): number {
  let value = 0;
  for (let i = from; i < to; i++) {
    const d = text.charCodeAt(i) - 48;
    if (!(d >= 0 && d <= 9)) return -1;
    value = value * 10 + d;
  }
  return value;
}

// `YYYY-MM-DD` at the start of a text: an existing calendar date (the separators checked by the caller).
function realDateAtStart(text: string): boolean {
  const year = digitsAt(text, 0, 4);
  const month = digitsAt(text, 5, 7);
  const day = digitsAt(text, 8, 10);
  return year >= 0 && month >= 0 && day >= 0 && isRealDate(year, month, day);
}

/** True when a text has an instant's separators in place: `YYYY-MM-DDTHH:MM:SS…` (digits not checked). */
export function hasInstantSeparators(text: string): boolean {
  return (
    text.charCodeAt(4) === 45 && // -
    text.charCodeAt(7) === 45 &&
    text.charCodeAt(10) === 84 && // T
    text.charCodeAt(13) === 58 && // :
    text.charCodeAt(16) === 58
  );
}

// Two digits from `from` on whose value is at most `max` (hours, minutes, seconds).
function upTo(text: string, from: number, max: number): boolean {
  const value = digitsAt(text, from, from + 2);
  return value >= 0 && value <= max;
}

/**
 * True for an existing calendar date written `YYYY-MM-DD` (`2014-02-30` is not one): exactly
 * `^(\d{4})-(\d{2})-(\d{2})$` and a real date.
 */
export function isCalendarDate(value: string): boolean {
  return (
    value.length === 10 &&
    value.charCodeAt(4) === 45 && // -
    value.charCodeAt(7) === 45 &&
    realDateAtStart(value)
  );
}

/**
 * True for an ISO-8601 instant with seconds and a zone, e.g. `2014-11-03T09:00:00Z`: exactly
 * `^(\d{4})-(\d{2})-(\d{2})T([01]\d|2[0-3]):([0-5]\d):([0-5]\d)(\.\d{1,9})?(Z|[+-](?:[01]\d|2[0-3]):[0-5]\d)$`
 * on a real date (no leap second, no 24:00).
 */
export function isInstant(value: string): boolean {
  const n = value.length;
  if (
    n < 20 ||
    !hasInstantSeparators(value) ||
    !upTo(value, 11, 23) ||
    !upTo(value, 14, 59) ||
    !upTo(value, 17, 59)
  )
    return false;
  let at = 19;
  if (value.charCodeAt(at) === 46) {
    // A fraction: 1–9 digits.
    let end = at + 1;
    while (end < n && digitsAt(value, end, end + 1) >= 0) end += 1;
    const count = end - at - 1;
    if (count < 1 || count > 9) return false;
    at = end;
  }
  const zone = value.charCodeAt(at);
  if (zone === 90) return at + 1 === n && realDateAtStart(value); // Z
  if (zone !== 43 && zone !== 45) return false; // + or -
  return (
    at + 6 === n &&
    value.charCodeAt(at + 3) === 58 &&
    upTo(value, at + 1, 23) &&
    upTo(value, at + 4, 59) &&
    realDateAtStart(value)
  );
}

/**
 * Ids (job, party, proposal, milestone, funding): 1–128 characters, starting with a letter or
 * digit, then letters, digits and `_ . : @ / -`. UUIDs, ULIDs and `m1` all fit; `__proto__`
 * and whitespace do not.
 */
export const ID_PATTERN = /^[A-Za-z0-9][A-Za-z0-9_.:@/-]{0,127}$/;

// The characters of ids by code (ASCII): 2 a letter or digit, 1 one of `_ . : @ / -`, 0 none.
const ID_CHARS = new Uint8Array(128);
for (let c = 0; c < 128; c++) {
  const ch = String.fromCharCode(c);
  ID_CHARS[c] = /[A-Za-z0-9]/.test(ch) ? 2 : '_.:@/-'.includes(ch) ? 1 : 0;
}

/** {@link ID_PATTERN}, read character by character (the fast path's check; a property holds them equal). */
export function isId(text: string): boolean {
  const n = text.length;
  if (n < 1 || n > 128) return false;
  const first = text.charCodeAt(0);
  if (first >= 128 || ID_CHARS[first] !== 2) return false;
  for (let i = 1; i < n; i++) {
    const c = text.charCodeAt(i);
    if (c >= 128 || ID_CHARS[c] === 0) return false;
  }
  return true;
}

/**
 * The rule of one kind of wire field, declared once: its valibot pipe (below) and the fast
 * path's check (fast-parse.ts) are both made from it, and the fast path's property test draws
 * its edge values from it, so a limit changed here changes all three.
 */
export type FieldRule =
  /**
   * A text matching a pattern. `test`, when given, answers as the pattern does, written out by
   * hand: the fast path (fast-parse.ts) uses it, valibot the pattern (so its issues stay the same).
   */
  | {
      readonly kind: 'pattern';
      readonly pattern: RegExp;
      readonly test?: (text: string) => boolean;
      readonly message: string;
    }
  /** A text of `min`–`max` characters, counted as code points ({@link between}). */
  | {
      readonly kind: 'length';
      readonly min: number;
      readonly max: number;
      readonly message: string;
    }
  /** A text a function accepts (instants and dates: the calendar is not a pattern). */
  | { readonly kind: 'test'; readonly test: (text: string) => boolean; readonly message: string }
  /** A safe integer of at least `min` (money in minor units). */
  | { readonly kind: 'integer'; readonly min: number; readonly message: string };

/** Every kind of wire field and its rule. */
export const FIELD_RULES = {
  id: {
    kind: 'pattern',
    pattern: ID_PATTERN,
    test: isId,
    message: 'an id is 1–128 letters, digits or _.:@/- and starts with a letter or digit',
  },
  instant: {
    kind: 'test',
    test: isInstant,
    message: 'an instant is ISO-8601 with seconds and a zone, e.g. 2014-11-03T09:00:00Z',
  },
  calendarDate: {
    kind: 'test',
    test: isCalendarDate,
    message: 'a due date is an existing calendar date YYYY-MM-DD',
  },
  currency: {
    kind: 'pattern',
    pattern: /^[A-Z]{3}$/,
    message: 'a currency is an ISO-4217 code of three capital letters',
  },
  title: { kind: 'length', min: 1, max: 200, message: 'a title is 1–200 characters' },
  description: { kind: 'length', min: 0, max: 5000, message: 'a description is 0–5000 characters' },
  note: { kind: 'length', min: 0, max: 5000, message: 'a note is at most 5000 characters' },
  source: { kind: 'length', min: 1, max: 200, message: 'a payment source is 1–200 characters' },
  money: { kind: 'integer', min: 0, message: 'money is never negative' },
  positiveMoney: { kind: 'integer', min: 1, message: 'a milestone amount is a positive integer' },
  milestoneCount: { kind: 'integer', min: 1, message: 'a number of milestones is at least 1' },
  // Not on the wire: a snapshot's, which every snapshot store checks (src/store/snapshot-input.ts).
  snapshotVersion: {
    kind: 'length',
    min: 1,
    max: 200,
    message: 'a snapshot version is 1–200 characters',
  },
} as const satisfies Record<string, FieldRule>;

/**
 * True for a name a database keeps, chosen by the app (a snapshot's `snapshotVersion`, so the
 * handler's option too; a consumer's name): `FIELD_RULES.snapshotVersion`'s 1–200 characters,
 * counted as code points as every text limit is, of well-formed text without U+0000 (PostgreSQL
 * refuses it, and keeps a lone surrogate as U+FFFD). One rule, so that a version the handler
 * takes is one every snapshot store keeps.
 */
export function isNameText(text: string): boolean {
  const { min, max } = FIELD_RULES.snapshotVersion;
  return between(text, min, max) && isWellFormed(text) && !text.includes('\0');
}

const NOT_A_FLOAT = 'money is a safe integer in minor units (no floats)';

// The rule each field schema was made from, by identity (fast-parse.ts compiles from it).
const RULES = new WeakMap<object, FieldRule>();

/** The rule a field schema was made from, if it is one of the wire format's fields. */
export function ruleOf(schema: object): FieldRule | undefined {
  return RULES.get(schema);
}

/** The valibot pipe of a string rule. */
function textField(rule: Exclude<FieldRule, { kind: 'integer' }>) {
  const schema =
    rule.kind === 'pattern'
      ? v.pipe(v.string(), v.regex(rule.pattern, rule.message))
      : rule.kind === 'length'
        ? v.pipe(
            v.string(),
            v.check((t) => between(t, rule.min, rule.max), rule.message),
            // Free text: a lone surrogate cannot be stored as UTF-8 (issue 16, D3).
            v.check(isWellFormed, WELL_FORMED),
          )
        : v.pipe(v.string(), v.check(rule.test, rule.message));
  RULES.set(schema, rule);
  return schema;
}

/** The valibot pipe of an integer rule. */
function integerField(rule: Extract<FieldRule, { kind: 'integer' }>) {
  const schema = v.pipe(v.number(), v.safeInteger(NOT_A_FLOAT), v.minValue(rule.min, rule.message));
  RULES.set(schema, rule);
  return schema;
}

export const IdSchema = textField(FIELD_RULES.id);

export const MoneySchema = integerField(FIELD_RULES.money);

export const PositiveMoneySchema = integerField(FIELD_RULES.positiveMoney);

/** A number of milestones, such as an award's `maxMilestones`. */
export const MilestoneCountSchema = integerField(FIELD_RULES.milestoneCount);

export const InstantSchema = textField(FIELD_RULES.instant);

export const CalendarDateSchema = textField(FIELD_RULES.calendarDate);

export const CurrencySchema = textField(FIELD_RULES.currency);

export const TitleSchema = textField(FIELD_RULES.title);

export const DescriptionSchema = textField(FIELD_RULES.description);

/** Free text such as a comment, a note or a reason. */
export const NoteSchema = textField(FIELD_RULES.note);

/** A payment source, such as `card:visa-4242`. */
export const SourceSchema = textField(FIELD_RULES.source);

export const RoleSchema = v.picklist(['client', 'freelancer']);
/**
 * The part a party plays in a job.
 * @useDeclaredType
 * @category State
 */
export type Role = v.InferOutput<typeof RoleSchema>;

/** Who issued a command, where the platform may act too (spec §7, §11). */
export const ActorRoleSchema = v.picklist(['client', 'freelancer', 'platform']);
/**
 * The part an actor plays: one of the parties, or the platform (its timers, its mediators).
 * @useDeclaredType
 * @category State
 */
export type ActorRole = v.InferOutput<typeof ActorRoleSchema>;

/** A milestone as the wire carries it in events (R1). */
export const MilestoneSchema = v.strictObject({
  milestoneId: IdSchema,
  title: TitleSchema,
  description: DescriptionSchema,
  dueDate: CalendarDateSchema,
  amount: PositiveMoneySchema,
});
/**
 * A key date at which a deliverable is reviewed, approved and paid (R1).
 * @useDeclaredType
 * @category State
 */
export type Milestone = v.InferOutput<typeof MilestoneSchema>;

/** A milestone as a command may give it: `description` defaults to `""`. */
export const MilestoneInputSchema = v.strictObject({
  milestoneId: IdSchema,
  title: TitleSchema,
  description: v.optional(DescriptionSchema, ''),
  dueDate: CalendarDateSchema,
  amount: PositiveMoneySchema,
});
/**
 * A milestone as a `ProposeTerms` command may give it (`description` optional).
 * @useDeclaredType
 * @category State
 */
export type MilestoneInput = v.InferInput<typeof MilestoneInputSchema>;

/**
 * Metadata keys that are refused (everywhere: events, stores, the handler). An object reads them
 * as its prototype's (`__proto__` even sets it), so they cannot round-trip through every store
 * and every app's object code: valibot's `record` dropped them silently.
 */
export const RESERVED_METADATA_KEYS = ['__proto__', 'constructor', 'prototype'] as const;

/** The first reserved key an object has as its own, if any. */
export function reservedMetadataKey(value: unknown): string | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  return RESERVED_METADATA_KEYS.find((key) => Object.prototype.hasOwnProperty.call(value, key));
}

/** Free-form metadata a store or an app attaches to an event; the domain never reads it. */
export const MetadataSchema = objectOnly(
  v.pipe(
    v.custom<Record<string, unknown>>(
      (value) => reservedMetadataKey(value) === undefined,
      (issue) =>
        `the metadata key ${String(reservedMetadataKey(issue.input))} is reserved (${RESERVED_METADATA_KEYS.join(', ')} are refused)`,
    ),
    v.record(v.string(), v.unknown()),
  ),
);

/** An event's wire shape: `{ type, data, metadata? }`, as Emmett and EventStoreDB have it. */
export function eventSchema<const T extends string, const D extends v.GenericSchema>(
  type: T,
  data: D,
) {
  const metadata = v.exactOptional(MetadataSchema);
  return v.strictObject({ type: v.literal(type), data: objectOnly(data), metadata });
}

/** A command's wire shape: `{ type, actor, at, data }` (spec §4). */
export function commandSchema<const T extends string, const D extends v.GenericSchema>(
  type: T,
  data: D,
) {
  return v.strictObject({
    type: v.literal(type),
    actor: IdSchema,
    at: InstantSchema,
    data: objectOnly(data),
  });
}
