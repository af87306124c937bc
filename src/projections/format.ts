/*
 * Formatting for the read models: money in a currency's minor units, due dates, and untrusted
 * text (titles, notes, sources) made safe to print on one line of a terminal or a Markdown table.
 */

import { fail } from '../domain/shared/errors.js';
import { describe } from '../domain/shared/parse.js';
import { isCalendarDate } from '../domain/shared/schema.js';

/** The locale the read models use unless told otherwise: output does not depend on `LANG`. */
export const DEFAULT_LOCALE = 'en-US';

const formatters = new Map<string, Intl.NumberFormat>();

/**
 * A locale option (`locale` of the timeline, the milestone table, `formatMoney`): a BCP 47 tag
 * Intl knows the form of. Checked where it is given, so a bad one is `INVALID_INPUT` at `locale`
 * rather than Intl's RangeError at the first amount printed.
 */
export function checkLocale(locale: unknown): string {
  if (typeof locale === 'string') {
    try {
      Intl.getCanonicalLocales(locale);
      return locale;
    } catch {
      // Not a well-formed tag: said below, in the library's words.
    }
  }
  return fail(
    'INVALID_INPUT',
    `locale must be a BCP 47 language tag such as "en-US", not ${describe(locale)}`,
    { path: 'locale' },
  );
}

function currencyFormat(currency: string, locale: string): Intl.NumberFormat {
  // Typed strings, but public arguments: anything else is never cached, and is said below (a
  // Symbol in the key would throw a TypeError).
  const code: unknown = currency;
  const place: unknown = locale;
  const key = typeof place === 'string' && typeof code === 'string' ? `${place}\u0000${code}` : '';
  let nf = formatters.get(key);
  if (nf === undefined) {
    checkLocale(locale);
    // Intl checks the code's form (three letters); the award's currency is checked by the domain.
    if (typeof code !== 'string' || !/^[A-Za-z]{3}$/.test(code))
      fail(
        'INVALID_INPUT',
        `currency must be an ISO 4217 code such as "USD", not ${describe(currency)}`,
        { path: 'currency' },
      );
    nf = new Intl.NumberFormat(locale, { style: 'currency', currency });
    formatters.set(key, nf);
  }
  return nf;
}

/**
 * How many minor-unit digits a currency has, as Intl (ISO 4217 via CLDR) knows it: USD 2,
 * JPY 0, KWD 3. A string that is not a well-formed currency code or locale is `INVALID_INPUT`.
 * @category Reading a job
 */
export function minorUnitDigits(currency: string, locale: string = DEFAULT_LOCALE): number {
  return currencyFormat(currency, locale).resolvedOptions().maximumFractionDigits ?? 2;
}

/**
 * Formats an amount given in the currency's minor units: `formatMoney(7500, 'USD')` is `$75.00`,
 * `formatMoney(7500, 'JPY')` is `¥7,500`, `formatMoney(1500, 'KWD')` is `KWD 1.500`.
 *
 * The amount is split into units and minor units with integer arithmetic and handed to Intl as
 * an exact decimal string, so no amount is ever rounded through a float, however large.
 * An amount that is not an integer (or not a safe one) is `INVALID_INPUT` at `amount`.
 *
 * @example
 * ```ts
 * import { formatMoney } from 'milestone-escrow/projections';
 *
 * console.log(formatMoney(7500, 'USD'), formatMoney(7500, 'JPY'), formatMoney(1500, 'KWD')); // $75.00 ¥7,500 KWD 1.500
 * ```
 * @category Reading a job
 */
export function formatMoney(
  amount: number | bigint,
  currency: string,
  locale: string = DEFAULT_LOCALE,
): string {
  if (typeof amount !== 'bigint' && !Number.isSafeInteger(amount))
    fail(
      'INVALID_INPUT',
      `money is a safe integer in minor units (or a bigint), not ${describe(amount)}`,
      { path: 'amount' },
    );
  const nf = currencyFormat(currency, locale);
  const digits = nf.resolvedOptions().maximumFractionDigits ?? 2;
  const minor = BigInt(amount);
  const negative = minor < 0n;
  const abs = negative ? -minor : minor;
  const scale = 10n ** BigInt(digits);
  const units = (abs / scale).toString();
  const fraction = (abs % scale).toString().padStart(digits, '0');
  const decimal = `${negative ? '-' : ''}${units}${digits > 0 ? `.${fraction}` : ''}`;
  // An exact decimal string (Intl.NumberFormat v3): Intl only places symbols and separators.
  return nf.format(decimal as `${number}`);
}

const MONTHS = [
  'Jan',
  'Feb',
  'Mar',
  'Apr',
  'May',
  'Jun',
  'Jul',
  'Aug',
  'Sep',
  'Oct',
  'Nov',
  'Dec',
] as const;

/**
 * How a read model writes due dates: as the seed does (`10 Nov 2014`) or as stored (`2014-11-10`).
 * @category Reading a job
 */
export type DateStyle = 'seed' | 'iso';

/**
 * A date style option (`dates`, `style`): `'seed'` or `'iso'`, or left out. Anything else (`'ISO'`)
 * was silently the seed's style.
 */
export function dateStyle(value: unknown, path: string): DateStyle {
  if (value === undefined || value === null) return 'seed';
  if (value === 'seed' || value === 'iso') return value;
  return fail('INVALID_INPUT', `${path} must be 'seed' or 'iso', not ${describe(value)}`, { path });
}

/**
 * Writes a `YYYY-MM-DD` due date as the seed's table does (`10 Nov 2014`), or unchanged for
 * `'iso'`. No time zone is involved: a due date is a calendar date. A string that is not an
 * existing calendar date (`not a date`, `2014-02-30`, `2015-02-29`) is returned as it is.
 * @category Reading a job
 */
export function formatDueDate(date: string, style: DateStyle = 'seed'): string {
  dateStyle(style, 'style');
  // A Symbol or an object without toString made a TypeError in the match below.
  if (typeof date !== 'string')
    fail('INVALID_INPUT', `date must be a date YYYY-MM-DD, not ${describe(date)}`, {
      path: 'date',
    });
  // The calendar the wire's due dates are checked by: `2014-02-30` printed as `30 Feb 2014`.
  if (style === 'iso' || !isCalendarDate(date)) return date;
  const month = MONTHS[Number(date.slice(5, 7)) - 1] ?? '';
  return `${String(Number(date.slice(8, 10)))} ${month} ${date.slice(0, 4)}`;
}

// C0 and C1 controls, and the bidirectional overrides a terminal or an editor would obey.
// eslint-disable-next-line no-control-regex
const UNSAFE = /[\u0000-\u001f\u007f-\u009f\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;

function escapeUnsafe(ch: string): string {
  return `\\u${ch.charCodeAt(0).toString(16).padStart(4, '0')}`;
}

/**
 * Untrusted text made safe for one line of output: control characters (newlines, escape
 * sequences) and bidirectional overrides are written as `\uXXXX` escapes.
 */
export function oneLine(text: string): string {
  return text.replace(UNSAFE, escapeUnsafe);
}

/** Untrusted text in double quotes, with `"` and `\` escaped and made safe for one line. */
export function quoted(text: string): string {
  return `"${oneLine(text.replace(/["\\]/g, (c) => `\\${c}`))}"`;
}
