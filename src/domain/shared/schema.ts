import * as v from 'valibot';

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

const CALENDAR_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const INSTANT =
  /^(\d{4})-(\d{2})-(\d{2})T([01]\d|2[0-3]):([0-5]\d):([0-5]\d)(\.\d{1,9})?(Z|[+-](?:[01]\d|2[0-3]):[0-5]\d)$/;

/** True for an existing calendar date written `YYYY-MM-DD` (`2014-02-30` is not one). */
export function isCalendarDate(value: string): boolean {
  const m = CALENDAR_DATE.exec(value);
  return m !== null && isRealDate(Number(m[1]), Number(m[2]), Number(m[3]));
}

/** True for an ISO-8601 instant with seconds and a zone, e.g. `2014-11-03T09:00:00Z`. */
export function isInstant(value: string): boolean {
  const m = INSTANT.exec(value);
  return m !== null && isRealDate(Number(m[1]), Number(m[2]), Number(m[3]));
}

/**
 * Ids (job, party, proposal, milestone, funding): 1–128 characters, starting with a letter or
 * digit, then letters, digits and `_ . : @ / -`. UUIDs, ULIDs and `m1` all fit; `__proto__`
 * and whitespace do not.
 */
export const ID_PATTERN = /^[A-Za-z0-9][A-Za-z0-9_.:@/-]{0,127}$/;

export const IdSchema = v.pipe(
  v.string(),
  v.regex(ID_PATTERN, 'an id is 1–128 letters, digits or _.:@/- and starts with a letter or digit'),
);

export const MoneySchema = v.pipe(
  v.number(),
  v.safeInteger('money is a safe integer in minor units (no floats)'),
  v.minValue(0, 'money is never negative'),
);

export const PositiveMoneySchema = v.pipe(
  v.number(),
  v.safeInteger('money is a safe integer in minor units (no floats)'),
  v.minValue(1, 'a milestone amount is a positive integer'),
);

export const InstantSchema = v.pipe(
  v.string(),
  v.check(isInstant, 'an instant is ISO-8601 with seconds and a zone, e.g. 2014-11-03T09:00:00Z'),
);

export const CalendarDateSchema = v.pipe(
  v.string(),
  v.check(isCalendarDate, 'a due date is an existing calendar date YYYY-MM-DD'),
);

export const CurrencySchema = v.pipe(
  v.string(),
  v.regex(/^[A-Z]{3}$/, 'a currency is an ISO-4217 code of three capital letters'),
);

export const TitleSchema = v.pipe(
  v.string(),
  v.check((t) => between(t, 1, 200), 'a title is 1–200 characters'),
  v.check(isWellFormed, WELL_FORMED),
);

export const DescriptionSchema = v.pipe(
  v.string(),
  v.check((t) => between(t, 0, 5000), 'a description is 0–5000 characters'),
  v.check(isWellFormed, WELL_FORMED),
);

/** Free text such as a comment, a note or a reason. */
export const NoteSchema = v.pipe(
  v.string(),
  v.check((t) => between(t, 0, 5000), 'a note is at most 5000 characters'),
  v.check(isWellFormed, WELL_FORMED),
);

/** A payment source, such as `card:visa-4242`. */
export const SourceSchema = v.pipe(
  v.string(),
  v.check((t) => between(t, 1, 200), 'a payment source is 1–200 characters'),
  v.check(isWellFormed, WELL_FORMED),
);

export const RoleSchema = v.picklist(['client', 'freelancer']);
/**
 * The part a party plays in a job.
 * @useDeclaredType
 */
export type Role = v.InferOutput<typeof RoleSchema>;

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
export const MetadataSchema = v.pipe(
  v.custom<Record<string, unknown>>(
    (value) => reservedMetadataKey(value) === undefined,
    (issue) =>
      `the metadata key ${String(reservedMetadataKey(issue.input))} is reserved (${RESERVED_METADATA_KEYS.join(', ')} are refused)`,
  ),
  v.record(v.string(), v.unknown()),
);

/** An event's wire shape: `{ type, data, metadata? }`, as Emmett and EventStoreDB have it. */
export function eventSchema<const T extends string, const D extends v.GenericSchema>(
  type: T,
  data: D,
) {
  return v.strictObject({ type: v.literal(type), data, metadata: v.exactOptional(MetadataSchema) });
}

/** A command's wire shape: `{ type, actor, at, data }` (spec §4). */
export function commandSchema<const T extends string, const D extends v.GenericSchema>(
  type: T,
  data: D,
) {
  return v.strictObject({ type: v.literal(type), actor: IdSchema, at: InstantSchema, data });
}
