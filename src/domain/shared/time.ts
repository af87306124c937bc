import { fail } from './errors.js';
import { digitsAt, hasInstantSeparators } from './schema.js';

/*
 * Instants as numbers (spec §7): deadlines are `instant + N × 24 h`, in UTC, to the millisecond,
 * and instants are compared by value (`09:00:00Z` is `10:00:00+01:00`). Plain integer arithmetic
 * on the instant's fields: no `Date`, no clock, no time zone database, and years 0000–0099 mean
 * what they say (`Date.UTC` would read them as 1900–1999).
 */

/** Milliseconds in a day: deadlines count days of exactly 24 hours (no calendar, no DST). */
export const DAY_MS = 86_400_000;

// Four digits of year, or more, after a minus sign for a year before 0000: `formatInstant` writes
// a deadline past 9999 (a summary's `reviewDueAt`) with five, one before 0000 (a v1 history whose
// instants run back by millennia) as `-0998`, and each must compare by value like any other (each
// read as NaN, and such a review could be expired at once).
const INSTANT_FIELDS =
  /^(-?\d{4,6})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,9}))?(Z|([+-])(\d{2}):(\d{2}))$/;

/** Days from 1970-01-01 to a civil date (proleptic Gregorian), exact for every 4-digit year. */
function daysFromCivil(year: number, month: number, day: number): number {
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yoe = y - era * 400;
  const mp = (month + 9) % 12;
  const doy = Math.floor((153 * mp + 2) / 5) + day - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146097 + doe - 719468;
}

/**
 * Days from 1970-01-01 to a `YYYY-MM-DD` date, every year 0000–9999 included (a read model's
 * "today" against a due date). Counted by hand: `Date.UTC` maps the years 0–99 to 1900–1999.
 */
export function dayNumber(date: string): number {
  return daysFromCivil(
    Number(date.slice(0, 4)),
    Number(date.slice(5, 7)),
    Number(date.slice(8, 10)),
  );
}

/** The civil date of a day count since 1970-01-01 (the inverse of `daysFromCivil`). */
function civilFromDays(days: number): [number, number, number] {
  const z = days + 719468;
  const era = Math.floor(z / 146097);
  const doe = z - era * 146097;
  const yoe = Math.floor(
    (doe - Math.floor(doe / 1460) + Math.floor(doe / 36524) - Math.floor(doe / 146096)) / 365,
  );
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const day = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const month = mp < 10 ? mp + 3 : mp - 9;
  return [yoe + era * 400 + (month <= 2 ? 1 : 0), month, day];
}

// `YYYY-MM-DDTHH:MM:SSZ` as milliseconds, or NaN when the text is not of exactly that form (the
// regular expression then decides, as for every other form). Field ranges are the schema's.
function plainInstantMs(t: string): number {
  if (!hasInstantSeparators(t) || t.charCodeAt(19) !== 90 /* Z */) return NaN;
  const year = digitsAt(t, 0, 4);
  const month = digitsAt(t, 5, 7);
  const day = digitsAt(t, 8, 10);
  const hours = digitsAt(t, 11, 13);
  const minutes = digitsAt(t, 14, 16);
  const seconds = digitsAt(t, 17, 19);
  if (Math.min(year, month, day, hours, minutes, seconds) < 0) return NaN;
  return daysFromCivil(year, month, day) * DAY_MS + ((hours * 60 + minutes) * 60 + seconds) * 1000;
}

/**
 * The instant's milliseconds since 1970-01-01T00:00:00Z. Digits past the millisecond are
 * dropped (deadlines are computed to the millisecond, spec §7). The text must be a valid
 * instant (`InstantSchema`) or a deadline `formatInstant` wrote past 9999 or before 0000;
 * anything else is NaN.
 * @category Deadlines and fees
 */
export function instantMs(instant: string): number {
  // Most instants are written `YYYY-MM-DDTHH:MM:SSZ`: read those digit by digit (no match object).
  if (instant.length === 20) {
    const ms = plainInstantMs(instant);
    if (!Number.isNaN(ms)) return ms;
  }
  const m = INSTANT_FIELDS.exec(instant);
  if (m === null) return NaN;
  const days = daysFromCivil(Number(m[1]), Number(m[2]), Number(m[3]));
  const fraction = m[7] === undefined ? 0 : Number((m[7] + '00').slice(0, 3));
  const offset =
    m[8] === 'Z' ? 0 : (m[9] === '-' ? -1 : 1) * (Number(m[10]) * 60 + Number(m[11])) * 60_000;
  return (
    days * DAY_MS +
    ((Number(m[4]) * 60 + Number(m[5])) * 60 + Number(m[6])) * 1000 +
    fraction -
    offset
  );
}

/** The latest instant the wire can write (`9999-12-31T23:59:59.999Z`). */
export const LAST_INSTANT_MS = daysFromCivil(9999, 12, 31) * DAY_MS + DAY_MS - 1;
/** The earliest (`0000-01-01T00:00:00Z`). */
export const FIRST_INSTANT_MS = daysFromCivil(0, 1, 1) * DAY_MS;

function pad(n: number, width: number): string {
  return String(n).padStart(width, '0');
}

/**
 * Writes milliseconds since the epoch as `YYYY-MM-DDTHH:MM:SSZ`, with `.sss` before the `Z` only
 * when the milliseconds are not zero (spec §7). Years past 9999 (a review that ends after the
 * wire's last instant) are written with as many digits as they need, years before 0000 with a
 * minus sign (`-0998-…`): {@link instantMs} reads both back.
 * @category Deadlines and fees
 */
export function formatInstant(ms: number): string {
  const days = Math.floor(ms / DAY_MS);
  let rest = ms - days * DAY_MS;
  const [year, month, day] = civilFromDays(days);
  const millis = rest % 1000;
  rest = (rest - millis) / 1000;
  const seconds = rest % 60;
  rest = (rest - seconds) / 60;
  const minutes = rest % 60;
  const hours = (rest - minutes) / 60;
  const time = `${pad(hours, 2)}:${pad(minutes, 2)}:${pad(seconds, 2)}`;
  const fraction = millis === 0 ? '' : `.${pad(millis, 3)}`;
  const yyyy = year < 0 ? `-${pad(-year, 4)}` : pad(year, 4);
  return `${yyyy}-${pad(month, 2)}-${pad(day, 2)}T${time}${fraction}Z`;
}

/**
 * `instant + days × 24 h`, written as spec §7 writes deadlines.
 * @category Deadlines and fees
 */
export function addDays(instant: string, days: number): string {
  return formatInstant(instantMs(instant) + days * DAY_MS);
}

/**
 * The deadline `days` after `instant`, for an event to record: a deadline the wire cannot write
 * (past `9999-12-31T23:59:59.999Z`) is `INVALID_INPUT` on the command's `at`.
 */
export function deadlineAfter(instant: string, days: number): string {
  const due = instantMs(instant) + days * DAY_MS;
  if (due > LAST_INSTANT_MS)
    fail(
      'INVALID_INPUT',
      `command at: a deadline ${String(days)} days after ${instant} falls past the year 9999, which an instant cannot write.`,
      { path: 'at' },
    );
  return formatInstant(due);
}

/**
 * Compares two instants by value: negative, zero or positive, as `a` is before, at or after `b`.
 * @category Deadlines and fees
 */
export function compareInstants(a: string, b: string): number {
  return instantMs(a) - instantMs(b);
}
