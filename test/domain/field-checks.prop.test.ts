/*
 * The wire's dates, instants and ids are read character by character (schema.ts), not matched by
 * regular expressions. These properties hold the hand-written checks to the expressions they
 * replaced (kept here as the definitions), and the fast path (fast-parse.ts) to valibot, on
 * generated valid and near-valid strings: off-by-one fields, February 29, leap seconds, 24:00,
 * a missing or lower-case zone, a fraction of ten digits, non-ASCII digits, a trailing newline.
 */
import fc from 'fast-check';
import * as v from 'valibot';
import { describe, expect, it } from 'vitest';
import { fastVariant, UNSURE } from '../../src/domain/shared/fast-parse.js';
import {
  CalendarDateSchema,
  IdSchema,
  ID_PATTERN,
  InstantSchema,
  isCalendarDate,
  isId,
  isInstant,
} from '../../src/domain/shared/schema.js';

// The definitions the hand-written checks replaced.
const CALENDAR_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const INSTANT =
  /^(\d{4})-(\d{2})-(\d{2})T([01]\d|2[0-3]):([0-5]\d):([0-5]\d)(\.\d{1,9})?(Z|[+-](?:[01]\d|2[0-3]):[0-5]\d)$/;

function isRealDate(year: number, month: number, day: number): boolean {
  if (month < 1 || month > 12 || day < 1) return false;
  const leap = year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
  const days = [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1] ?? 0;
  return day <= days;
}

function dateByPattern(text: string): boolean {
  const m = CALENDAR_DATE.exec(text);
  return m !== null && isRealDate(Number(m[1]), Number(m[2]), Number(m[3]));
}

function instantByPattern(text: string): boolean {
  const m = INSTANT.exec(text);
  return m !== null && isRealDate(Number(m[1]), Number(m[2]), Number(m[3]));
}

const pad = (n: number, width: number): string => String(n).padStart(width, '0');

// Years around the leap rules (0, 1900, 2000, 2100, 9999) and any other.
const year = fc.oneof(
  fc.constantFrom(0, 4, 100, 400, 1900, 2000, 2014, 2016, 2100, 9999),
  fc.integer({ min: 0, max: 9999 }),
);
// Each field one past its range on either side, and sometimes written with one digit too few
// or too many.
// Mostly in range, so that valid texts are common; sometimes one past either end.
const mostly = (min: number, max: number, ...off: number[]) =>
  fc.oneof(
    { arbitrary: fc.integer({ min, max }), weight: 6 },
    { arbitrary: fc.constantFrom(...off), weight: 1 },
  );
const month = mostly(1, 12, 0, 13);
const day = fc.oneof(fc.constantFrom(28, 29, 30, 31), mostly(1, 28, 0, 32));
const width = (w: number) => fc.constantFrom(w, w, w, w, w, w, w, w, w - 1, w + 1);
const date = fc
  .tuple(year, month, day, width(4), width(2), width(2))
  .map(([y, m, d, wy, wm, wd]) => `${pad(y, wy)}-${pad(m, wm)}-${pad(d, wd)}`);

const zone = fc.oneof(
  fc.constantFrom(
    'Z',
    'Z',
    'Z',
    '',
    'z',
    '+00:00',
    '-00:00',
    '+01:00',
    '-23:59',
    '+24:00',
    '+0100',
  ),
  fc
    .tuple(
      fc.constantFrom('+', '-'),
      fc.integer({ min: 0, max: 25 }),
      fc.integer({ min: 0, max: 61 }),
    )
    .map(([sign, h, m]) => `${sign}${pad(h, 2)}:${pad(m, 2)}`),
);
const fraction = fc.oneof(
  fc.constant(''),
  fc.constant('.'),
  fc.integer({ min: 1, max: 11 }).map((n) => `.${'1234567890'.repeat(2).slice(0, n)}`),
);
const instant = fc
  .tuple(
    date,
    fc.constantFrom('T', 'T', 'T', 'T', 'T', 't', ' '),
    mostly(0, 23, 24),
    mostly(0, 59, 60),
    mostly(0, 59, 60, 61),
    fraction,
    zone,
  )
  .map(([d, t, h, m, s, f, z]) => `${d}${t}${pad(h, 2)}:${pad(m, 2)}:${pad(s, 2)}${f}${z}`);

// One near-miss: a character deleted, replaced or inserted (digits of other scripts, separators,
// whitespace, a surrogate), or the text cut short.
const odd = fc.constantFrom(
  '0',
  '9',
  '-',
  ':',
  'T',
  'Z',
  '.',
  ' ',
  '\n',
  '٣',
  '０',
  '\ud83d',
  '_',
  '@',
  'é',
);
type Edit = { kind: 'delete' | 'replace' | 'insert' | 'cut'; at: number; char: string };
const edit: fc.Arbitrary<Edit> = fc.record({
  kind: fc.constantFrom('delete', 'replace', 'insert', 'cut'),
  at: fc.nat(),
  char: odd,
});
function apply(text: string, e: Edit): string {
  const at = e.at % (text.length + 1);
  if (e.kind === 'delete') return text.slice(0, at) + text.slice(at + 1);
  if (e.kind === 'replace') return text.slice(0, at) + e.char + text.slice(at + 1);
  if (e.kind === 'insert') return text.slice(0, at) + e.char + text.slice(at);
  return text.slice(0, at);
}
const nearly = (valid: fc.Arbitrary<string>) =>
  fc.tuple(valid, fc.array(edit, { maxLength: 2 })).map(([t, edits]) => edits.reduce(apply, t));

/** The fast path's check of one field schema, as `fastVariant` compiles it inside an event. */
function fastField(schema: v.GenericSchema) {
  const wrapped = v.variant('type', [v.strictObject({ type: v.literal('field'), value: schema })]);
  const check = fastVariant(wrapped);
  const inPlace = fastVariant(wrapped, true);
  return (value: string) => {
    const input = { type: 'field', value };
    const slow = v.safeParse(wrapped, input).success;
    // Sure exactly when valibot accepts: a valid field always takes the fast path.
    expect(check(input) !== UNSURE, JSON.stringify(value)).toBe(slow);
    expect(inPlace(input) === input, JSON.stringify(value)).toBe(slow);
    return slow;
  };
}

describe('the wire fields read character by character', () => {
  it('property: isCalendarDate is the pattern YYYY-MM-DD on an existing date (Feb 29, day 0, month 13, short fields)', () => {
    const field = fastField(CalendarDateSchema);
    let valid = 0;
    fc.assert(
      fc.property(nearly(date), (text) => {
        const expected = dateByPattern(text);
        expect(isCalendarDate(text), JSON.stringify(text)).toBe(expected);
        expect(field(text)).toBe(expected);
        if (expected) valid += 1;
      }),
      { numRuns: 5000 },
    );
    // The generator reaches both sides of the rule.
    expect(valid).toBeGreaterThan(500);
  });

  it('property: isInstant is the ISO-8601 pattern with seconds and a zone on an existing date (leap seconds, 24:00, missing or lower-case Z, offsets, fractions of 1–9 digits)', () => {
    const field = fastField(InstantSchema);
    let valid = 0;
    fc.assert(
      fc.property(nearly(instant), (text) => {
        const expected = instantByPattern(text);
        expect(isInstant(text), JSON.stringify(text)).toBe(expected);
        expect(field(text)).toBe(expected);
        if (expected) valid += 1;
      }),
      { numRuns: 10000 },
    );
    expect(valid).toBeGreaterThan(150);
  });

  it('property: isId and the fast path accept exactly what ID_PATTERN (and valibot) accept', () => {
    const field = fastField(IdSchema);
    const ids = fc.oneof(
      fc.stringMatching(ID_PATTERN),
      fc.constantFrom('m1', 'a'.repeat(128), 'a'.repeat(129), '__proto__', '-m1', 'm1\n', ''),
    );
    let valid = 0;
    fc.assert(
      fc.property(nearly(ids), (text) => {
        const expected = ID_PATTERN.test(text);
        expect(isId(text), JSON.stringify(text)).toBe(expected);
        expect(field(text)).toBe(expected);
        if (expected) valid += 1;
      }),
      { numRuns: 5000 },
    );
    expect(valid).toBeGreaterThan(500);
  });

  it('the edges by name: Feb 29 of 1900, 2000 and 2016; a leap second; 24:00; no zone; ten fraction digits', () => {
    expect(isCalendarDate('2016-02-29')).toBe(true);
    expect(isCalendarDate('2000-02-29')).toBe(true);
    expect(isCalendarDate('1900-02-29')).toBe(false);
    expect(isCalendarDate('2014-04-31')).toBe(false);
    expect(isCalendarDate('2014-11-03\n')).toBe(false);
    expect(isInstant('2016-12-31T23:59:60Z')).toBe(false);
    expect(isInstant('2014-11-03T24:00:00Z')).toBe(false);
    expect(isInstant('2014-11-03T09:00:00')).toBe(false);
    expect(isInstant('2014-11-03T09:00:00.123456789Z')).toBe(true);
    expect(isInstant('2014-11-03T09:00:00.1234567890Z')).toBe(false);
    expect(isInstant('2014-11-03T09:00:00+23:59')).toBe(true);
    expect(isInstant('2014-11-03T09:00:00+24:00')).toBe(false);
    expect(isInstant('2014-02-29T09:00:00Z')).toBe(false);
    expect(isId('a'.repeat(128))).toBe(true);
    expect(isId('a'.repeat(129))).toBe(false);
    expect(isId('é')).toBe(false);
  });
});
